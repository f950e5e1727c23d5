package org.medibridge.loadgen;

import org.medibridge.stun.Stun;

/**
 * What every emulated media packet carries in the last {@link #LENGTH} bytes of its RTP payload,
 * so a subscriber can measure one-way latency and loss through the SFU. The SFU rewrites RTP
 * headers (SSRC, sequence number, timestamp) and the VP8 picture id, but never the rest of the
 * payload, so the stamp arrives as sent.
 *
 * <pre>
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic "MBLG" (0x4D424C47)                 |
 * |     source stream key (publisher index << 4 | layer)          |
 * |            packet counter of that source stream               |
 * |        send time, System.nanoTime() (64 bits, same clock)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Sender and receiver run in the same process, so both sides read the same monotonic clock.
 */
final class PayloadStamp {
    static final int LENGTH = 20;
    static final int MAGIC = 0x4D424C47;

    private PayloadStamp() {
    }

    /** Writes the stamp into {@code buf[end - LENGTH, end)}. */
    static void write(byte[] buf, int end, int streamKey, int counter, long sendNanos) {
        int p = end - LENGTH;
        Stun.writeInt(buf, p, MAGIC);
        Stun.writeInt(buf, p + 4, streamKey);
        Stun.writeInt(buf, p + 8, counter);
        Stun.writeInt(buf, p + 12, (int) (sendNanos >>> 32));
        Stun.writeInt(buf, p + 16, (int) sendNanos);
    }

    /** True when a stamp ends at {@code end} and the payload is long enough to hold one. */
    static boolean present(byte[] buf, int payloadStart, int end) {
        return end - payloadStart >= LENGTH && Stun.readInt(buf, end - LENGTH) == MAGIC;
    }

    static int streamKey(byte[] buf, int end) {
        return Stun.readInt(buf, end - LENGTH + 4);
    }

    static int counter(byte[] buf, int end) {
        return Stun.readInt(buf, end - LENGTH + 8);
    }

    static long sendNanos(byte[] buf, int end) {
        return ((long) Stun.readInt(buf, end - LENGTH + 12) << 32) | (Stun.readInt(buf, end - LENGTH + 16) & 0xFFFFFFFFL);
    }
}
