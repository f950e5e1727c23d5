package org.medibridge.signaling.room;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A room's entries in the audit log: who (id, role, name), why, and the event's own fields, in
 * the order given. Never a token. Used on the room's thread, like everything else of a room; the
 * log itself is thread-safe.
 */
final class RoomAudit {
    private final String roomId;
    private final RoomContext context;

    RoomAudit(String roomId, RoomContext context) {
        this.roomId = roomId;
        this.context = context;
    }

    /** An event about {@code p}; {@code reason} (may be null) and then {@code more} as name, value pairs. */
    void participantEvent(String event, Participant p, String reason, String... more) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("participantId", p.id);
        f.put("role", p.role == null ? "guest" : p.role.wireName());
        f.put("name", p.name);
        if (reason != null) {
            f.put("reason", reason);
        }
        for (int i = 0; i + 1 < more.length; i += 2) {
            f.put(more[i], more[i + 1]);
        }
        context.audit().append(event, roomId, f);
    }

    /** An event about the room as a whole; {@code more} as name, value pairs. */
    void roomEvent(String event, String... more) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i + 1 < more.length; i += 2) {
            f.put(more[i], more[i + 1]);
        }
        context.audit().append(event, roomId, f);
    }
}
