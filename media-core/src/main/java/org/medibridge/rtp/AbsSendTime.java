package org.medibridge.rtp;

/**
 * abs-send-time (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): 3 bytes, seconds in
 * 6.18 fixed point, wrapping every 64 s. Only differences matter to the receiver, so any clock
 * (here {@link System#nanoTime()}) will do.
 * <pre>
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  seconds  |            fraction (18 bits)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class AbsSendTime {
    /** Length of the extension data. */
    public static final int DATA_LENGTH = 3;

    private AbsSendTime() {
    }

    /** The 24-bit 6.18 value for a time in nanoseconds. */
    public static int fromNanos(long nanos) {
        // nanos * 2^18 / 1e9 overflows a long after ~400 days of uptime; split seconds and fraction.
        long seconds = Long.divideUnsigned(nanos, 1_000_000_000L);
        long rem = Long.remainderUnsigned(nanos, 1_000_000_000L);
        long fraction = (rem << 18) / 1_000_000_000L;
        return (int) (((seconds << 18) | fraction) & 0xFFFFFF);
    }

    public static void write(byte[] buf, int dataOffset, long nowNanos) {
        Bytes.writeUint24(buf, dataOffset, fromNanos(nowNanos));
    }

    public static int read(byte[] buf, int dataOffset) {
        return Bytes.readUint24(buf, dataOffset);
    }
}
