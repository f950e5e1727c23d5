package org.medibridge.bwe;

/**
 * Groups acknowledged packets into send bursts and yields the inter-group delay variation of
 * draft-ietf-rmcat-gcc-02 section 5.2: for consecutive groups i-1 and i,
 * {@code d(i) = (t(i) - t(i-1)) - (T(i) - T(i-1))} where T is the send time and t the arrival
 * time of each group's last packet.
 *
 * <p>A packet joins the current group when it was sent within {@link #BURST_NANOS} of the group's
 * first packet, or when it arrived within {@link #BURST_NANOS} of the group and its propagation
 * delta is negative (a burst released together by the network, e.g. after a Wi-Fi hiccup).
 * Feeding one packet at a time and reading the delta from fields keeps this allocation-free.
 */
final class PacketGroupDeltas {
    /** Packets sent within 5 ms form one group (the pacer's burst interval). */
    static final long BURST_NANOS = 5_000_000L;
    /** A burst is only merged while it is younger than this. */
    private static final long MAX_BURST_SPAN_NANOS = 100_000_000L;
    /** An arrival jump this large (clock reset, long outage) restarts the grouping. */
    private static final long MAX_ARRIVAL_JUMP_NANOS = 3_000_000_000L;

    private boolean hasCurrent;
    private long curFirstSend;
    private long curLastSend;
    private long curFirstArrival;
    private long curLastArrival;

    private boolean hasPrevious;
    private long prevLastSend;
    private long prevLastArrival;

    private long sendDeltaNanos;
    private long arrivalDeltaNanos;

    /**
     * Adds a received packet (in send order). Returns true when it closed a group and a new
     * delta is available from {@link #sendDeltaNanos()} and {@link #arrivalDeltaNanos()}.
     */
    boolean add(long sendNanos, long arrivalNanos) {
        if (!hasCurrent) {
            startGroup(sendNanos, arrivalNanos);
            return false;
        }
        if (sendNanos < curFirstSend) {
            return false;                       // reordered behind the group: ignore
        }
        if (belongsToCurrent(sendNanos, arrivalNanos)) {
            curLastSend = Math.max(curLastSend, sendNanos);
            curLastArrival = Math.max(curLastArrival, arrivalNanos);
            return false;
        }
        boolean produced = false;
        if (hasPrevious) {
            long sendDelta = curLastSend - prevLastSend;
            long arrivalDelta = curLastArrival - prevLastArrival;
            if (arrivalDelta < 0 || arrivalDelta - sendDelta > MAX_ARRIVAL_JUMP_NANOS) {
                hasPrevious = false;            // NOTE: reordering or an outage; restart cleanly
            } else {
                sendDeltaNanos = sendDelta;
                arrivalDeltaNanos = arrivalDelta;
                produced = true;
            }
        }
        hasPrevious = true;
        prevLastSend = curLastSend;
        prevLastArrival = curLastArrival;
        startGroup(sendNanos, arrivalNanos);
        return produced;
    }

    long sendDeltaNanos() {
        return sendDeltaNanos;
    }

    long arrivalDeltaNanos() {
        return arrivalDeltaNanos;
    }

    /** Arrival time of the last closed group, the x axis of the trendline. */
    long lastGroupArrivalNanos() {
        return prevLastArrival;
    }

    private boolean belongsToCurrent(long sendNanos, long arrivalNanos) {
        if (sendNanos - curFirstSend <= BURST_NANOS) {
            return true;
        }
        long arrivalDelta = arrivalNanos - curLastArrival;
        long propagationDelta = arrivalDelta - (sendNanos - curLastSend);
        return propagationDelta < 0
                && arrivalDelta <= BURST_NANOS
                && arrivalNanos - curFirstArrival < MAX_BURST_SPAN_NANOS;
    }

    private void startGroup(long sendNanos, long arrivalNanos) {
        hasCurrent = true;
        curFirstSend = sendNanos;
        curLastSend = sendNanos;
        curFirstArrival = arrivalNanos;
        curLastArrival = arrivalNanos;
    }
}
