package org.medibridge.recording;

/**
 * Maps one stream's RTP timestamps to the recorder's timeline (monotonic nanoseconds).
 * <ul>
 * <li>32-bit RTP timestamps are unwrapped to 64 bits: each is placed at the signed 32-bit
 *     distance from the newest one seen.</li>
 * <li>Before the stream's first sender report, the first frame's timestamp is anchored at its
 *     packet's arrival time.</li>
 * <li>A sender report (RFC 3550 §6.4.1: "the same time as the NTP timestamp, but in the same
 *     units and with the same random offset as the RTP timestamps") re-anchors the stream on the
 *     publisher's NTP clock, shared by all its streams ({@link SenderClock}), which syncs audio
 *     and video.</li>
 * <li>A re-anchoring never makes the output jump: the step it would cause is kept as a
 *     correction that is worked off by at most {@link #SLEW} of the media time that passes, so
 *     the output stays strictly increasing and converges on the new mapping.</li>
 * </ul>
 * Owned by the recorder's writer thread.
 */
final class StreamClock {
    /** At most 100 ms of correction per second of media: inaudible, invisible, never backwards. */
    static final double SLEW = 0.1;

    private final int clockRate;
    private final SenderClock sender;

    private boolean seen;
    private long newestExtended;

    private boolean anchored;
    private long anchorExtended;
    private long anchorNanos;
    private boolean fromSenderReport;

    private boolean emitted;
    private long lastOutExtended;
    private long correctionNanos;

    StreamClock(int clockRate, SenderClock sender) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate);
        }
        this.clockRate = clockRate;
        this.sender = sender;
    }

    /** The 64-bit extension of a packet's timestamp; moves the unwrapping reference forward. */
    long unwrap(long rtpTimestamp) {
        long ext = extend(rtpTimestamp);
        if (ext > newestExtended) {
            newestExtended = ext;
        }
        return ext;
    }

    /** A sender report of this stream: anchors the stream on the publisher's NTP clock. */
    void onSenderReport(long ntpTimestamp, long rtpTimestamp, long arrivalNanos) {
        long ext = extend(rtpTimestamp);
        reanchor(ext, sender.toLocalNanos(ntpTimestamp, arrivalNanos));
        fromSenderReport = true;
    }

    /**
     * The timeline position of the frame with extended timestamp {@code ext}; its first packet
     * arrived at {@code arrivalNanos} (used only while nothing better is known). Call in
     * timestamp order.
     */
    long toNanos(long ext, long arrivalNanos) {
        if (!anchored) {
            anchored = true;
            anchorExtended = ext;
            anchorNanos = arrivalNanos;
        }
        if (emitted && correctionNanos != 0 && ext > lastOutExtended) {
            long step = (long) (ticksToNanos(ext - lastOutExtended) * SLEW);
            correctionNanos = correctionNanos > 0
                    ? Math.max(0, correctionNanos - step)
                    : Math.min(0, correctionNanos + step);
        }
        if (!emitted || ext > lastOutExtended) {
            emitted = true;
            lastOutExtended = ext;
        }
        return base(ext) + correctionNanos;
    }

    boolean synchronizedBySenderReport() {
        return fromSenderReport;
    }

    long correctionNanos() {
        return correctionNanos;
    }

    private long extend(long rtpTimestamp) {
        if (!seen) {
            seen = true;
            newestExtended = rtpTimestamp & 0xFFFF_FFFFL;
            return newestExtended;
        }
        return newestExtended + (int) (rtpTimestamp - newestExtended);
    }

    private void reanchor(long ext, long nanos) {
        if (emitted) {
            long before = base(lastOutExtended);
            anchorExtended = ext;
            anchorNanos = nanos;
            correctionNanos += before - base(lastOutExtended);
        } else {
            anchorExtended = ext;
            anchorNanos = nanos;
        }
        anchored = true;
    }

    private long base(long ext) {
        return anchorNanos + ticksToNanos(ext - anchorExtended);
    }

    private long ticksToNanos(long ticks) {
        return ticks * 1_000_000_000L / clockRate;
    }
}
