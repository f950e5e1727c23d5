package org.medibridge.token;

import java.time.Instant;
import org.medibridge.appointment.Role;

/**
 * What a verified join token says (JWT claims): {@code room} (the appointment id), {@code sub}
 * (the participant id), {@code name}, {@code role}, {@code nbf}, {@code exp}.
 */
public record JoinClaims(String room, String participantId, String name, Role role,
                         Instant notBefore, Instant expiresAt) {
}
