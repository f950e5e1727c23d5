package org.medibridge.recording;

import org.medibridge.router.IncomingStream;
import org.medibridge.rtp.RtpPacket;

/**
 * One slot of a recorder's bounded queue: an RTP packet copied out of the router's buffer, or a
 * sender report. Slots are pooled ({@link PacketQueue}); a slot's byte array is allocated once and
 * reused, so a warmed-up recorder copies without allocating.
 * <p>
 * Ownership: the media worker fills a free slot and hands it to the writer thread by the queue
 * offer; from then on the writer thread owns it (the jitter buffer may hold it a while) until it
 * gives it back with {@link PacketQueue#recycle}.
 */
final class QueuedPacket {
    /** Typical MTU; a larger packet grows the slot once. */
    private static final int INITIAL_CAPACITY = 1500;

    IncomingStream stream;
    boolean senderReport;
    long arrivalNanos;

    // RTP: the copied bytes and the header fields the writer needs, parsed once.
    byte[] buf;
    int len;
    int sequence;
    long timestamp;
    boolean marker;
    int payloadType;
    int payloadOffset;
    int payloadLength;

    // Sender report (RFC 3550 §6.4.1).
    long ntpTimestamp;
    long srRtpTimestamp;

    /** Copies an RTP packet in (media worker thread): one array copy, no parsing. */
    void setRtp(IncomingStream stream, byte[] src, int off, int length, long arrivalNanos) {
        if (buf == null || buf.length < length) {
            buf = new byte[Math.max(INITIAL_CAPACITY, length)];  // once per slot, or for a jumbo packet
        }
        System.arraycopy(src, off, buf, 0, length);
        this.stream = stream;
        this.senderReport = false;
        this.arrivalNanos = arrivalNanos;
        this.len = length;
    }

    /**
     * Reads the header fields the writer needs (writer thread). False when the bytes do not parse
     * as RTP.
     */
    boolean parse(RtpPacket view) {
        if (!view.wrap(buf, 0, len)) {
            return false;
        }
        sequence = view.sequenceNumber();
        timestamp = view.timestamp();
        marker = view.marker();
        payloadType = view.payloadType();
        payloadOffset = view.payloadOffset();
        payloadLength = view.payloadLength();
        return true;
    }

    void setSenderReport(IncomingStream stream, long ntpTimestamp, long rtpTimestamp, long arrivalNanos) {
        this.stream = stream;
        this.senderReport = true;
        this.ntpTimestamp = ntpTimestamp;
        this.srRtpTimestamp = rtpTimestamp;
        this.arrivalNanos = arrivalNanos;
        this.len = 0;
    }

    /** For tests: a parsed RTP slot built from fields; the payload is the whole of {@code payload}. */
    static QueuedPacket of(int sequence, long timestamp, boolean marker, long arrivalNanos, byte[] payload) {
        QueuedPacket p = new QueuedPacket();
        p.buf = payload;
        p.len = payload.length;
        p.payloadOffset = 0;
        p.payloadLength = payload.length;
        p.sequence = sequence;
        p.timestamp = timestamp;
        p.marker = marker;
        p.arrivalNanos = arrivalNanos;
        return p;
    }

    void clear() {
        stream = null;
    }
}
