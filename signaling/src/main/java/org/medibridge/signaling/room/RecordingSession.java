package org.medibridge.signaling.room;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One recording of a visit and its consents. Nothing is written unless every participant in the
 * call said yes to this recording. Owned by the room's worker thread.
 */
public final class RecordingSession {
    public enum State { REQUESTED, RECORDING, PAUSED, STOPPED }

    /** A yes or no, and when. */
    public record Consent(String participantId, boolean consent, Instant at) {}

    /** A participant recorded in this session and their file. */
    public record Recorded(String participantId, String name, String role, Instant consentedAt, String file,
                           long bytes) {}

    final String id;
    final String appointmentId;
    final String requestedBy;
    final Instant requestedAt;
    State state = State.REQUESTED;
    Instant startedAt;
    Instant stoppedAt;
    String stopReason;
    final Set<String> consented = new LinkedHashSet<>();
    final List<Consent> consents = new ArrayList<>();
    /** Live recorders by participant id. */
    final Map<String, RecordingBackend.Recorder> recorders = new LinkedHashMap<>();
    /** Every file written, in order (a participant who left and came back has two). */
    final List<Recorded> files = new ArrayList<>();
    final Map<String, Integer> fileCounts = new LinkedHashMap<>();

    RecordingSession(String id, String appointmentId, String requestedBy, Instant requestedAt) {
        this.id = id;
        this.appointmentId = appointmentId;
        this.requestedBy = requestedBy;
        this.requestedAt = requestedAt;
    }

    boolean isActive() {
        return state != State.STOPPED;
    }

    /** A fresh file name for {@code participantId}: {@code pid.webm}, then {@code pid-2.webm}, ... */
    String nextFileName(String participantId) {
        int n = fileCounts.merge(participantId, 1, Integer::sum);
        return n == 1 ? participantId + ".webm" : participantId + "-" + n + ".webm";
    }

    public String id() { return id; }
    public String appointmentId() { return appointmentId; }
    public String requestedBy() { return requestedBy; }
    public Instant requestedAt() { return requestedAt; }
    public State state() { return state; }
    public Instant startedAt() { return startedAt; }
    public Instant stoppedAt() { return stoppedAt; }
    public String stopReason() { return stopReason; }
    public List<Consent> consents() { return List.copyOf(consents); }
    public List<Recorded> files() { return List.copyOf(files); }
}
