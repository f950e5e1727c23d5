package org.medibridge.recordings;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The metadata of one recording, as stored in its {@code recording.json} and returned by the API.
 * Immutable: the room side builds a new one for each change and passes it to
 * {@link RecordingCatalog#update}.
 *
 * @param recordingId e.g. {@code rec-3f2a…} ({@link RecordingIds})
 * @param appointmentId the appointment whose visit was recorded
 * @param requestedBy the doctor's participant id, or {@code api}
 * @param requestedAt when the recording was requested
 * @param state requested, recording, paused or stopped
 * @param startedAt when everyone had consented and writing began; null before
 * @param stoppedAt when it stopped; null while active
 * @param stopReason for stopped: stopped, consent_refused, consent_withdrawn, failed, ended; else null
 * @param encrypted whether the files are encrypted at rest (AES-256-GCM, chunked)
 * @param participants the people recorded, one entry per file (someone who left and came back has two)
 * @param consents every yes and no, in order
 */
public record RecordingMeta(String recordingId, String appointmentId, String requestedBy, Instant requestedAt,
                            State state, Instant startedAt, Instant stoppedAt, String stopReason, boolean encrypted,
                            List<Participant> participants, List<Consent> consents) {

    /** The recording's life: REQUESTED → RECORDING ⇄ PAUSED → STOPPED (or REQUESTED → STOPPED). */
    public enum State {
        REQUESTED, RECORDING, PAUSED, STOPPED;

        /** The JSON spelling: {@code requested}, {@code recording}, {@code paused}, {@code stopped}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State fromJson(String s) {
            return State.valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One recorded participant and their file.
     *
     * @param file the file's name in the recording's directory, e.g. {@code pat-1.webm}; null until created
     * @param bytes its size when last saved (the API reports the size on disk)
     */
    public record Participant(String participantId, String name, String role, Instant consentedAt, String file,
                              long bytes) {
        public Participant {
            Objects.requireNonNull(participantId, "participantId");
            if (file != null && !RecordingIds.isValidFileName(file)) {
                throw new IllegalArgumentException("bad file name: " + file);
            }
        }
    }

    /** A yes ({@code consent = true}) or a no / withdrawal, and when. */
    public record Consent(String participantId, boolean consent, Instant at) {
        public Consent {
            Objects.requireNonNull(participantId, "participantId");
            Objects.requireNonNull(at, "at");
        }
    }

    public RecordingMeta {
        if (!RecordingIds.isValid(recordingId)) {
            throw new IllegalArgumentException("bad recording id: " + recordingId);
        }
        if (!RecordingIds.isValidAppointmentId(appointmentId)) {
            throw new IllegalArgumentException("bad appointment id: " + appointmentId);
        }
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(state, "state");
        participants = participants == null ? List.of() : List.copyOf(participants);
        consents = consents == null ? List.of() : List.copyOf(consents);
    }

    /** A new recording, just requested: no consents, no files yet. */
    public static RecordingMeta requested(String recordingId, String appointmentId, String requestedBy,
                                          Instant requestedAt, boolean encrypted) {
        return new RecordingMeta(recordingId, appointmentId, requestedBy, requestedAt, State.REQUESTED, null, null,
                null, encrypted, List.of(), List.of());
    }

    /** Whether it is still requested, recording or paused. */
    public boolean active() {
        return state != State.STOPPED;
    }

    /** The file names of this recording, in order, without duplicates. */
    public List<String> files() {
        return participants.stream().map(Participant::file).filter(Objects::nonNull).distinct().toList();
    }

    public RecordingMeta withState(State next, Instant startedAt, Instant stoppedAt, String stopReason) {
        return new RecordingMeta(recordingId, appointmentId, requestedBy, requestedAt, next, startedAt, stoppedAt,
                stopReason, encrypted, participants, consents);
    }

    public RecordingMeta withParticipants(List<Participant> list) {
        return new RecordingMeta(recordingId, appointmentId, requestedBy, requestedAt, state, startedAt, stoppedAt,
                stopReason, encrypted, list, consents);
    }

    public RecordingMeta withConsents(List<Consent> list) {
        return new RecordingMeta(recordingId, appointmentId, requestedBy, requestedAt, state, startedAt, stoppedAt,
                stopReason, encrypted, participants, list);
    }
}
