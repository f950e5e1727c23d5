package org.medibridge.router;

import org.medibridge.rtp.SequenceNumbers;

/**
 * Maps a publisher's RTP sequence numbers onto a subscriber leg's own continuous sequence space.
 * A packet the router decides not to forward ({@link #skip}) must not leave a hole, or the
 * subscriber would NACK a packet that never existed: later packets shift down by one.
 *
 * <p>Packets that arrive out of order behind a skip point are mapped with the current offset;
 * that is correct as long as reordering does not span a skip, which holds for the short
 * reordering seen in practice.
 */
final class SequenceRewriter {
    private boolean started;
    private int highestIn;
    private int delta;

    /** The first forwarded packet {@code inSeq} goes out as {@code firstOutSeq}. */
    void start(int inSeq, int firstOutSeq) {
        started = true;
        highestIn = inSeq;
        delta = (firstOutSeq - inSeq) & 0xFFFF;
    }

    boolean started() {
        return started;
    }

    /** Outgoing sequence number for a forwarded packet. */
    int rewrite(int inSeq) {
        if (SequenceNumbers.isNewer(inSeq, highestIn)) {
            highestIn = inSeq;
        }
        return (inSeq + delta) & 0xFFFF;
    }

    /** True when {@code inSeq} is older than the packet the leg started with. */
    boolean isBeforeStart(int inSeq, int startSeq) {
        return SequenceNumbers.isNewer(startSeq, inSeq);
    }

    /** {@code inSeq} is not forwarded: newer packets close the gap. */
    void skip(int inSeq) {
        if (started && SequenceNumbers.isNewer(inSeq, highestIn)) {
            highestIn = inSeq;
            delta = (delta - 1) & 0xFFFF;
        }
    }
}
