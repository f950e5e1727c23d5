package org.medibridge.audit;

import java.util.Map;

/**
 * An {@link AuditLog} that records nothing: for tests, and for servers run without an audit file.
 * It still refuses the field names and values that {@link FileAuditLog} refuses, so that a test
 * catches an event that would leak a token.
 */
public final class NoopAuditLog implements AuditLog {
    public static final NoopAuditLog INSTANCE = new NoopAuditLog();

    @Override
    public void append(String event, String appointmentId, Map<String, String> fields) {
        if (fields != null) {
            fields.forEach((name, value) -> {
                AuditLines.checkFieldName(name);
                AuditLines.checkValue(name, value);
            });
        }
    }

    @Override
    public void close() {
        // nothing
    }
}
