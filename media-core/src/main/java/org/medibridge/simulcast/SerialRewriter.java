package org.medibridge.simulcast;

/**
 * Maps a modular counter of the publisher (RTP sequence number: 16 bits; VP8 picture id: 15 or
 * 7 bits; TL0PICIDX: 8 bits) onto a leg's continuous output space — the semantics of the
 * router's {@code SequenceRewriter}, generalized to any width and to re-anchoring on a layer
 * switch.
 * <ul>
 *   <li>{@link #start}: the input value {@code in} goes out as {@code out}; later values keep the
 *       offset. A layer switch starts again at {@link #nextOut()}, so the output continues.
 *   <li>{@link #skip}: a value not forwarded (a dropped packet, a dropped frame) leaves no hole:
 *       newer values shift down by one. A value lost before reaching us does leave a hole, as it
 *       must: the subscriber may still get it by NACK/RTX.
 *   <li>A value that arrives late (reordered, or repaired by RTX) is mapped as it would have been
 *       on time: the last {@link #SKIP_HISTORY} skips are remembered ({@link SkipLog}); past that
 *       {@link #rewrite} refuses it.
 * </ul>
 * "Before the start" is judged on the unwrapped distance from the start, so a leg that has run
 * past half the number space keeps working.
 */
final class SerialRewriter {
    static final int SKIP_HISTORY = 128;

    private final org.medibridge.rtp.SkipLog skips = new org.medibridge.rtp.SkipLog(SKIP_HISTORY);
    private int bits;
    private int mask;
    private boolean started;
    private int highestIn;
    private long highestSinceStart;
    private int delta;

    /** {@code in} goes out as {@code out}; both are taken modulo 2^{@code bits}. */
    void start(int bits, int in, int out) {
        this.bits = bits;
        this.mask = (1 << bits) - 1;
        started = true;
        highestIn = in & mask;
        highestSinceStart = 0;
        delta = (out - in) & mask;
        skips.reset(0);
    }

    boolean started() {
        return started;
    }

    int bits() {
        return bits;
    }

    /** Output value of a forwarded input value; -1 for a late one that can no longer be placed. */
    int rewrite(int in) {
        if (advance(in & mask)) {
            return (in + delta) & mask;
        }
        int later = skips.countAfter(highestSinceStart + diff(in & mask, highestIn));
        return later < 0 ? -1 : (in + delta + later) & mask;
    }

    /** True when {@code in} is older than the value this mapping started with. */
    boolean isBeforeStart(int in) {
        return highestSinceStart + diff(in & mask, highestIn) < 0;
    }

    /** {@code in} is not forwarded: newer values close the gap. */
    void skip(int in) {
        if (started && advance(in & mask)) {
            delta = (delta - 1) & mask;
            skips.add(highestSinceStart);
        }
    }

    /** The output value the next new input value gets: the one to continue from on a switch. */
    int nextOut() {
        return (highestIn + delta + 1) & mask;
    }

    /** Signed distance from b to a in this width: -2^(bits-1) .. 2^(bits-1) - 1. */
    int diff(int a, int b) {
        int shift = 32 - bits;
        return ((a - b) << shift) >> shift;
    }

    private boolean advance(int in) {
        int d = diff(in, highestIn);
        // RFC 1982 leaves exactly half-way undefined; as in SequenceNumbers, break the tie on the raw values.
        if (d < 0 && !(d == -(1 << (bits - 1)) && in > highestIn) || d == 0) {
            return false;
        }
        highestSinceStart += (in - highestIn) & mask;
        highestIn = in;
        return true;
    }
}
