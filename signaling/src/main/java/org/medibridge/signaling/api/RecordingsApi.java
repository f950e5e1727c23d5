package org.medibridge.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.medibridge.appointment.Appointment;
import org.medibridge.audit.AuditLog;
import org.medibridge.recordings.RecordingCatalog;
import org.medibridge.recordings.RecordingIds;
import org.medibridge.recordings.RecordingJson;
import org.medibridge.recordings.RecordingMeta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording routes of the API (docs/api.md, "Recordings"); {@link AppointmentsApi} checks the
 * key, routes and turns exceptions into JSON errors, this class does the work on the API's
 * executor. Starting and stopping go through the rooms ({@link RecordingApiBackend}); metadata and
 * files come from the {@link RecordingCatalog}. Downloads and deletions are audited
 * ({@code recording_downloaded}, {@code recording_deleted}, {@code by: api}) before they happen.
 */
final class RecordingsApi {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingsApi.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Header telling a download's reader that the file is encrypted at rest, and how. */
    static final String ENCRYPTED_HEADER = "X-MediBridge-Encrypted";
    static final String ENCRYPTION = "aes-256-gcm-chunked";

    private final RecordingApiBackend backend;
    private final RecordingCatalog catalog;
    private final AuditLog audit;
    private final Function<CompletableFuture<?>, CompletableFuture<?>> deadline;

    /**
     * @param backend the rooms, or null when recording is not configured
     * @param catalog the recordings, or null when recording is not configured (then nothing is listed)
     */
    RecordingsApi(RecordingApiBackend backend, RecordingCatalog catalog, AuditLog audit,
                  Function<CompletableFuture<?>, CompletableFuture<?>> deadline) {
        this.backend = backend;
        this.catalog = catalog;
        this.audit = audit;
        this.deadline = deadline;
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> rooms(CompletableFuture<T> call) {
        return (CompletableFuture<T>) deadline.apply(call);
    }

    /** POST /appointments/{id}/recordings: 202 {recordingId, state, waitingFor}. */
    CompletableFuture<ApiResponse> request(Appointment a) {
        if (a.status() == Appointment.Status.CANCELLED) {
            throw new ApiException(409, "appointment_cancelled", "appointment " + a.id() + " was cancelled");
        }
        if (a.status() == Appointment.Status.ENDED) {
            throw new ApiException(409, "appointment_ended", "appointment " + a.id() + " has ended");
        }
        if (backend == null || catalog == null) {
            throw unavailable();
        }
        return rooms(backend.request(a.id())).thenApply(r -> switch (r.status()) {
            case REQUESTED -> {
                ObjectNode n = F.objectNode();
                n.put("recordingId", r.recordingId());
                n.put("appointmentId", a.id());
                n.put("state", r.state() == null ? "requested" : r.state());
                ArrayNode w = n.putArray("waitingFor");
                r.waitingFor().forEach(w::add);
                LOG.info("recording {} of appointment {} requested by api", r.recordingId(), a.id());
                yield new ApiResponse(202, n, Map.of("Location", "/api/v1/recordings/" + r.recordingId()));
            }
            case RECORDING_ACTIVE -> AppointmentsApi.toError(new ApiException(409, "recording_active",
                    "appointment " + a.id() + " already has an active recording"
                            + (r.recordingId() == null ? "" : " (" + r.recordingId() + ")")));
            case NOBODY_CONNECTED -> AppointmentsApi.toError(new ApiException(409, "nobody_connected",
                    "nobody is in the call of appointment " + a.id() + "; a recording needs everyone's consent"));
            case UNAVAILABLE -> AppointmentsApi.toError(unavailable());
        });
    }

    /** POST /appointments/{id}/recordings/{rid}/stop: 204, also when it had already stopped. */
    CompletableFuture<ApiResponse> stop(Appointment a, String recordingId) {
        RecordingMeta known = recordingOf(a.id(), recordingId);
        if (known == null && (catalog == null || backend == null)) {
            throw notFound();
        }
        if (backend == null || (known != null && !known.active())) {
            return CompletableFuture.completedFuture(ApiResponse.noContent());
        }
        return rooms(backend.stop(a.id(), recordingId)).thenApply(o -> {
            if (o == RecordingApiBackend.StopOutcome.STOPPED || recordingOf(a.id(), recordingId) != null) {
                return ApiResponse.noContent();
            }
            return AppointmentsApi.toError(notFound());
        });
    }

    /** GET /appointments/{id}/recordings. */
    ApiResponse list(String appointmentId) {
        ObjectNode n = F.objectNode();
        n.put("appointmentId", appointmentId);
        ArrayNode arr = n.putArray("recordings");
        if (catalog != null) {
            catalog.list(appointmentId).forEach(m -> arr.add(json(m)));
        }
        return ApiResponse.json(200, n);
    }

    /** Whether there is anything recorded for this appointment id (it may be gone from the store). */
    boolean hasRecordings(String appointmentId) {
        return catalog != null && !catalog.list(appointmentId).isEmpty();
    }

    /** GET /recordings/{rid}. */
    ApiResponse get(String recordingId) {
        return ApiResponse.json(200, json(recording(recordingId)));
    }

    /** GET /recordings/{rid}/files/{name}: the file as stored (encrypted or not). */
    ApiResponse download(String recordingId, String name) {
        RecordingMeta m = recording(recordingId);
        if (m.active()) {
            throw new ApiException(409, "recording_active",
                    "recording " + recordingId + " is still going on; stop it first (its files are not finalized)");
        }
        Path p = catalog.fileOf(recordingId, name).orElseThrow(() -> new ApiException(404, "file_not_found",
                "recording " + recordingId + " has no file with that name; see its files"));
        try {
            audit.append("recording_downloaded", m.appointmentId(), Map.of("by", "api", "recordingId", recordingId,
                    "file", name));
        } catch (RuntimeException e) {
            throw auditFailed(e);
        }
        LOG.info("recording {} file {} downloaded by api", recordingId, name);
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Content-Disposition", "attachment; filename=\"" + name + "\"");
        if (m.encrypted()) {
            headers.put(ENCRYPTED_HEADER, ENCRYPTION);
            return ApiResponse.file(p, "application/octet-stream", headers);
        }
        return ApiResponse.file(p, "video/webm", headers);
    }

