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
 *
 * <p>"Before the start" is decided on an extended (unwrapped) count of how far the stream has
 * advanced since the leg's first packet, not by comparing 16-bit numbers with the start: once a
 * leg has forwarded 32,768 packets, serial arithmetic would call the next 32,767 "older than the
 * start" and drop them all.
 */
final class SequenceRewriter {
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
    }

    boolean started() {
        return started;
    }

    /** Outgoing sequence number for a forwarded packet. */
    int rewrite(int inSeq) {
        advance(inSeq);
        return (inSeq + delta) & 0xFFFF;
    }

    /** True when {@code inSeq} is older than the packet the leg started with. */
    boolean isBeforeStart(int inSeq) {
        return highestSinceStart + SequenceNumbers.diff(inSeq, highestIn) < 0;
    }

    /** {@code inSeq} is not forwarded: newer packets close the gap. */
    void skip(int inSeq) {
        if (started && advance(inSeq)) {
            delta = (delta - 1) & 0xFFFF;
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
