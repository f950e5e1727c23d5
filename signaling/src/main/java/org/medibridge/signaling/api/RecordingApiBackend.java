package org.medibridge.signaling.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the recording routes need from the rooms. The room side implements it like
 * {@link ApiBackend}: each call runs as a task on the room's worker and completes the future from
 * there; the API never blocks on it. Calls come from the operator (the clinic's system), who acts
 * as the doctor would: the room appends its audit events ({@code recording_requested},
 * {@code recording_stopped}, ...) with {@code by=api}, and records the recording in the
 * {@link org.medibridge.recordings.RecordingCatalog} (created before {@link #request} completes).
 */
public interface RecordingApiBackend {

    /** Outcome of {@link #request}. */
    enum StartStatus {
        /** Everyone admitted to the call was asked to consent; {@code recordingId} is set. */
        REQUESTED,
        /** A recording of this visit is already requested, recording or paused ({@code recordingId} is that one). */
        RECORDING_ACTIVE,
        /** No room, or nobody admitted to the call. */
        NOBODY_CONNECTED,
        /** Recording is not possible (no recordings directory configured). */
        UNAVAILABLE
    }

    /**
     * @param status what happened
     * @param recordingId the new recording (REQUESTED) or the active one (RECORDING_ACTIVE); else null
     * @param state the recording's state in protocol spelling ({@code requested}, ...); null without a recording
     * @param waitingFor who has not consented yet (REQUESTED); may be empty
     */
    record StartResult(StartStatus status, String recordingId, String state, List<String> waitingFor) {
        public StartResult {
            waitingFor = waitingFor == null ? List.of() : List.copyOf(waitingFor);
        }

        public static StartResult requested(String recordingId, List<String> waitingFor) {
            return new StartResult(StartStatus.REQUESTED, recordingId, "requested", waitingFor);
        }

        public static StartResult active(String recordingId, String state) {
            return new StartResult(StartStatus.RECORDING_ACTIVE, recordingId, state, List.of());
        }

        public static StartResult of(StartStatus status) {
            return new StartResult(status, null, null, List.of());
        }
    }

    /** Outcome of {@link #stop}. */
    enum StopOutcome {
        /** It was active and is stopped now (reason {@code stopped}, by {@code api}); files are being finalized. */
        STOPPED,
        /** The room has no active recording with that id (already stopped, another one, or no room). */
        NOT_ACTIVE
    }

    /**
     * Asks everyone in the call of {@code appointmentId} to consent to a new recording, as the
     * doctor's {@code recording-request} would ({@code recording-consent-request} to each admitted
     * participant, {@code recording-state} requested to everyone).
     */
    CompletableFuture<StartResult> request(String appointmentId);

    /** Stops the recording {@code recordingId} of the visit, as the doctor's {@code recording-stop}. */
    CompletableFuture<StopOutcome> stop(String appointmentId, String recordingId);
}
