package org.medibridge.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.medibridge.appointment.Appointment;
import org.medibridge.router.MediaRoom;
import org.medibridge.router.MediaWorker;
import org.medibridge.signaling.Messages;
import org.medibridge.signaling.SignalingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room: who is in it (join, leave, the participant set), what everyone in the call is told,
 * and the wiring of its parts, each in its own class:
 * <ul>
 *   <li>{@link RoomModeration}: admission, the waiting room, moderation, ending the visit;</li>
 *   <li>{@link RoomRecording}: recording, only with everyone's consent;</li>
 *   <li>{@link PublisherSignaling} and {@link SubscriberSignaling}: each participant's two peer
 *       connections ({@link PeerConnections}: what both negotiate alike; {@link TransportEvents}:
 *       the events of their transports);</li>
 *   <li>{@link RoomPeriodicChecks}: what the room timer checks;</li>
 *   <li>{@link RoomAudit}: the room's entries in the audit log.</li>
 * </ul>
 * Requests come in through this class's methods, which delegate. All of it runs on the room's
 * media worker (the same thread as its packets), so signaling and media state never race and
 * nothing takes a lock; callers post with {@link #execute}.
 */
public final class Room {
    private static final Logger LOG = LoggerFactory.getLogger(Room.class);
    public static final int MAX_PARTICIPANTS = 16;

    private final String id;
    /** The registry's key: open rooms and appointments have separate name spaces. */
    private final String key;
    private final MediaWorker worker;
    private final RoomContext context;
    private MediaRoom media;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    /** The appointment this room belongs to, or null for an open (--dev) room. */
    private Appointment appointment;
    private final RoomAudit audit;
    private final RoomRecording recording;
    private final RoomModeration moderation;
    private final RoomPeriodicChecks periodicChecks;
    private final SubscriberSignaling subscriberSignaling;
    private final PublisherSignaling publisherSignaling;
    private boolean closed;

    Room(String id, String key, MediaWorker worker, RoomContext context, Appointment appointment) {
        this.id = id;
        this.key = key;
        this.worker = worker;
        this.context = context;
        this.appointment = appointment;
        this.audit = new RoomAudit(id, context);
        this.recording = new RoomRecording(this, context, audit);
        // Without a waiting room, patients come in as soon as the doctor is there.
        this.moderation = new RoomModeration(this, context, audit, recording,
                appointment != null && !appointment.waitingRoom());
        this.periodicChecks = new RoomPeriodicChecks(this, audit, recording);
        this.subscriberSignaling = new SubscriberSignaling(this, context);
        this.publisherSignaling = new PublisherSignaling(this, context, subscriberSignaling, recording);
        worker.execute(() -> media = worker.createRoom(id));
    }

    public String id() { return id; }
    String key() { return key; }

    // ---- for the room's parts, on the room's thread ---------------------------------------------

    /**
     * The room's media state. Read it at each use, never keep it: it is set by the room's first
     * task on the worker, after the constructor has returned.
     */
    MediaRoom media() { return media; }

    /** Closed: its media room is gone and the registry has forgotten it. */
    boolean isClosed() { return closed; }

    /** The appointment this room belongs to, or null for an open (--dev) room. */
    Appointment appointment() { return appointment; }

    /** The appointment as the store has it now (read again at each join). */
    void updateAppointment(Appointment a) { appointment = a; }

    /** Who is here, for the API: present, waiting or admitted. */
    List<Participant> present() {
        return List.copyOf(participants.values());
    }

    /** The participant with this id, or null. */
    Participant participant(String participantId) {
        return participants.get(participantId);
    }

    /** Everyone here, waiting or in the call, in join order: a live view (copy it to end someone). */
    Collection<Participant> members() { return participants.values(); }

    /** Runs {@code task} on the room's thread; a {@link SignalingException} goes back to {@code p} as an error. */
    public void execute(Participant p, String requestType, Runnable task) {
        worker.execute(() -> {
            try {
                task.run();
                subscriberSignaling.flushRenegotiations();
            } catch (SignalingException e) {
                if (p != null) {
                    p.connection.send(Messages.error(e.code(), e.getMessage(), requestType));
                }
            } catch (RuntimeException e) {
                LOG.warn("room {}: {} failed", id, requestType, e);
                if (p != null) {
                    p.connection.send(Messages.error("internal_error", "The server could not handle this request", requestType));
                }
            }
        });
    }

    // ---- membership -------------------------------------------------------------------------

    /**
     * On the worker. Returns false when the room closed meanwhile (the caller retries with a new one).
     * {@code registered} runs once {@code p} is a member and before {@code joined} is sent, so that
     * the browser's first message after {@code joined} already finds its participant.
     */
    boolean join(Participant p, Consumer<Participant> registered) {
        if (closed) {
            return false;
        }
        if (appointment != null) {
            moderation.checkAppointmentOpen(p);
        }
        Participant previous = participants.get(p.id);
        if (previous != null) {
            // The same person joined again (another tab, a reconnect): the newest session wins.
            end(previous, "joined_elsewhere", "You joined this visit from another window or device");
        }
        if (participants.size() >= MAX_PARTICIPANTS) {
            throw new SignalingException("room_full", "This room already has " + MAX_PARTICIPANTS + " participants");
        }
        periodicChecks.occupied();
        p.joinedAt = context.clock().instant();
        p.stateSince = p.joinedAt;
        participants.put(p.id, p);
        registered.accept(p);
        boolean patient = appointment != null && !p.isDoctor();
        boolean readmitted = patient && moderation.wasAdmittedBefore(p);
        p.admitted = !patient || moderation.admitsOnJoin(p);
        if (p.admitted) {
            moderation.rememberAdmitted(p);
        }
        ObjectNode joined = Messages.of("joined");
        joined.put("room", id);
        joined.put("participantId", p.id);
        joined.put("name", p.name);
        joined.put("role", p.role == null ? "guest" : p.role.wireName());
        joined.put("state", p.admitted ? "admitted" : "waiting");
        if (appointment != null) {
            ObjectNode a = joined.putObject("appointment");
            a.put("id", appointment.id());
            a.put("start", appointment.start().toString());
            a.put("end", appointment.end().toString());
            a.put("closesAt", appointment.closesAt().toString());
            joined.set("roomState", moderation.roomState());
        }
        joined.set("participants", p.admitted ? describeInCall(p) : Messages.array());
        p.connection.send(joined);
        audit.participantEvent("join_accepted", p, null);
        if (readmitted) {
            audit.participantEvent("readmitted", p, null);
        }
        if (p.admitted) {
            enterCall(p);
        } else {
            p.waitingSince = context.clock().instant();
            ObjectNode waiting = Messages.of("waiting");
            waiting.put("doctorPresent", moderation.doctorPresent());
            p.connection.send(waiting);
            moderation.sendWaitingList();
        }
        if (p.isDoctor()) {
            moderation.onDoctorPresenceChanged();
            p.connection.send(moderation.waitingList());
        }
        LOG.info("room {}: participant {} joined ({}, {} present)", id, p.id, p.admitted ? "admitted" : "waiting",
                participants.size());
        return true;
    }

    /** {@code p} becomes part of the call: everyone admitted sees them and they see everyone. */
    void enterCall(Participant p) {
        ObjectNode announce = Messages.of("participant-joined");
        announce.set("participant", describe(p));
        broadcast(announce, p);
        for (Participant o : inCall()) {
            if (o == p) {
                continue;
            }
            for (Track t : o.tracks) {
                subscriberSignaling.addSlot(p, t);
            }
            for (Track t : p.tracks) {
                subscriberSignaling.addSlot(o, t);
                subscriberSignaling.renegotiate(o);
            }
        }
        for (Track t : p.tracks) {
            broadcast(Messages.track("track-published", p.id, t.id, t.kind.sdpName()), null);
        }
        subscriberSignaling.renegotiate(p);
        recording.onJoinedDuringRecording(p);
    }

    void leave(Participant p, String reason) {
        if (p.left) {
            return;
        }
        p.left = true;
        boolean wasInCall = p.admitted;
        participants.remove(p.id);
        if (wasInCall) {
            recording.onLeftDuringRecording(p); // after the removal: their consent is no longer needed
        }
        for (Track t : new ArrayList<>(p.tracks)) {
            publisherSignaling.unpublish(t);
        }
        for (SubscriberSlot s : p.slots) {
            if (s.leg != null) {
                media.unsubscribe(s.leg);
                s.leg = null;
            }
        }
        if (p.publisherEndpoint != null) {
            media.removeEndpoint(p.publisherEndpoint);
        }
        if (p.subscriberEndpoint != null) {
            subscriberSignaling.logSubscriberTotals(p);
            media.removeEndpoint(p.subscriberEndpoint);
        }
        context.closeLater(p.publisherTransport);
        context.closeLater(p.subscriberTransport);
        if (wasInCall) {
            broadcast(Messages.participantLeft(p.id, reason), p);
        } else {
            moderation.sendWaitingList();
        }
        if (p.isDoctor()) {
            moderation.onDoctorPresenceChanged();
        }
        LOG.info("room {}: participant {} left ({}), {} present", id, p.id, reason, participants.size());
        if (participants.isEmpty()) {
            if (appointment == null) {
                close();
            } else {
                // An appointment's room (lock, auto-admit) outlives a short absence of everyone.
                periodicChecks.emptiedAt(context.clock().instant());
            }
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        media.close();
        context.roomClosed(this);
    }

    /** The server ends a participant's session: tell them why, then they leave. */
    void end(Participant p, String reason, String message) {
        if (p.left) {
            return;
        }
        p.connection.send(Messages.closed(reason, message));
        leave(p, switch (reason) {
            case "timeout", "removed", "denied", "ended", "appointment_over", "joined_elsewhere" -> reason;
            default -> "failed";
        });
        p.connection.close(1000, reason);
    }

    // ---- admission, waiting room, moderation (RoomModeration) -----------------------------------

    void setMediaState(Participant p, boolean audio, boolean video) {
        moderation.setMediaState(p, audio, video);
    }

    /** The moderation requests of docs/protocol.md; {@code by} must be the doctor. */
    void moderate(Participant by, String action, String targetId, Boolean audio, Boolean video, Boolean flag) {
        moderation.moderate(by, action, targetId, audio, video, flag);
    }

    void admit(Participant p, String by) {
        moderation.admit(p, by);
    }

    void deny(Participant p, String by) {
        moderation.deny(p, by);
    }

    void remove(Participant p, String by) {
        moderation.remove(p, by);
    }

    /** A moderator's mute ({@code true}), its lifting ({@code false}), or no change ({@code null}). */
    void setMuted(Participant p, Boolean audio, Boolean video, String by) {
        moderation.setMuted(p, audio, video, by);
    }

    /** Ends the visit for everyone (the doctor, or the booking system through the API). */
    void endVisit(String by, String message) {
        moderation.endVisit(by, message);
    }

    /** Closes the room because the appointment was cancelled (through the API). */
    void cancelVisit() {
        moderation.cancelVisit();
    }

    // ---- recording: only with everyone's consent (RoomRecording) -------------------------------

    RecordingSession requestRecording(Participant by, String byId) {
        return recording.requestRecording(by, byId);
    }

    void onRecordingConsent(Participant p, String recordingId, boolean consent) {
        recording.onRecordingConsent(p, recordingId, consent);
    }

    void stopRecording(String reason, String by) {
        recording.stopRecording(reason, by);
    }

    /** The latest recording of this visit (active or stopped), or null. */
    RecordingSession recording() {
        return recording.session();
    }

    /** Who the active recording waits for (has not consented yet). */
    List<String> recordingWaitingFor() {
        return recording.waitingFor();
    }

    // ---- what the room timer checks (RoomPeriodicChecks) ----------------------------------------

    /** Warns 5 minutes before the room closes, closes it at end + grace, frees it when long empty. */
    void checkLifecycle(java.time.Instant now) {
        periodicChecks.checkLifecycle(now);
    }

    void checkTimeouts(long nowNanos) {
        periodicChecks.checkTimeouts(nowNanos);
    }

    /** Once a second: connection quality, to the participants in the call when it changed. */
    void checkQuality(long nowNanos) {
        periodicChecks.checkQuality(nowNanos);
    }

    // ---- publisher connection (PublisherSignaling) ---------------------------------------------

    void onPublisherOffer(Participant p, String sdpText) {
        publisherSignaling.onPublisherOffer(p, sdpText);
    }

    // ---- subscriber connection (SubscriberSignaling) -------------------------------------------

    void onSubscriberAnswer(Participant p, String sdpText) {
        subscriberSignaling.onSubscriberAnswer(p, sdpText);
    }

    /** The browser asks for an ICE restart of the subscriber connection. */
    void onIceRestartRequest(Participant p, String pc) {
        subscriberSignaling.onIceRestartRequest(p, pc);
    }

    /** Adaptive stream: how large {@code p} shows each remote video, by subscriber mid. */
    void onRenderSize(Participant p, Map<String, int[]> sizes) {
        subscriberSignaling.onRenderSize(p, sizes);
    }

    /** A trickled ICE candidate, for either connection. */
    void onCandidate(Participant p, String pc, String candidate) {
        PeerConnections.onCandidate(p, pc, candidate);
    }

    // ---- participants and broadcasts -----------------------------------------------------------

    private ObjectNode describe(Participant p) {
        ObjectNode n = Messages.object();
        n.put("participantId", p.id);
        n.put("name", p.name);
        n.put("role", p.role == null ? "guest" : p.role.wireName());
        n.put("audio", p.audioEnabled);
        n.put("video", p.videoEnabled);
        ArrayNode tracks = n.putArray("tracks");
        for (Track t : p.tracks) {
            ObjectNode tn = tracks.addObject();
            tn.put("trackId", t.id);
            tn.put("kind", t.kind.sdpName());
        }
        return n;
    }

    /** Participants in the call (admitted); waiting ones see and hear nothing. */
    List<Participant> inCall() {
        List<Participant> list = new ArrayList<>(participants.size());
        for (Participant p : participants.values()) {
            if (p.admitted) {
                list.add(p);
            }
        }
        return list;
    }

    ArrayNode describeInCall(Participant except) {
        ArrayNode others = Messages.array();
        for (Participant o : inCall()) {
            if (o != except) {
                others.add(describe(o));
            }
        }
        return others;
    }

    /** To everyone in the call except {@code except}. */
    void broadcast(ObjectNode msg, Participant except) {
        for (Participant o : participants.values()) {
            if (o != except && o.admitted) {
                o.connection.send(msg);
            }
        }
    }

    public int participantCount() {
        return participants.size();
    }

    public MediaWorker worker() {
        return worker;
    }

    static String newParticipantId() {
        return "p-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL);
    }
}
