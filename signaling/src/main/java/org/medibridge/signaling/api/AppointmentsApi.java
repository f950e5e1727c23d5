package org.medibridge.signaling.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Appointment.Status;
import org.medibridge.appointment.AppointmentException;
import org.medibridge.appointment.AppointmentIds;
import org.medibridge.appointment.AppointmentRequest;
import org.medibridge.appointment.AppointmentStore;
import org.medibridge.appointment.Person;
import org.medibridge.audit.AuditLog;
import org.medibridge.recordings.RecordingCatalog;
import org.medibridge.token.JoinTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appointments REST API of docs/api.yaml, free of Netty: {@link #handle} takes a request and
 * completes a response. It checks the bearer key first (so unauthenticated callers learn nothing
 * about routes), then routes. Work runs on {@code executor}, never on the caller's thread (a
 * Netty event loop): audit appends flush a file and the rooms answer from their media workers.
 * Every failure becomes a JSON error; a refused request changes nothing.
 */
public final class AppointmentsApi {
    private static final Logger LOG = LoggerFactory.getLogger(AppointmentsApi.class);
    private static final String BASE = "/api/v1/";

    private final ApiConfig config;
    private final BearerAuth auth;
    private final AppointmentStore store;
    private final JoinTokens tokens;
    private final AuditLog audit;
    private final ApiBackend backend;
    private final Clock clock;
    private final Executor executor;
    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final RecordingsApi recordings;

    /** Without recording: the recording routes answer 409 {@code recording_unavailable} / list nothing. */
    public AppointmentsApi(ApiConfig config, AppointmentStore store, JoinTokens tokens, AuditLog audit,
                           ApiBackend backend, Clock clock, Executor executor) {
        this(config, store, tokens, audit, backend, null, null, clock, executor);
    }

