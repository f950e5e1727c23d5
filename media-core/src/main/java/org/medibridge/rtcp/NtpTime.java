package org.medibridge.rtcp;

/**
 * NTP timestamps as RTCP uses them (RFC 3550 §4): 64 bits, seconds since 1900-01-01 in the high
 * word and the fraction of a second in the low word, carried here in a {@code long} (treat it as
 * unsigned). The "compact" form is the middle 32 bits (16.16 seconds), used by LSR and DLSR in
 * report blocks (RFC 3550 §6.4.1) and returned as a {@code long} in 0..2^32-1.
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
    public static final long EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private NtpTime() {
    }

    /** 64-bit NTP time for a Unix time in milliseconds ({@link System#currentTimeMillis()}). */
    public static long fromUnixMillis(long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000L) + EPOCH_OFFSET_SECONDS;
        long millis = Math.floorMod(unixMillis, 1000L);
        return (seconds << 32) | ((millis << 32) / 1000L);
    }

    /** 64-bit NTP time for a Unix time in nanoseconds. */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, 1_000_000_000L) + EPOCH_OFFSET_SECONDS;
        long nanos = Math.floorMod(unixNanos, 1_000_000_000L);
        // nanos < 2^30, so nanos << 32 fits in 62 bits.
        return (seconds << 32) | ((nanos << 32) / 1_000_000_000L);
    }

    /** Unix milliseconds for a 64-bit NTP time (rounded down). */
    public static long toUnixMillis(long ntp) {
        long seconds = (ntp >>> 32) - EPOCH_OFFSET_SECONDS;
        long fraction = ntp & 0xFFFF_FFFFL;
        return seconds * 1000L + ((fraction * 1000L) >>> 32);
    }

    /** Unix nanoseconds for a 64-bit NTP time (rounded down). */
    public static long toUnixNanos(long ntp) {
        long seconds = (ntp >>> 32) - EPOCH_OFFSET_SECONDS;
        long fraction = ntp & 0xFFFF_FFFFL;
        // fraction * 1e9 overflows 64 bits; split the multiplier into 1e9 = 15625 * 64000.
        return seconds * 1_000_000_000L + (((fraction * 15_625L) >>> 16) * 64_000L >>> 16);
    }

    /** The middle 32 bits: LSR is {@code compact(sr.ntpTimestamp())}. */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }

    /** A duration in nanoseconds as 1/65536 s units (DLSR), saturating at 2^32-1. */
    public static long nanosToCompact(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long seconds = nanos / 1_000_000_000L;
        if (seconds >= 65536) {
            return 0xFFFF_FFFFL;
        }
        long rem = nanos % 1_000_000_000L;
        return (seconds << 16) | ((rem << 16) / 1_000_000_000L);
    }

    /** A compact duration (1/65536 s units, e.g. DLSR or an RTT) in nanoseconds. */
    public static long compactToNanos(long compact) {
        long c = compact & 0xFFFF_FFFFL;
        return (c >>> 16) * 1_000_000_000L + ((c & 0xFFFF) * 1_000_000_000L >>> 16);
    }

    /**
     * Round-trip time from a report block, RFC 3550 §6.4.1: A - LSR - DLSR, where A is the compact
     * NTP time the report arrived. Returns -1 when LSR is 0 (no SR received yet) or the result
     * would be negative (clock jumps). Compact units.
     */
    public static long rttCompact(long arrivalCompact, long lsr, long dlsr) {
        if (lsr == 0) {
            return -1;
        }
        long rtt = (arrivalCompact - lsr - dlsr) & 0xFFFF_FFFFL;
        return rtt > 0x7FFF_FFFFL ? -1 : rtt;
    }
}
