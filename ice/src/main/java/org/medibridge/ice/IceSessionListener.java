package org.medibridge.ice;

import org.medibridge.buffer.PacketBuffer;

/** Notifications of one {@link IceSession}. */
public interface IceSessionListener {
    /** ICE reached COMPLETED (a pair was nominated). Called once, on an ice4j agent thread. */
    void onConnected();

    /** ICE processing FAILED. Called at most once, on an ice4j agent thread. */
    void onFailed(String reason);

    /**
     * A non-STUN datagram for this session, on ice4j's single receive thread shared by every
     * session of the port. The listener <b>takes ownership</b> of {@code packet} (releases it or
     * hands it on), must return fast and must not throw.
     */
    void onDatagram(PacketBuffer packet);
}