    /**
     * @param recordingBackend the rooms' recording side, or null when recording is not configured
     * @param recordingCatalog where recordings are stored, or null when recording is not configured
     */
    public AppointmentsApi(ApiConfig config, AppointmentStore store, JoinTokens tokens, AuditLog audit,
                           ApiBackend backend, RecordingApiBackend recordingBackend, RecordingCatalog recordingCatalog,
                           Clock clock, Executor executor) {
        this.recordings = new RecordingsApi(recordingBackend, recordingCatalog, audit, this::rooms);
        this.config = config;
        this.auth = new BearerAuth(config.apiKey());
        this.store = store;
        this.tokens = tokens;
        this.audit = audit;
        this.backend = backend;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * An executor fit for the API: two daemon threads "api-N" and a bounded queue (256), so a
     * flood of requests gets 503 {@code busy} instead of growing memory. The caller shuts it down.
     */
    public static ExecutorService newExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Answers one request; the future always completes normally (errors are error responses). */
    public CompletableFuture<ApiResponse> handle(ApiRequest req) {
        CompletableFuture<ApiResponse> f;
        try {
            f = CompletableFuture.supplyAsync(() -> route(req), executor).thenCompose(x -> x);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(toError(
                    new ApiException(503, "busy", "the server is busy; retry shortly")));
        }
        return f.handle((res, err) -> err == null ? res : toError(err));
    }

    /**
     * A room call with the configured deadline. Only room calls time out: a request waiting in the
     * executor's queue must not be answered 503 and then carried out anyway.
     */
    private <T> CompletableFuture<T> rooms(CompletableFuture<T> call) {
        return call.orTimeout(config.backendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<ApiResponse> route(ApiRequest req) {
        auth.check(req.authorization());
        String path = req.path();
        if (path.length() > BASE.length() && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith(BASE)) {
            throw notFound();
        }
        String[] s = path.substring(BASE.length()).split("/", -1);
        if (List.of(s).contains("")) {
            throw notFound();
        }
        String m = req.method();
        if (s[0].equals("recordings")) {
            return recordingRoute(m, s);
        }
        if (!s[0].equals("appointments")) {
            throw notFound();
        }
        if (s.length >= 3 && s[2].equals("recordings")) {
            return appointmentRecordingRoute(m, s);
        }
        switch (s.length) {
            case 1 -> {
                return switch (allow(m, "GET", "POST")) {
                    case "GET" -> done(ApiResponse.json(200, AppointmentJson.list(store.list())));
                    default -> done(create(req.body()));
                };
            }
            case 2 -> {
                return switch (allow(m, "GET", "DELETE")) {
                    case "GET" -> done(ApiResponse.json(200, full(appointment(s[1]))));
                    default -> cancel(appointment(s[1]));
                };
            }
            case 3 -> {
                if (s[2].equals("end")) {
                    allow(m, "POST");
                    return end(appointment(s[1]));
                }
                if (s[2].equals("participants")) {
                    allow(m, "GET");
                    return participants(appointment(s[1]));
                }
            }
            case 5 -> {
                if (s[2].equals("participants") && List.of("admit", "deny", "remove", "mute").contains(s[4])) {
                    allow(m, "POST");
                    Appointment a = appointment(s[1]);
                    Person p = a.participant(s[3]).orElseThrow(() -> new ApiException(404,
                            "participant_not_found", "appointment " + a.id() + " has no participant with that id"));
                    return moderate(a, p, s[4], req.body());
                }
            }
            default -> {
            }
        }
        throw notFound();
    }

    /** /recordings/{rid} and /recordings/{rid}/files/{name}. */
    private CompletableFuture<ApiResponse> recordingRoute(String m, String[] s) {
        if (s.length == 2) {
            return switch (allow(m, "GET", "DELETE")) {
                case "GET" -> done(recordings.get(s[1]));
                default -> done(recordings.delete(s[1]));
            };
        }
        if (s.length == 4 && s[2].equals("files")) {
            allow(m, "GET");
            return done(recordings.download(s[1], s[3]));
        }
        throw notFound();
    }

    /** /appointments/{id}/recordings and /appointments/{id}/recordings/{rid}/stop. */
    private CompletableFuture<ApiResponse> appointmentRecordingRoute(String m, String[] s) {
        if (s.length == 3) {
            if (allow(m, "GET", "POST").equals("POST")) {
                return recordings.request(appointment(s[1]));
            }
            // Recordings outlive the appointments, which are kept in memory: list them either way.
            if (!recordings.hasRecordings(s[1])) {
                appointment(s[1]);
            }
            return done(recordings.list(s[1]));
        }
        if (s.length == 5 && s[4].equals("stop")) {
            allow(m, "POST");
            Appointment a = appointment(s[1]);
            if (!RecordingsApi.validId(s[3])) {
                throw new ApiException(404, "recording_not_found", "no recording with that id");
            }
            return recordings.stop(a, s[3]);
        }
        throw notFound();
    }

    private ApiResponse create(byte[] body) {
        checkSize(body);
        java.time.Instant now = clock.instant();
        Appointment a = AppointmentRequest.parse(parse(body), now).toAppointment(now);
        // Links first: if minting fails nothing has been stored.
        Map<String, String> links = new HashMap<>();
        a.participants().forEach(p -> links.put(p.id(), joinUrl(a, p)));
        if (!store.create(a)) {
            throw new ApiException(409, "appointment_exists", "an appointment with id " + a.id() + " exists");
        }
        try {
            audit.append("appointment_created", a.id(), Map.of("by", "api",
                    "start", a.start().toString(), "end", a.end().toString(),
                    "doctor", a.doctor().id(), "patients", String.join(",", a.participants().stream()
                            .filter(p -> p != a.doctor()).map(Person::id).toList()),
                    "waitingRoom", Boolean.toString(a.waitingRoom())));
        } catch (RuntimeException e) {
            store.delete(a.id());
            throw auditFailed(e);
        }
        LOG.info("appointment {} created ({} participants)", a.id(), a.participants().size());
        return new ApiResponse(201, AppointmentJson.appointment(a, p -> links.get(p.id()), p -> false),
                Map.of("Location", BASE + "appointments/" + a.id()));
    }

    /** DELETE: SCHEDULED → CANCELLED and everyone out; again on a cancelled one is a no-op. */
    private CompletableFuture<ApiResponse> cancel(Appointment a) {
        if (!transition(a, Status.CANCELLED, "appointment_cancelled")) {
            Status now = appointment(a.id()).status();
            if (now == Status.CANCELLED) {
                return done(ApiResponse.noContent());
            }
            throw new ApiException(409, "appointment_ended", "appointment " + a.id() + " has already ended");
        }
        return closeRoom(a.id(), "cancelled").thenApply(x -> ApiResponse.noContent());
    }

    /** POST …/end: SCHEDULED → ENDED and everyone out; again on an ended one is a no-op. */
    private CompletableFuture<ApiResponse> end(Appointment a) {
        if (!transition(a, Status.ENDED, "appointment_ended")) {
            Appointment now = appointment(a.id());
            if (now.status() == Status.ENDED) {
                return done(ApiResponse.json(200, full(now)));
            }
            throw new ApiException(409, "appointment_cancelled", "appointment " + a.id() + " was cancelled");
        }
        return closeRoom(a.id(), "ended").thenApply(x -> ApiResponse.json(200, full(appointment(a.id()))));
    }

    /** Status change and its audit line, both or neither. */
    private boolean transition(Appointment a, Status next, String event) {
        if (!store.compareAndSetStatus(a.id(), Status.SCHEDULED, next)) {
            return false;
        }
        try {
            audit.append(event, a.id(), Map.of("by", "api"));
        } catch (RuntimeException e) {
            store.compareAndSetStatus(a.id(), next, Status.SCHEDULED);
            throw auditFailed(e);
        }
        LOG.info("appointment {} {}", a.id(), next.name().toLowerCase(java.util.Locale.ROOT));
        return true;
    }

    /** The store already refuses joins; a failing room close is logged, not reported as failure. */
    private CompletableFuture<Void> closeRoom(String id, String reason) {
        return rooms(backend.close(id, reason)).exceptionally(e -> {
            LOG.warn("closing the room of appointment {} failed: {}", id, e.toString());
            return null;
        });
    }

    private CompletableFuture<ApiResponse> participants(Appointment a) {
        return rooms(backend.participants(a.id())).thenApply(list -> ApiResponse.json(200,
                AppointmentJson.participants(a, list, p -> store.isRemoved(a.id(), p.id()))));
    }

    private CompletableFuture<ApiResponse> moderate(Appointment a, Person p, String action, byte[] body) {
        CompletableFuture<ApiBackend.Outcome> outcome = switch (action) {
            case "admit" -> backend.admit(a.id(), p.id());
            case "deny" -> backend.deny(a.id(), p.id());
            case "remove" -> {
                store.markRemoved(a.id(), p.id());
                yield backend.remove(a.id(), p.id());
            }
            default -> {
                checkSize(body);
                MuteRequest mute = MuteRequest.parse(parse(body));
                yield backend.mute(a.id(), p.id(), mute.audio(), mute.video());
            }
        };
        return rooms(outcome).thenApply(o -> switch (o) {
            case DONE -> ApiResponse.noContent();
            case NOT_CONNECTED -> action.equals("remove") ? ApiResponse.noContent() : toError(new ApiException(409,
                    "participant_not_connected", "participant " + p.id() + " is not connected"));
            case NOT_WAITING -> toError(new ApiException(409, "participant_not_waiting",
                    "participant " + p.id() + " is not in the waiting room"));
        });
    }

    /** The appointment with links for those who may still join it. */
    private JsonNode full(Appointment a) {
        boolean open = a.status() == Status.SCHEDULED;
        return AppointmentJson.appointment(a,
                p -> open && !store.isRemoved(a.id(), p.id()) ? joinUrl(a, p) : null,
                p -> store.isRemoved(a.id(), p.id()));
    }

    private String joinUrl(Appointment a, Person p) {
        // A JWT is base64url segments and dots: safe in a query string as it is.
        return config.publicBaseUrl() + "/?token=" + tokens.mint(a, p);
    }

    private Appointment appointment(String id) {
        return (AppointmentIds.isValid(id) ? store.get(id) : java.util.Optional.<Appointment>empty())
                .orElseThrow(() -> new ApiException(404, "appointment_not_found", "no appointment with that id"));
    }

    /** {@code method} if it is one of {@code allowed}, else 405 with an Allow header. */
    private static String allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return a;
            }
        }
        throw new MethodNotAllowed(String.join(", ", allowed));
    }