    /** DELETE /recordings/{rid}: 204; 409 recording_active while it goes on. */
    ApiResponse delete(String recordingId) {
        RecordingMeta m = recording(recordingId);
        if (m.active()) {
            throw active(recordingId);
        }
        try {
            audit.append("recording_deleted", m.appointmentId(), Map.of("by", "api", "recordingId", recordingId,
                    "files", String.join(",", m.files())));
        } catch (RuntimeException e) {
            throw auditFailed(e);
        }
        return switch (catalog.delete(recordingId)) {
            case DELETED -> {
                LOG.info("recording {} of appointment {} deleted by api", recordingId, m.appointmentId());
                yield ApiResponse.noContent();
            }
            case ACTIVE -> throw active(recordingId);
            case NOT_FOUND -> ApiResponse.noContent(); // deleted by a concurrent request
        };
    }

    /** The recording's metadata plus {@code files}: what is on disk now, with download paths. */
    private JsonNode json(RecordingMeta m) {
        ObjectNode n = RecordingJson.toJson(m);
        ArrayNode files = n.putArray("files");
        for (RecordingMeta.Participant p : m.participants()) {
            if (p.file() == null) {
                continue;
            }
            ObjectNode f = files.addObject();
            f.put("name", p.file());
            f.put("participantId", p.participantId());
            long size = catalog.fileOf(m.recordingId(), p.file()).map(RecordingsApi::size).orElse(-1L);
            if (size >= 0) {
                f.put("bytes", size);
                f.put("url", "/api/v1/recordings/" + m.recordingId() + "/files/" + p.file());
            } else {
                f.putNull("bytes");
                f.putNull("url");
            }
        }
        return n;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private RecordingMeta recording(String recordingId) {
        if (catalog == null || !RecordingIds.isValid(recordingId)) {
            throw notFound();
        }
        return catalog.get(recordingId).orElseThrow(RecordingsApi::notFound);
    }

    /** The recording if it exists and belongs to this appointment, else null. */
    private RecordingMeta recordingOf(String appointmentId, String recordingId) {
        if (catalog == null || !RecordingIds.isValid(recordingId)) {
            return null;
        }
        return catalog.get(recordingId).filter(m -> m.appointmentId().equals(appointmentId)).orElse(null);
    }

    static boolean validId(String recordingId) {
        return RecordingIds.isValid(recordingId);
    }

    private static ApiException notFound() {
        return new ApiException(404, "recording_not_found", "no recording with that id");
    }

    private static ApiException active(String recordingId) {
        return new ApiException(409, "recording_active",
                "recording " + recordingId + " is still going on; stop it first");
    }

    private static ApiException unavailable() {
        return new ApiException(409, "recording_unavailable",
                "recording is not configured on this server (--recordings-dir)");
    }

    private static ApiException auditFailed(RuntimeException e) {
        LOG.error("audit log append failed; request refused", e);
        return new ApiException(503, "audit_unavailable", "the audit log cannot be written; nothing was changed");
    }
}
