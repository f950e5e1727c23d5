package org.medibridge.rtp;

/**
 * Turns an RTX packet back into the packet it repairs, in place (RFC 4588 §4):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP Header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * "The format of a retransmission packet [...]: The RTP header usually has the same values as
 * the original packet [...] except [SSRC, payload type and sequence number]. The retransmission
 * payload [...] contains the original sequence number (OSN) [...] followed by the original RTP
 * payload." (§4). The header (fixed part, CSRCs, extension block) is moved two bytes forward over
 * the OSN, so the payload and any padding stay where they are: no copy of the payload, nothing
 * allocated.
 */
public final class RtxDecoder {
    /** The original sequence number ahead of the payload. */
    public static final int OSN_LENGTH = 2;

    private RtxDecoder() {
    }

    /** Whether the RTX packet in {@code rtx} carries an original packet (at least its OSN). */
    public static boolean hasOriginal(RtpPacket rtx) {
        return rtx.payloadLength() >= OSN_LENGTH;
    }

    /** The OSN; only when {@link #hasOriginal}. */
    public static int originalSequenceNumber(RtpPacket rtx) {
        return Bytes.readUint16(rtx.buffer(), rtx.payloadOffset());
    }

    /**
     * Rewrites the RTX packet viewed by {@code rtx} into the original packet, in its buffer, and
     * re-points {@code rtx} at it: the packet then starts {@link #OSN_LENGTH} bytes later and is as
     * much shorter. Returns false, changing nothing, when the payload is shorter than the OSN
     * (padding-only RTX: a bandwidth probe).
     */
    public static boolean decode(RtpPacket rtx, long originalSsrc, int originalPayloadType) {
        if (!hasOriginal(rtx)) {
            return false;
        }
        byte[] buf = rtx.buffer();
        int off = rtx.offset();
        int len = rtx.length();
        int osn = originalSequenceNumber(rtx);
        // memmove semantics: System.arraycopy copies overlapping ranges as if through a temporary.
        System.arraycopy(buf, off, buf, off + OSN_LENGTH, rtx.headerLength());
        if (!rtx.wrap(buf, off + OSN_LENGTH, len - OSN_LENGTH)) {
            throw new IllegalStateException("a valid RTX packet decoded into an invalid one");
        }
        rtx.setSequenceNumber(osn);
        rtx.setSsrc(originalSsrc);
        rtx.setPayloadType(originalPayloadType);
        return true;
    }
}
