package org.medibridge.signaling.room;

import org.medibridge.buffer.PacketBuffer;
import org.medibridge.srtp.SrtpKeyingMaterial;

/** Creates peer transports; the server wires the ice module in. */
public interface PeerTransportFactory {
    PeerTransport create(boolean iceControlling, Listener listener);

    /** Transport events. Threads are noted per method; none may block. */
    interface Listener {
        /** DTLS finished (on a DTLS handshake thread). */
        void onConnected(SrtpKeyingMaterial keys);

        /** An RTP or RTCP datagram (on the ICE receive thread); takes ownership of the buffer. */
        void onMediaPacket(PacketBuffer packet);

        /** ICE or DTLS failed, or the peer closed (any thread). */
        void onClosed(String reason);
    }
}
