package org.medibridge.recording;

import org.medibridge.rtcp.NtpTime;

/**
 * The publisher's NTP wallclock (RFC 3550 §6.4.1) placed on our monotonic clock. All streams of
 * one participant share it, which is what puts their audio and video on one timeline: their
 * sender reports pair RTP timestamps with the same NTP clock.
 * <p>
 * The offset is fixed by the first sender report of any stream (its NTP time ↔ its arrival), so
 * the network delay it contains is the same for every stream and cancels out between them.
 * Owned by the recorder's writer thread.
 */
final class SenderClock {
    private boolean known;
    private long offsetNanos;

    /** Our monotonic nanoseconds for the publisher's 64-bit NTP timestamp {@code ntp}. */
    long toLocalNanos(long ntp, long arrivalNanos) {
        long ntpNanos = NtpTime.toUnixNanos(ntp);
        if (!known) {
            known = true;
            offsetNanos = arrivalNanos - ntpNanos;
        }
        return ntpNanos + offsetNanos;
    }
}
