package org.medibridge.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.medibridge.appointment.Appointment;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.router.HeaderExtensionIds;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.MediaEndpoint;
import org.medibridge.router.MediaKind;
import org.medibridge.router.MediaRoom;
import org.medibridge.router.Rtx;
import org.medibridge.router.SimulcastSource;
import org.medibridge.router.MediaWorker;
import org.medibridge.sdp.SdpParseException;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.signaling.Messages;
import org.medibridge.signaling.SignalingException;
import org.medibridge.signaling.negotiation.LocalTransportParameters;
import org.medibridge.signaling.negotiation.NegotiationException;
import org.medibridge.signaling.negotiation.OutgoingTrack;
import org.medibridge.signaling.negotiation.PublishedTrack;
import org.medibridge.signaling.negotiation.PublisherAnswer;
import org.medibridge.signaling.negotiation.PublisherNegotiation;
import org.medibridge.signaling.negotiation.SubscriberAnswer;
import org.medibridge.signaling.negotiation.SubscriberNegotiation;
import org.medibridge.signaling.negotiation.SubscriberRtpParameters;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room: who is in it, what they publish, and the negotiation of everyone's two peer
 * connections. All of it runs on the room's media worker (the same thread as its packets), so
 * signaling and media state never race; callers post with {@link #execute}.
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
        worker.execute(() -> media = worker.createRoom(id));
    }

    public String id() { return id; }
    String key() { return key; }

    // ---- for the room's parts (RoomRecording, ...), on the room's thread --------------------------

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
    java.util.Collection<Participant> members() { return participants.values(); }

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
    boolean join(Participant p, java.util.function.Consumer<Participant> registered) {
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
        p.admitted = !patient || moderation.admitsOnJoin();
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
            unpublish(t);
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

    // ---- publisher connection ---------------------------------------------------------------

    void onPublisherOffer(Participant p, String sdpText) {
        SessionDescription offer = PeerConnections.parse(sdpText);
        boolean created = false;
        if (p.publisherTransport == null) {
            p.publisherTransport = TransportEvents.createTransport(this, context, subscriberSignaling, p, true);
            created = true;
        }
        PublisherAnswer answer;
        try {
            answer = PublisherNegotiation.answer(offer, PeerConnections.local(context, p.publisherTransport, 1));
        } catch (NegotiationException e) {
            if (created) {
                context.closeLater(p.publisherTransport);
                p.publisherTransport = null;
            }
            throw new SignalingException(e.code(), e.getMessage());
        }
        boolean iceRestart = p.publisherRemoteUfrag != null && !p.publisherRemoteUfrag.equals(answer.remoteIceUfrag());
        if (iceRestart) {
            // The browser restarted ICE (pc.restartIce(): its path died). New credentials on our
            // side too, so the answer is built again with them; DTLS and SRTP carry on.
            PeerConnections.checkIceRestartRate(p, true);
            p.publisherTransport.restartIce();
            context.countIceRestart(true);
            try {
                answer = PublisherNegotiation.answer(offer, PeerConnections.local(context, p.publisherTransport, 1));
            } catch (NegotiationException e) {
                throw new SignalingException(e.code(), e.getMessage());
            }
            p.publisherRemoteUfrag = answer.remoteIceUfrag();
            p.publisherTransport.startRestartedIce(answer.remoteIceUfrag(), answer.remoteIcePwd());
            PeerConnections.addCandidates(p.publisherTransport, answer.remoteCandidates());
            LOG.info("room {}: participant {} publisher ICE restart", id, p.id);
        }
        if (p.publisherEndpoint == null) {
            p.publisherEndpoint = media.addEndpoint(p.id + "/publisher", MediaEndpoint.Role.PUBLISHER,
                    p.publisherTransport::send, HeaderExtensionIds.fromUris(answer.headerExtensions()), p.id);
        }
        if (p.publisherRemoteUfrag == null) {
            p.publisherRemoteUfrag = answer.remoteIceUfrag();
            p.publisherTransport.start(answer.remoteIceUfrag(), answer.remoteIcePwd(),
                    answer.remoteFingerprint().algorithm(), answer.remoteFingerprint().value(),
                    answer.serverIsDtlsServer());
            PeerConnections.addCandidates(p.publisherTransport, answer.remoteCandidates());
        }
        p.connection.send(Messages.sdp("answer", "publisher", SdpWriter.write(answer.answer())));
        updateTracks(p, answer.tracks());
    }

    private void updateTracks(Participant p, List<PublishedTrack> offered) {
        List<Track> gone = new ArrayList<>();
        for (Track t : p.tracks) {
            boolean still = offered.stream().anyMatch(o -> o.mid().equals(t.publisherMid)
                    && (t.simulcast != null ? o.simulcast() : t.stream != null && o.ssrc() == t.stream.ssrc()));
            if (!still) {
                gone.add(t);
            }
        }
        gone.forEach(this::unpublish);
        for (PublishedTrack o : offered) {
            boolean known = p.tracks.stream().anyMatch(t -> t.publisherMid.equals(o.mid()));
            if (known) {
                continue;
            }
            MediaKind kind = o.kind() == org.medibridge.sdp.MediaKind.AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
            String trackId = p.id + ":" + o.mid();
            boolean mutedKind = kind == MediaKind.AUDIO && p.audioMutedByModerator
                    || kind == MediaKind.VIDEO && p.videoMutedByModerator;
            Track t;
            if (o.simulcast() && kind == MediaKind.VIDEO) {
                // rid simulcast: the layers' SSRCs are learnt from their rtp-stream-id (RFC 8852).
                SimulcastSource source = media.addSimulcastSource(p.publisherEndpoint, trackId, kind, o.payloadType(),
                        o.clockRate(), o.rids());
                media.setRepair(source, o.nack(), o.rtxPayloadType()); // NACKs out, RTX in (RFC 4588)
                t = new Track(trackId, p, o.mid(), kind, null, source);
                if (mutedKind) {
                    media.setPaused(source, true);
                }
            } else if (o.ssrc() < 0) {
                LOG.info("room {}: participant {} track {} declares no SSRC; not forwarded", id, p.id, o.mid());
                continue;
            } else {
                IncomingStream stream = media.addIncomingStream(p.publisherEndpoint, trackId, kind, o.ssrc(),
                        o.payloadType(), o.clockRate());
                media.setRepair(stream, o.nack(), o.rtxSsrc(), o.rtxPayloadType()); // NACKs out, RTX in (RFC 4588)
                t = new Track(trackId, p, o.mid(), kind, stream);
                if (mutedKind) {
                    media.setPaused(stream, true);
                }
            }
            p.tracks.add(t);
            if (!p.admitted) {
                continue; // a waiting participant's media goes nowhere until the doctor admits them
            }
            broadcast(Messages.track("track-published", p.id, t.id, kind.sdpName()), null);
            recording.onTrackPublishedDuringRecording(p, t);
            for (Participant sub : inCall()) {
                if (sub != p) {
                    subscriberSignaling.addSlot(sub, t);
                    subscriberSignaling.renegotiate(sub);
                }
            }
        }
    }

    private void unpublish(Track t) {
        Participant owner = t.owner;
        owner.tracks.remove(t);
        for (Participant sub : participants.values()) {
            boolean changed = false;
            for (SubscriberSlot s : sub.slots) {
                if (s.track == t && s.active) {
                    s.active = false;
                    if (s.leg != null) {
                        media.unsubscribe(s.leg);
                        s.leg = null;
                    }
                    changed = true;
                }
            }
            if (changed) {
                subscriberSignaling.renegotiate(sub);
            }
        }
        if (t.simulcast != null) {
            media.removeSimulcastSource(t.simulcast);
        } else {
            media.removeIncomingStream(t.stream);
        }
        if (owner.admitted) {
            broadcast(Messages.track("track-unpublished", owner.id, t.id, t.kind.sdpName()), owner.left ? owner : null);
        }
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
    void onRenderSize(Participant p, java.util.Map<String, int[]> sizes) {
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
