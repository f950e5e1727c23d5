package org.medibridge.sdp;

/** {@code t=<start-time> <stop-time>}, RFC 8866 §5.9; WebRTC always writes {@code t=0 0}. */
public record Timing(long start, long stop) {
    public static final Timing UNBOUNDED = new Timing(0, 0);
}
