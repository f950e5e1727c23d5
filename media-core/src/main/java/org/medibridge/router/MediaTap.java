package org.medibridge.router;

/**
 * A read-only subscriber of incoming streams that is not a peer connection (the recorder). Called
 * on the room's worker thread, in the packet path: copy what is needed into your own bounded
 * queue and return at once — never block, never keep a reference to {@code buf}.
 */
public interface MediaTap {
    /** A decrypted, well-formed RTP packet of a tapped stream, as the publisher sent it. */
    void onRtp(IncomingStream stream, byte[] buf, int off, int len, long arrivalNanos);

    /** A sender report of a tapped stream (RFC 3550 §6.4.1): its NTP ↔ RTP timestamp pair. */
    void onSenderReport(IncomingStream stream, long ntpTimestamp, long rtpTimestamp, long arrivalNanos);
}
