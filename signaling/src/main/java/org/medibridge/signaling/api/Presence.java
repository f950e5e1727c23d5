package org.medibridge.signaling.api;

import java.time.Instant;

/**
 * One participant connected to an appointment's room, as the room sees them.
 *
 * @param participantId the booked participant id
 * @param state WAITING (in the waiting room, no media) or ADMITTED (in the call)
 * @param connectedSince when their signaling connection joined
 * @param stateSince when they entered {@code state} (joined the waiting room, or were admitted)
 * @param audioMuted whether their audio is muted by the server (moderation), not by themselves
 * @param videoMuted the same for video
 */
public record Presence(String participantId, State state, Instant connectedSince, Instant stateSince,
                       boolean audioMuted, boolean videoMuted) {

    public enum State { WAITING, ADMITTED }
}
