package org.medibridge.bwe;

/**
 * The send schedule of one probe cluster: {@link #packetCount} equal packets, evenly spaced so
 * that they leave at the probe rate, and together last at least
 * {@link ProbeController#CLUSTER_DURATION_NANOS} and {@link ProbeController#CLUSTER_MIN_PACKETS}.
 *
 * <p>{@link ProbeBitrateEstimator} measures a cluster as (bytes minus the last packet) over (last
 * send minus first send); with packets of {@code S} bytes every {@code 8·S/R} seconds that is
 * exactly the rate {@code R}, so the first-to-last span, not the count, must reach 15 ms:
 * {@code n = max(5, ceil(R·15 ms / 8·S) + 1)}.
 *
 * <p>Pure and reusable (one per subscriber connection): no clock, no allocation. The caller asks
 * {@link #due} when it wakes up, sends that many packets, and wakes again at
 * {@link #nextSendNanos}. Not thread-safe.
 */
public final class ProbeCluster {
    private int nextId;
    private int id = PacketResult.NOT_PROBE;
    private long rateBps;
    private int packetBytes;
    private int packets;
    private int sent;
    private long startNanos;
    private long intervalNanos;

    /** Packets in a cluster at {@code rateBps} made of {@code packetBytes}-byte packets. */
    public static int packetCount(long rateBps, int packetBytes) {
        double perPacketNanos = packetBytes * 8e9 / rateBps;
        int spanned = (int) Math.ceil(ProbeController.CLUSTER_DURATION_NANOS / perPacketNanos) + 1;
        return Math.max(ProbeController.CLUSTER_MIN_PACKETS, spanned);
    }

    /** Starts a new cluster (abandoning any unfinished one) and returns its id. */
    public int start(long rateBps, int packetBytes, long nowNanos) {
        if (rateBps <= 0 || packetBytes <= 0) {
            throw new IllegalArgumentException("rate and packet size must be positive");
        }
        this.id = nextId;
        nextId = (nextId + 1) & Integer.MAX_VALUE;   // ids stay >= 0: NOT_PROBE is -1
        this.rateBps = rateBps;
        this.packetBytes = packetBytes;
        this.packets = packetCount(rateBps, packetBytes);
        this.sent = 0;
        this.startNanos = nowNanos;
        this.intervalNanos = Math.max(1, packetBytes * 8_000_000_000L / rateBps);
        return id;
    }

    /** Stops the cluster (its stream went away). */
    public void abandon() {
        sent = packets;
    }

    public boolean active() {
        return sent < packets;
    }

    /**
     * How many packets are due at {@code nowNanos} and not sent yet. The schedule is anchored at
     * the first packet: asked late for it, the whole cluster moves, rather than the packets
     * already overdue leaving in a burst that would overstate the send rate.
     */
    public int due(long nowNanos) {
        if (!active() || nowNanos - startNanos < 0) {
            return 0;
        }
        if (sent == 0) {
            startNanos = nowNanos;
        }
        long scheduled = (nowNanos - startNanos) / intervalNanos + 1;
        return (int) Math.min(packets, scheduled) - sent;
    }

    /** One packet of the cluster left. */
    public void onSent() {
        if (sent < packets) {
            sent++;
        }
    }

    /** When the next packet is due (meaningful while {@link #active}). */
    public long nextSendNanos() {
        return startNanos + sent * intervalNanos;
    }

    /** The current (or last) cluster's id, or {@link PacketResult#NOT_PROBE} before the first. */
    public int id() { return id; }
    public long rateBps() { return rateBps; }
    public int packetBytes() { return packetBytes; }
    public int packets() { return packets; }
    public int sent() { return sent; }
    public long intervalNanos() { return intervalNanos; }

    /** First-to-last send span when sent on schedule. */
    public long spanNanos() {
        return (packets - 1) * intervalNanos;
    }
}
