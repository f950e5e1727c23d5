package org.medibridge.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.medibridge.bwe.ConnectionQuality;
import org.medibridge.signaling.Messages;

/**
 * The {@code connection-quality} message (docs/protocol.md): each measured participant's level,
 * for the badge the demo shows on every tile. Runs on the room's worker thread.
 */
final class ConnectionQualityReport {
    private ConnectionQualityReport() {
    }

    /** Takes one sample of {@code p}'s connections; true when its reported level changed. */
    static boolean sample(Participant p, long nowNanos) {
        var pub = p.publisherEndpoint;
        var sub = p.subscriberEndpoint;
        if ((pub == null || !pub.isReady()) && (sub == null || !sub.isReady())) {
            return false;
        }
        ConnectionQuality.Level level = p.qualityMeter.sample(pub, sub, nowNanos);
        if (!p.qualityMeter.hasSample() || level == p.qualityReported) {
            return false;
        }
        p.qualityReported = level;
        return true;
    }

    /** {@code {"type":"connection-quality","participants":[{participantId, quality}]}}, or null when nobody is measured. */
    static ObjectNode message(List<Participant> admitted) {
        ArrayNode list = Messages.array();
        for (Participant p : admitted) {
            if (p.qualityReported != null) {
                list.addObject().put("participantId", p.id).put("quality", name(p.qualityReported));
            }
        }
        if (list.isEmpty()) {
            return null;
        }
        ObjectNode msg = Messages.of("connection-quality");
        msg.set("participants", list);
        return msg;
    }

    static String name(ConnectionQuality.Level level) {
        return level.name().toLowerCase(Locale.ROOT);
    }
}