    private static ApiException notFound() {
        return new ApiException(404, "not_found", "no such API route; see docs/api.md");
    }

    private static void checkSize(byte[] body) {
        if (body.length > AppointmentRequest.MAX_BODY_BYTES) {
            throw new ApiException(413, "body_too_large",
                    "the body is larger than " + AppointmentRequest.MAX_BODY_BYTES + " bytes");
        }
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(400, "malformed_json", "the body is empty; send a JSON object");
        }
        try {
            JsonNode n = json.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw new ApiException(400, "malformed_json", "the body is empty; send a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the input: say where, not what.
            var loc = e.getLocation();
            throw new ApiException(400, "malformed_json", "the body is not valid JSON"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "the body is not valid JSON");
        }
    }

    private static ApiException auditFailed(RuntimeException e) {
        LOG.error("audit log append failed; request refused", e);
        return new ApiException(503, "audit_unavailable", "the audit log cannot be written; nothing was changed");
    }

    private static CompletableFuture<ApiResponse> done(ApiResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    static ApiResponse toError(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiException e) {
            return ApiResponse.error(e.status(), e.code(), e.getMessage(),
                    e.status() == 401 ? BearerAuth.challenge() : Map.of());
        }
        if (t instanceof AppointmentException e) {
            return ApiResponse.error(e.status(), e.code(), e.getMessage(), Map.of());
        }
        if (t instanceof MethodNotAllowed e) {
            return ApiResponse.error(405, "method_not_allowed", "allowed: " + e.allow, Map.of("Allow", e.allow));
        }
        if (t instanceof TimeoutException) {
            return ApiResponse.error(503, "rooms_unavailable", "the rooms did not answer in time; retry", Map.of());
        }
        LOG.error("API request failed", t);
        return ApiResponse.error(500, "internal_error", "internal error", Map.of());
    }

    /** A 405, carrying the Allow header value. */
    private static final class MethodNotAllowed extends RuntimeException {
        final String allow;

        MethodNotAllowed(String allow) {
            super(null, null, false, false);
            this.allow = allow;
        }
    }
}
