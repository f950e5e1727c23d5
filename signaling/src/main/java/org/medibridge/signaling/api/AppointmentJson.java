package org.medibridge.signaling.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Person;

/** The JSON shapes of docs/api.yaml: Appointment, AppointmentSummary, ParticipantStatus. */
final class AppointmentJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AppointmentJson() {
    }

    /**
     * An appointment with its participants; {@code joinUrl} gives a participant's link, or null
     * for none (removed participants, closed appointments).
     */
    static ObjectNode appointment(Appointment a, Function<Person, String> joinUrl, Function<Person, Boolean> removed) {
        ObjectNode n = header(a);
        ArrayNode ps = n.putArray("participants");
        for (Person p : a.participants()) {
            ObjectNode o = person(p);
            o.put("removed", removed.apply(p));
            String url = joinUrl.apply(p);
            if (url != null) {
                o.put("joinUrl", url);
            }
            ps.add(o);
        }
        return n;
    }

    /** The list entry: everything but the links. */
    static ObjectNode summary(Appointment a) {
        ObjectNode n = header(a);
        ArrayNode ps = n.putArray("participants");
        a.participants().forEach(p -> ps.add(person(p)));
        return n;
    }

    static ObjectNode list(List<Appointment> all) {
        ObjectNode n = F.objectNode();
        ArrayNode arr = n.putArray("appointments");
        all.forEach(a -> arr.add(summary(a)));
        return n;
    }

    /** Every booked participant with their live state: offline, waiting or admitted. */
    static ObjectNode participants(Appointment a, List<Presence> present, Function<Person, Boolean> removed) {
        Map<String, Presence> byId = new java.util.HashMap<>();
        present.forEach(p -> byId.put(p.participantId(), p));
        ObjectNode n = F.objectNode();
        n.put("appointmentId", a.id());
        ArrayNode ps = n.putArray("participants");
        for (Person p : a.participants()) {
            ObjectNode o = person(p);
            o.put("removed", removed.apply(p));
            Presence pr = byId.get(p.id());
            if (pr == null) {
                o.put("state", "offline");
            } else {
                o.put("state", pr.state().name().toLowerCase(Locale.ROOT));
                putTime(o, "connectedSince", pr.connectedSince());
                putTime(o, "stateSince", pr.stateSince());
                o.put("audioMuted", pr.audioMuted());
                o.put("videoMuted", pr.videoMuted());
            }
            ps.add(o);
        }
        return n;
    }

    private static ObjectNode header(Appointment a) {
        ObjectNode n = F.objectNode();
        n.put("id", a.id());
        n.put("status", a.status().name().toLowerCase(Locale.ROOT));
        putTime(n, "start", a.start());
        putTime(n, "end", a.end());
        n.put("earlyJoinMinutes", a.earlyJoin().toMinutes());
        n.put("graceMinutes", a.grace().toMinutes());
        n.put("waitingRoom", a.waitingRoom());
        putTime(n, "joinFrom", a.joinFrom());
        putTime(n, "closesAt", a.closesAt());
        putTime(n, "createdAt", a.createdAt());
        return n;
    }

    private static ObjectNode person(Person p) {
        ObjectNode o = F.objectNode();
        o.put("id", p.id());
        o.put("name", p.name());
        o.put("role", p.role().wireName());
        return o;
    }

    private static void putTime(ObjectNode n, String field, Instant t) {
        if (t != null) {
            n.put(field, t.toString());
        }
    }
}
