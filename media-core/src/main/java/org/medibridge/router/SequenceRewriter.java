package org.medibridge.router;

import org.medibridge.rtp.SequenceNumbers;
import org.medibridge.rtp.SkipLog;

/**
 * Maps a publisher's RTP sequence numbers onto a subscriber leg's own continuous sequence space.
 * A packet the router decides not to forward ({@link #skip}) must not leave a hole, or the
 * subscriber would NACK a packet that never existed: later packets shift down by one.
 *
 * <p>A packet that arrives late — reordered, or repaired by RTX a round trip after its loss —
 * goes out with the number it would have had on time: the skips made since are remembered
 * ({@link SkipLog}, the last {@link #SKIP_HISTORY}). When more skips than that came after it,
 * it cannot be placed and {@link #rewrite} refuses it.
 *
 * <p>"Before the start" is decided on an extended (unwrapped) count of how far the stream has
 * advanced since the leg's first packet, not by comparing 16-bit numbers with the start: once a
 * leg has forwarded 32,768 packets, serial arithmetic would call the next 32,767 "older than the
 * start" and drop them all.
 */
final class SequenceRewriter {
    /** Skips remembered for late packets: at 30 fps, seconds of dropped padding or frames. */
    static final int SKIP_HISTORY = 128;

    private final SkipLog skips = new SkipLog(SKIP_HISTORY);
    private boolean started;
    private int highestIn;
    /** How far {@link #highestIn} is past the first forwarded packet, unwrapped. */
    private long highestSinceStart;
    private int delta;

    /** The first forwarded packet {@code inSeq} goes out as {@code firstOutSeq}. */
    void start(int inSeq, int firstOutSeq) {
        started = true;
        highestIn = inSeq;
        highestSinceStart = 0;
        delta = (firstOutSeq - inSeq) & 0xFFFF;
        skips.reset(0);
    }

    boolean started() {
        return started;
    }

    /**
     * Outgoing sequence number for a forwarded packet, or -1 for a late packet that can no longer
     * be placed (more than {@link #SKIP_HISTORY} skips since).
     */
    int rewrite(int inSeq) {
        if (advance(inSeq)) {
            return (inSeq + delta) & 0xFFFF;
        }
        int later = skips.countAfter(highestSinceStart + SequenceNumbers.diff(inSeq, highestIn));
        return later < 0 ? -1 : (inSeq + delta + later) & 0xFFFF;
    }

    /** True when {@code inSeq} is older than the packet the leg started with. */
    boolean isBeforeStart(int inSeq) {
        return highestSinceStart + SequenceNumbers.diff(inSeq, highestIn) < 0;
    }

    /** {@code inSeq} is not forwarded: newer packets close the gap. */
    void skip(int inSeq) {
        if (started && advance(inSeq)) {
            delta = (delta - 1) & 0xFFFF;
            skips.add(highestSinceStart);
        }
    }

    private boolean advance(int inSeq) {
        if (!SequenceNumbers.isNewer(inSeq, highestIn)) {
            return false;
        }
        highestSinceStart += (inSeq - highestIn) & 0xFFFF;
        highestIn = inSeq;
        return true;
    }
}
