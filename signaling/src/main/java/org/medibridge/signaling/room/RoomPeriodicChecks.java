package org.medibridge.signaling.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.medibridge.appointment.Appointment;
import org.medibridge.signaling.Messages;

/**
 * What the room timer ({@link RoomRegistry}) checks in each room: the appointment's clock (the
 * ending-soon warnings, closing at end + grace, freeing a long-empty room), connections without
 * ICE consent or media, and connection quality.
 *
 * <p>Runs on the room's thread only, like {@link Room}: the timer posts each check with
 * {@link Room#execute}.
 */
final class RoomPeriodicChecks {
    /** Torn down after this long without ICE consent, DTLS or media (RFC 7675 consent expiry is 30 s). */
    static final long INACTIVITY_TIMEOUT_NANOS = 30_000_000_000L;
    static final Duration EMPTY_ROOM_TIMEOUT = Duration.ofSeconds(60);
    static final Duration ENDING_SOON_WARNING = Duration.ofMinutes(5);

    private final Room room;
    private final RoomAudit audit;
    private final RoomRecording recording;
    private boolean warnedEnd;
    private boolean warnedClosing;
    /** Since when an appointment's room has had nobody in it, or null. */
    private Instant emptySince;

    RoomPeriodicChecks(Room room, RoomAudit audit, RoomRecording recording) {
        this.room = room;
        this.audit = audit;
        this.recording = recording;
    }

    /** Someone joined: the room is no longer empty. */
    void occupied() {
        emptySince = null;
    }

    /** The last participant left an appointment's room at {@code now}. */
    void emptiedAt(Instant now) {
        emptySince = now;
    }

    /** Warns 5 minutes before the room closes, closes it at end + grace, frees it when long empty. */
    void checkLifecycle(Instant now) {
        Appointment appointment = room.appointment();
        if (room.isClosed() || appointment == null) {
            return;
        }
        if (emptySince != null && room.members().isEmpty()
                && !now.isBefore(emptySince.plus(EMPTY_ROOM_TIMEOUT))) {
            room.close();
            return;
        }
        if (!now.isBefore(appointment.closesAt())) {
            recording.stopRecording("ended", null);
            audit.roomEvent("closed", "reason", "appointment_over");
            for (Participant p : new ArrayList<>(room.members())) {
                room.end(p, "appointment_over", "The time booked for this visit is over");
            }
            room.close();
            return;
        }
        // Two warnings: 5 minutes before the booked end, and 5 minutes before the room closes
        // (end + grace) — one if they coincide.
        if (!warnedEnd && !now.isBefore(appointment.end().minus(ENDING_SOON_WARNING))) {
            warnedEnd = true;
            warnEnding(appointment);
        }
        if (!warnedClosing && !now.isBefore(appointment.closesAt().minus(ENDING_SOON_WARNING))) {
            warnedClosing = true;
            warnedEnd = true;
            warnEnding(appointment);
        }
    }

    private void warnEnding(Appointment appointment) {
        ObjectNode soon = Messages.of("ending-soon");
        soon.put("endsAt", appointment.end().toString());
        soon.put("closesAt", appointment.closesAt().toString());
        for (Participant p : room.members()) {
            p.connection.send(soon);
        }
    }

    void checkTimeouts(long nowNanos) {
        for (Participant p : new ArrayList<>(room.members())) {
            if (inactive(p.publisherTransport, nowNanos) || inactive(p.subscriberTransport, nowNanos)) {
                room.end(p, "timeout", "No ICE consent or media for 30 seconds");
            }
        }
    }

    private static boolean inactive(PeerTransport t, long nowNanos) {
        return t != null && nowNanos - t.lastActivityNanos() > INACTIVITY_TIMEOUT_NANOS;
    }

    /**
     * Once a second: samples each admitted participant's connection quality (both of its
     * connections, see ConnectionQualityMeter) and, when any level changed or someone has not had
     * the list yet, sends {@code connection-quality} to the admitted participants. Waiting
     * patients are neither measured nor told.
     */
    void checkQuality(long nowNanos) {
        if (room.isClosed()) {
            return;
        }
        List<Participant> admitted = new ArrayList<>();
        for (Participant p : room.members()) {
            if (p.admitted && !p.left) {
                admitted.add(p);
            }
        }
        boolean changed = false;
        for (Participant p : admitted) {
            if (ConnectionQualityReport.sample(p, nowNanos)) {
                changed = true;
            }
        }
        ObjectNode msg = null;
        for (Participant p : admitted) {
            if (changed || !p.qualityListReceived) {
                if (msg == null) {
                    msg = ConnectionQualityReport.message(admitted);
                    if (msg == null) {
                        return; // nobody measured yet
                    }
                }
                p.connection.send(msg);
                p.qualityListReceived = true;
            }
        }
    }
}
