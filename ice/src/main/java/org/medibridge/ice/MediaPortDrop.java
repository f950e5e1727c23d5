package org.medibridge.ice;

/** Why the port dropped a received datagram. */
public enum MediaPortDrop {
    /** The datagram arrived for a session that was already closed. */
    SESSION_CLOSED,
    /** ice4j handed us a buffer we could not map to a PacketBuffer. */
    UNMAPPED_BUFFER,
    /** The session listener threw; the packet's fate is unknown (never released twice). */
    LISTENER_FAILED
}
