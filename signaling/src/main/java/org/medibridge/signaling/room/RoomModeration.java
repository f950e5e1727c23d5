package org.medibridge.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.medibridge.appointment.Appointment;
import org.medibridge.router.MediaKind;
import org.medibridge.signaling.Messages;
import org.medibridge.signaling.SignalingException;

/**
 * An appointment room's admission and moderation: whether a newcomer may join (appointment open,
 * not removed, room not locked), the waiting room and its list for the doctor, admit, deny,
 * remove, mute (and the participant lifting it), lock, auto-admit, the doctor's presence, and
 * ending or cancelling the visit. docs/protocol.md lists the requests and their errors.
 *
 * <p>Runs on the room's thread only, like {@link Room}, which calls it.
 */
final class RoomModeration {
    private final Room room;
    private final RoomContext context;
    private final RoomAudit audit;
    private final RoomRecording recording;
    private boolean locked;
    private boolean autoAdmit;
    /**
     * Patients let into the call during this visit. One who joins again (a reconnect after the
     * phone changed networks, a reload, another tab) comes straight back in, also into a locked
     * visit: the doctor already admitted this person, and sending them to the waiting room mid-visit
     * would only interrupt the consultation. Removal is final (the appointment store refuses the
     * join); a denied patient was never in this set.
     */
    private final Set<String> admittedDuringVisit = new HashSet<>();

    RoomModeration(Room room, RoomContext context, RoomAudit audit, RoomRecording recording, boolean autoAdmit) {
        this.room = room;
        this.context = context;
        this.audit = audit;
        this.recording = recording;
        this.autoAdmit = autoAdmit;
    }

    /**
     * Whether a patient joining now comes straight into the call: one admitted earlier in this
     * visit, or anyone while auto-admit is on and a doctor is here.
     */
    boolean admitsOnJoin(Participant p) {
        return admittedDuringVisit.contains(p.id) || (autoAdmit && doctorPresent());
    }

    /** Whether {@code p} comes back into a call it was admitted to earlier (for the audit log). */
    boolean wasAdmittedBefore(Participant p) {
        return admittedDuringVisit.contains(p.id);
    }

    /** {@code p} is in the call now (admitted, or let straight in on joining). */
    void rememberAdmitted(Participant p) {
        if (!p.isDoctor()) {
            admittedDuringVisit.add(p.id);
        }
    }

    void checkAppointmentOpen(Participant p) {
        Appointment a = context.appointments().get(room.id()).orElse(null);
        if (a == null) {
            throw refused(p, "appointment_not_found", "This visit does not exist (any more)");
        }
        room.updateAppointment(a);
        if (a.status() == Appointment.Status.CANCELLED) {
            throw refused(p, "appointment_cancelled", "This visit was cancelled");
        }
        if (a.status() == Appointment.Status.ENDED || !context.clock().instant().isBefore(a.closesAt())) {
            throw refused(p, "appointment_ended", "This visit has ended");
        }
        if (context.appointments().isRemoved(room.id(), p.id)) {
            throw refused(p, "token_removed", "You were removed from this visit");
        }
        if (locked && !p.isDoctor() && !admittedDuringVisit.contains(p.id)) {
            throw refused(p, "room_locked", "The doctor has locked this visit; nobody new can join");
        }
    }

    private SignalingException refused(Participant p, String code, String message) {
        audit.participantEvent("join_rejected", p, code);
        return new SignalingException(code, message);
    }

    /** The moderation requests of docs/protocol.md; {@code by} must be the doctor. */
    void moderate(Participant by, String action, String targetId, Boolean audio, Boolean video, Boolean flag) {
        if (by == null || !by.isDoctor() || by.left) {
            throw new SignalingException("forbidden", "Only the doctor of this visit can do that");
        }
        switch (action) {
            case "lock" -> setLocked(flag, by.id);
            case "auto-admit" -> setAutoAdmit(flag, by.id);
            case "end-visit" -> endVisit(by.id, "The doctor ended the visit");
            default -> {
                Participant target = room.participant(targetId);
                if (target == null) {
                    throw new SignalingException("participant_not_found", "No participant \"" + targetId + "\" here");
                }
                switch (action) {
                    case "admit" -> admit(target, by.id);
                    case "deny" -> deny(target, by.id);
                    case "remove" -> remove(target, by.id);
                    case "mute" -> mute(target, Boolean.TRUE.equals(audio), Boolean.TRUE.equals(video), by.id);
                    default -> throw new SignalingException("unknown_type", "Unknown moderation action");
                }
            }
        }
    }

    void admit(Participant p, String by) {
        if (p.admitted) {
            return;
        }
        p.admitted = true;
        rememberAdmitted(p);
        p.waitingSince = null;
        p.stateSince = context.clock().instant();
        ObjectNode admitted = Messages.of("admitted");
        admitted.set("participants", room.describeInCall(p));
        admitted.set("roomState", roomState());
        p.connection.send(admitted);
        room.enterCall(p);
        sendWaitingList();
        audit.participantEvent("admitted", p, null, "by", by);
    }

    void deny(Participant p, String by) {
        if (p.admitted) {
            throw new SignalingException("participant_not_waiting", "This participant is not waiting");
        }
        audit.participantEvent("denied", p, null, "by", by);
        room.end(p, "denied", "The doctor could not let you in this time");
    }

    void remove(Participant p, String by) {
        if (p.isDoctor()) {
            throw new SignalingException("forbidden", "The doctor cannot be removed");
        }
        context.appointments().markRemoved(room.id(), p.id);
        audit.participantEvent("removed", p, null, "by", by);
        room.end(p, "removed", "The doctor removed you from this visit");
    }

