package org.medibridge.signaling.room;

import org.medibridge.buffer.PacketBuffer;
import org.medibridge.router.MediaEndpoint;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one participant's publisher or subscriber transport, ignoring those of a
 * transport already replaced. They come on the transport's threads (ICE, DTLS): connected and
 * closed are posted to the room's thread with {@link Room#execute}; a media packet goes straight
 * to the room's worker queue, so it reads only the participant's volatile transport and endpoint.
 */
final class TransportEvents implements PeerTransportFactory.Listener {
    /** Logs as Room, so that log lines and logger levels stay those of before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private final Room room;
    private final RoomContext context;
    private final SubscriberSignaling subscribers;
    private final Participant p;
    private final boolean publisher;
    volatile PeerTransport transport;

    private TransportEvents(Room room, RoomContext context, SubscriberSignaling subscribers, Participant p,
                            boolean publisher) {
        this.room = room;
        this.context = context;
        this.subscribers = subscribers;
        this.p = p;
        this.publisher = publisher;
    }

    /** Creates a transport whose events reach {@code room}, ignoring those of transports already replaced. */
    static PeerTransport createTransport(Room room, RoomContext context, SubscriberSignaling subscribers,
                                         Participant p, boolean publisher) {
        TransportEvents events = new TransportEvents(room, context, subscribers, p, publisher);
        events.transport = context.transports().create(!publisher, events);
        return events.transport;
    }

    private boolean current() {
        return !p.left && transport == (publisher ? p.publisherTransport : p.subscriberTransport);
    }

    private String which() {
        return publisher ? "publisher" : "subscriber";
    }

    @Override
    public void onConnected(SrtpKeyingMaterial keys) {
        room.execute(null, "transport", () -> {
            MediaEndpoint ep = publisher ? p.publisherEndpoint : p.subscriberEndpoint;
            if (current() && ep != null) {
                room.media().setSrtp(ep, new SrtpSession(keys));
                LOG.info("room {}: participant {} {} connected ({})", room.id(), p.id, which(), keys.profile());
            }
        });
    }

    @Override
    public void onMediaPacket(PacketBuffer packet) {
        MediaEndpoint ep = publisher ? p.publisherEndpoint : p.subscriberEndpoint;
        if (ep == null || transport != (publisher ? p.publisherTransport : p.subscriberTransport)) {
            context.countEarlyPacket();
            packet.release();
            return;
        }
        packet.setReceiver(ep);
        room.worker().submit(packet);
    }

    @Override
    public void onClosed(String reason) {
        room.execute(null, "transport", () -> {
            if (!current()) {
                return;
            }
            LOG.info("room {}: participant {} {} transport closed: {}", room.id(), p.id, which(), reason);
            if (!publisher && p.slots.stream().noneMatch(s -> s.active)) {
                // Every m-line was rejected, so the browser tore the bundle transport down
                // (JSEP §5.2.2). Not a failure: the next subscriber offer starts a new connection.
                subscribers.resetSubscriber(p);
                return;
            }
            room.end(p, reason.contains("timeout") ? "timeout" : "failed", "The media connection ended: " + reason);
        });
    }
}
