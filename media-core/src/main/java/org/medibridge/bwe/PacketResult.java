package org.medibridge.bwe;

/**
 * What transport-wide feedback says about one packet we sent: when it left (our clock), when it
 * arrived (the receiver's clock mapped onto one continuous scale, see {@link SentPacketHistory};
 * only differences between arrivals are meaningful), or {@link #NOT_RECEIVED}.
 *
 * @param sendNanos    our send time
 * @param arrivalNanos arrival on the feedback scale, or {@link #NOT_RECEIVED} (-1) if lost
 * @param size         bytes on the wire as counted by the sender
 * @param probeCluster the probe cluster the packet belonged to, or {@link #NOT_PROBE}
 */
public record PacketResult(long sendNanos, long arrivalNanos, int size, int probeCluster) {
    public static final long NOT_RECEIVED = -1;
    /** {@link #probeCluster} of a packet that was not sent to probe for bandwidth. */
    public static final int NOT_PROBE = -1;

    /** Whether the packet was sent to probe for bandwidth. */
    public boolean probe() {
        return probeCluster != NOT_PROBE;
    }

    public boolean received() {
        return arrivalNanos != NOT_RECEIVED;
    }
}
