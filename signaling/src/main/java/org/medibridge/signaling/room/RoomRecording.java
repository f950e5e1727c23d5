package org.medibridge.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.medibridge.signaling.Messages;
import org.medibridge.signaling.SignalingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's recording, only with everyone's consent: the request, each yes or no, the recorders
 * (one per participant in the call, a {@code MediaTap} on each of their tracks) and their closing.
 * docs/ARCHITECTURE.md "Recording" describes the state machine.
 *
 * <p>Runs on the room's thread only, like {@link Room}; the recorders' callbacks come back to it
 * through {@link Room#execute}.
 */
final class RoomRecording {
    /** Logs as Room, so that log lines and logger levels stay those of before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private final Room room;
    private final RoomContext context;
    private final RoomAudit audit;
    /** The latest recording of this visit (active or stopped), or null. */
    private RecordingSession recording;

    RoomRecording(Room room, RoomContext context, RoomAudit audit) {
        this.room = room;
        this.context = context;
        this.audit = audit;
    }

    /** The doctor (or the API, {@code by == null}) asks to record; everyone in the call is asked. */
    RecordingSession requestRecording(Participant by, String byId) {
        if (by != null && !by.isDoctor()) {
            throw new SignalingException("forbidden", "Only the doctor of this visit can record it");
        }
        if (room.appointment() == null || !context.recordings().available()) {
            throw new SignalingException("recording_unavailable", "Recording is not available for this visit");
        }
        if (recording != null && recording.isActive()) {
            throw new SignalingException("recording_active", "A recording is already under way");
        }
        if (room.inCall().isEmpty()) {
            throw new SignalingException("nobody_connected", "Nobody is in the call");
        }
        recording = new RecordingSession(org.medibridge.recordings.RecordingIds.generate(),
                room.id(), byId, context.clock().instant());
        audit.roomEvent("recording_requested", "recordingId", recording.id, "by", byId);
        context.recordings().save(recording);
        for (Participant p : room.inCall()) {
            askConsent(p);
        }
        broadcastRecordingState(null, null);
        return recording;
    }

    private void askConsent(Participant p) {
        ObjectNode ask = Messages.of("recording-consent-request");
        ask.put("recordingId", recording.id);
        ask.put("requestedBy", recording.requestedBy);
        p.connection.send(ask);
    }

    void onRecordingConsent(Participant p, String recordingId, boolean consent) {
        if (recording == null || !recording.id.equals(recordingId) || !recording.isActive()) {
            throw new SignalingException("recording_not_found", "No such recording is waiting or under way");
        }
        if (!p.admitted) {
            throw new SignalingException("forbidden", "Only participants in the call consent to its recording");
        }
        recording.consents.add(new RecordingSession.Consent(p.id, consent, context.clock().instant()));
        audit.participantEvent("recording_consent", p, null, "recordingId", recording.id, "consent",
                String.valueOf(consent));
        if (!consent) {
            recording.consented.remove(p.id);
            stopRecording(recording.state == RecordingSession.State.REQUESTED ? "consent_refused" : "consent_withdrawn",
                    p.id);
            return;
        }
        recording.consented.add(p.id);
        context.recordings().save(recording);
        evaluateRecording();
    }

    /** Starts or resumes when everyone in the call has consented; otherwise tells who is awaited. */
    private void evaluateRecording() {
        if (recording == null || !recording.isActive()) {
            return;
        }
        List<String> waitingFor = waitingForConsent();
        if (!waitingFor.isEmpty()) {
            broadcastRecordingState(null, null);
            return;
        }
        boolean resuming = recording.state == RecordingSession.State.PAUSED;
        if (recording.state == RecordingSession.State.RECORDING) {
            return;
        }
        for (Participant p : room.inCall()) {
            startRecorder(p);
            if (recording.state == RecordingSession.State.STOPPED) {
                return; // a recorder could not be created
            }
        }
        recording.state = RecordingSession.State.RECORDING;
        if (recording.startedAt == null) {
            recording.startedAt = context.clock().instant();
        }
        audit.roomEvent(resuming ? "recording_resumed" : "recording_started", "recordingId", recording.id);
        context.recordings().save(recording);
        broadcastRecordingState(null, null);
    }

    private List<String> waitingForConsent() {
        List<String> waiting = new ArrayList<>();
        for (Participant p : room.inCall()) {
            if (!recording.consented.contains(p.id)) {
                waiting.add(p.id);
            }
        }
        return waiting;
    }

    private void startRecorder(Participant p) {
        RecordingBackend.Recorder r = recording.recorders.get(p.id);
        if (r == null) {
            String recordingId = recording.id;
            try {
                r = context.recordings().newRecorder(recording, p.id, recording.nextFileName(p.id),
                        () -> room.execute(null, "keyframe", () -> p.tracks.forEach(this::requestKeyframe)),
                        e -> room.execute(null, "recording", () -> recorderFailed(recordingId, p.id, e)));
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("room {}: could not start recording participant {}: {}", room.id(), p.id, e.toString());
                stopRecording("failed", null);
                return;
            }
            recording.recorders.put(p.id, r);
            recording.files.add(new RecordingSession.Recorded(p.id, p.name, p.role == null ? "guest" : p.role.wireName(),
                    context.clock().instant(), r.fileName(), 0));
        }
        for (Track t : p.tracks) {
            addTap(t, r);
        }
    }

    private void detachRecorder(Participant p, boolean close) {
        RecordingBackend.Recorder r = recording.recorders.get(p.id);
        if (r == null) {
            return;
        }
        for (Track t : p.tracks) {
            removeTap(t, r);
        }
        if (close) {
            recording.recorders.remove(p.id);
            finalizeLater(recording, r);
        }
    }

    /** Someone new is in the call: recording pauses until they consent. */
    void onJoinedDuringRecording(Participant p) {
        if (recording == null || !recording.isActive()) {
            return;
        }
        if (recording.state == RecordingSession.State.RECORDING) {
            recording.state = RecordingSession.State.PAUSED;
            for (Participant o : room.inCall()) {
                if (o != p) {
                    detachRecorder(o, false);
                }
            }
            audit.roomEvent("recording_paused", "recordingId", recording.id, "waitingFor", p.id);
            context.recordings().save(recording);
        }
        askConsent(p);
        broadcastRecordingState(null, null);
    }

    /** {@code p} left: their file is finalized; the others may no longer be waiting for anyone. */
    void onLeftDuringRecording(Participant p) {
        if (recording == null || !recording.isActive()) {
            return;
        }
        detachRecorder(p, true);
        recording.consented.remove(p.id);
        if (room.inCall().isEmpty()) {
            stopRecording("stopped", null);
            return;
        }
        if (recording.state == RecordingSession.State.PAUSED || recording.state == RecordingSession.State.REQUESTED) {
            evaluateRecording();
        }
    }

    void onTrackPublishedDuringRecording(Participant p, Track t) {
        if (recording != null && recording.state == RecordingSession.State.RECORDING) {
            RecordingBackend.Recorder r = recording.recorders.get(p.id);
            if (r != null) {
                addTap(t, r);
            }
        }
    }

    private void addTap(Track t, RecordingBackend.Recorder r) {
        if (t.simulcast != null) {
            room.media().addTap(t.simulcast, r);
        } else {
            room.media().addTap(t.stream, r);
        }
    }

    private void removeTap(Track t, RecordingBackend.Recorder r) {
        if (t.simulcast != null) {
            room.media().removeTap(t.simulcast, r);
        } else {
            room.media().removeTap(t.stream, r);
        }
    }

    private void requestKeyframe(Track t) {
        if (t.simulcast != null) {
            room.media().requestKeyframe(t.simulcast);
        } else {
            room.media().requestKeyframe(t.stream);
        }
    }

    private void recorderFailed(String recordingId, String participantId, Exception e) {
        if (recording != null && recording.id.equals(recordingId) && recording.isActive()) {
            LOG.warn("room {}: recording {} failed for {}: {}", room.id(), recordingId, participantId, e.toString());
            stopRecording("failed", null);
        }
    }

    void stopRecording(String reason, String by) {
        if (recording == null || !recording.isActive()) {
            return;
        }
        RecordingSession session = recording;
        for (Participant p : room.members()) {
            RecordingBackend.Recorder r = session.recorders.get(p.id);
            if (r != null) {
                for (Track t : p.tracks) {
                    removeTap(t, r);
                }
            }
        }
        session.state = RecordingSession.State.STOPPED;
        session.stoppedAt = context.clock().instant();
        session.stopReason = reason;
        List<RecordingBackend.Recorder> toClose = new ArrayList<>(session.recorders.values());
        session.recorders.clear();
        audit.roomEvent("recording_stopped", "recordingId", session.id, "reason", reason, "by", by == null ? "-" : by);
        broadcastRecordingState(reason, by);
        context.recordings().save(session);
        for (RecordingBackend.Recorder r : toClose) {
            finalizeLater(session, r);
        }
    }

    /** Closes a recorder off the media thread, then records its size in the metadata. */
    private void finalizeLater(RecordingSession session, RecordingBackend.Recorder r) {
        context.recordings().background(() -> {
            try {
                r.close();
            } finally {
                room.execute(null, "recording", () -> {
                    for (int i = 0; i < session.files.size(); i++) {
                        RecordingSession.Recorded f = session.files.get(i);
                        if (f.file().equals(r.fileName())) {
                            session.files.set(i, new RecordingSession.Recorded(f.participantId(), f.name(), f.role(),
                                    f.consentedAt(), f.file(), r.bytesWritten()));
                        }
                    }
                    context.recordings().save(session);
                });
            }
        });
    }

    private void broadcastRecordingState(String reason, String by) {
        ObjectNode m = Messages.of("recording-state");
        m.put("recordingId", recording.id);
        m.put("state", recording.state.name().toLowerCase(java.util.Locale.ROOT));
        if (reason != null) {
            m.put("reason", reason);
        }
        if (by != null) {
            m.put("by", by);
        }
        ArrayNode waiting = m.putArray("waitingFor");
        if (recording.isActive()) {
            waitingForConsent().forEach(waiting::add);
        }
        room.broadcast(m, null);
    }

    /** The latest recording of this visit (active or stopped), or null. */
    RecordingSession session() {
        return recording;
    }

    /** Who the active recording waits for (has not consented yet). */
    List<String> waitingFor() {
        return recording == null || !recording.isActive() ? List.of() : waitingForConsent();
    }
}