    void mute(Participant p, boolean audio, boolean video, String by) {
        if (!audio && !video) {
            throw new SignalingException("bad_request", "Say which to mute: \"audio\": true and/or \"video\": true");
        }
        setMuted(p, audio ? Boolean.TRUE : null, video ? Boolean.TRUE : null, by);
    }

    /** A moderator's mute ({@code true}), its lifting ({@code false}), or no change ({@code null}). */
    void setMuted(Participant p, Boolean audio, Boolean video, String by) {
        if (audio != null) {
            p.audioMutedByModerator = audio;
            if (audio) {
                p.audioEnabled = false;
            }
            pauseTracks(p, MediaKind.AUDIO, audio);
        }
        if (video != null) {
            p.videoMutedByModerator = video;
            if (video) {
                p.videoEnabled = false;
            }
            pauseTracks(p, MediaKind.VIDEO, video);
        }
        ObjectNode muted = Messages.of("muted");
        muted.put("audio", p.audioMutedByModerator);
        muted.put("video", p.videoMutedByModerator);
        muted.put("by", by);
        p.connection.send(muted);
        if (p.admitted) {
            room.broadcast(Messages.participantUpdated(p.id, p.audioEnabled, p.videoEnabled), p);
        }
        audit.participantEvent("muted", p, null, "by", by, "audio", String.valueOf(audio), "video", String.valueOf(video));
    }

    private void pauseTracks(Participant p, MediaKind kind, boolean paused) {
        for (Track t : p.tracks) {
            if (t.kind == kind) {
                if (t.simulcast != null) {
                    room.media().setPaused(t.simulcast, paused);
                } else {
                    room.media().setPaused(t.stream, paused);
                }
            }
        }
    }

    private void setLocked(Boolean locked, String by) {
        if (locked == null) {
            throw new SignalingException("bad_request", "\"locked\" must be true or false");
        }
        this.locked = locked;
        room.broadcast(roomStateMessage(), null);
        audit.roomEvent(locked ? "locked" : "unlocked", "by", by);
    }

    private void setAutoAdmit(Boolean enabled, String by) {
        if (enabled == null) {
            throw new SignalingException("bad_request", "\"enabled\" must be true or false");
        }
        this.autoAdmit = enabled;
        room.broadcast(roomStateMessage(), null);
        audit.roomEvent(enabled ? "auto_admit_on" : "auto_admit_off", "by", by);
        admitWaitingIfAuto();
    }

    /** Ends the visit for everyone (the doctor, or the booking system through the API). */
    void endVisit(String by, String message) {
        recording.stopRecording("ended", by);
        context.appointments().setStatus(room.id(), Appointment.Status.ENDED);
        audit.roomEvent("ended", "by", by);
        for (Participant p : new ArrayList<>(room.members())) {
            room.end(p, "ended", message);
        }
        room.close();
    }

    /** Closes the room because the appointment was cancelled (through the API). */
    void cancelVisit() {
        recording.stopRecording("ended", "api");
        for (Participant p : new ArrayList<>(room.members())) {
            room.end(p, "ended", "This visit was cancelled");
        }
        room.close();
    }

    boolean doctorPresent() {
        return room.members().stream().anyMatch(Participant::isDoctor);
    }

    void onDoctorPresenceChanged() {
        boolean present = doctorPresent();
        for (Participant p : room.members()) {
            if (!p.admitted) {
                ObjectNode waiting = Messages.of("waiting");
                waiting.put("doctorPresent", present);
                p.connection.send(waiting);
            }
        }
        room.broadcast(roomStateMessage(), null);
        admitWaitingIfAuto();
    }

    private void admitWaitingIfAuto() {
        if (!autoAdmit || !doctorPresent()) {
            return;
        }
        for (Participant p : new ArrayList<>(room.members())) {
            if (!p.admitted) {
                admit(p, "auto-admit");
            }
        }
    }

    ObjectNode roomState() {
        ObjectNode n = Messages.object();
        n.put("locked", locked);
        n.put("autoAdmit", autoAdmit);
        n.put("doctorPresent", doctorPresent());
        return n;
    }

    private ObjectNode roomStateMessage() {
        ObjectNode n = roomState();
        n.put("type", "room-state");
        return n;
    }

    ObjectNode waitingList() {
        ObjectNode list = Messages.of("waiting-list");
        ArrayNode waiting = list.putArray("waiting");
        for (Participant p : room.members()) {
            if (!p.admitted) {
                ObjectNode w = waiting.addObject();
                w.put("participantId", p.id);
                w.put("name", p.name);
                w.put("since", String.valueOf(p.waitingSince));
            }
        }
        return list;
    }

    void sendWaitingList() {
        ObjectNode list = null;
        for (Participant p : room.members()) {
            if (p.isDoctor()) {
                if (list == null) {
                    list = waitingList();
                }
                p.connection.send(list);
            }
        }
    }

    /** The participant's own microphone and camera ({@code media-state}), told to the others. */
    void setMediaState(Participant p, boolean audio, boolean video) {
        p.audioEnabled = audio;
        p.videoEnabled = video;
        // Turning one's own microphone or camera back on lifts a moderator's mute of it.
        if (audio && p.audioMutedByModerator) {
            p.audioMutedByModerator = false;
            pauseTracks(p, MediaKind.AUDIO, false);
        }
        if (video && p.videoMutedByModerator) {
            p.videoMutedByModerator = false;
            pauseTracks(p, MediaKind.VIDEO, false);
        }
        if (p.admitted) {
            room.broadcast(Messages.participantUpdated(p.id, audio, video), p);
        }
    }
}
