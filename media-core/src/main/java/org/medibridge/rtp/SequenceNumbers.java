package org.medibridge.rtp;

/**
 * RTP sequence numbers compared with serial number arithmetic on 16 bits (RFC 1982 §3.2): a is
 * newer than b when it is ahead by less than half the number space, so 0 is newer than 65535.
 */
public final class SequenceNumbers {
    private SequenceNumbers() {
    }

    /** Whether {@code a} comes after {@code b}. Exactly half-way (32768 apart) counts as newer when a > b. */
    public static boolean isNewer(int a, int b) {
        int d = diff(a, b);
        // RFC 1982 leaves the exact half-way point undefined; break the tie on the raw values.
        return d > 0 || (d == -32768 && (a & 0xFFFF) > (b & 0xFFFF));
    }

    /** Signed distance from {@code b} to {@code a} in -32768..32767: {@code diff(0, 65535) == 1}. */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /** {@code a + n} modulo 2^16. */
    public static int add(int a, int n) {
        return (a + n) & 0xFFFF;
    }
}
