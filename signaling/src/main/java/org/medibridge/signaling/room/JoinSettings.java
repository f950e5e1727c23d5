package org.medibridge.signaling.room;

import java.time.Clock;
import org.medibridge.appointment.AppointmentStore;
import org.medibridge.audit.AuditLog;
import org.medibridge.token.JoinTokens;

/**
 * What a signaling session needs to admit someone.
 *
 * @param openRooms --dev: any room may be joined without a token (as a guest)
 * @param tokens verifies join tokens; null when no JWT secret/key is configured (then only open
 *               rooms work)
 */
public record JoinSettings(boolean openRooms, JoinTokens tokens, AppointmentStore appointments, Clock clock,
                           AuditLog audit) {
}
