package org.medibridge.audit;

import java.util.Map;

/**
 * The append-only audit trail of security-relevant events: one JSON object per line (JSON Lines),
 * each carrying the SHA-256 of the previous line so that tampering is detectable
 * ({@link AuditVerifier}). Ids, roles, names and reasons only — never tokens, keys or media.
 * Thread-safe; an append is durable (flushed) before it returns.
 */
public interface AuditLog extends AutoCloseable {
    /**
     * Appends {@code event} (e.g. "appointment_created", "join_accepted", "join_rejected",
     * "admitted", "denied", "muted", "removed", "locked", "unlocked", "ended", "cancelled") for
     * {@code appointmentId} with extra string fields (participantId, role, name, reason, by, ...).
     */
    void append(String event, String appointmentId, Map<String, String> fields);

    @Override
    void close();
}
