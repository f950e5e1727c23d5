package org.medibridge.rtp;

/**
 * Turns an RTP packet into its retransmission on an RTX stream, in place (RFC 4588 §4), and
 * builds the padding-only packets that probe for bandwidth on that stream.
 * <p>
 * RFC 4588 §4, the retransmission packet:
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
 * "The RTP header usage is as follows: [...] the payload type field [is] the RTX payload type
 * [...], the sequence number field [is] the RTX stream's own [...], the SSRC [is] that of the RTX
 * stream"; the timestamp, marker, CSRCs and header extensions are the original packet's.
 * <p>
 * The 2-byte OSN goes between header and payload. Rather than moving the payload 2 bytes back,
 * the header (12 bytes plus CSRCs and extensions, usually under 40) moves 2 bytes forward into
 * the buffer's headroom: the packet then starts 2 bytes earlier. Nothing is allocated.
 */
public final class RtxEncoder {
    /** Size of the original sequence number field. */
    public static final int OSN_LENGTH = 2;
    /** RFC 3550 §5.1: the padding count is one octet, so at most 255 padding bytes (itself included). */
    public static final int MAX_PADDING = 255;

    private RtxEncoder() {
    }

    /**
     * Rewrites the RTP packet at {@code buf[off, off + len)} into its RTX form starting at
     * {@code off - 2}, which must be inside {@code buf}. Returns the new length ({@code len + 2}),
     * or -1 (nothing changed) when the bytes are not an RTP packet or there is no headroom.
     */
    public static int encode(byte[] buf, int off, int len, long rtxSsrc, int rtxPayloadType, int rtxSequence) {
        if (off < OSN_LENGTH || buf == null || len < RtpPacket.FIXED_HEADER_LENGTH || off > buf.length - len) {
            return -1;
        }
        int header = headerLength(buf, off, len);
        if (header < 0) {
            return -1;
        }
        int osn = Bytes.readUint16(buf, off + 2);
        int start = off - OSN_LENGTH;
        System.arraycopy(buf, off, buf, start, header);
        Bytes.writeUint16(buf, start + header, osn);
        buf[start + 1] = (byte) ((buf[start + 1] & 0x80) | (rtxPayloadType & 0x7F));
        Bytes.writeUint16(buf, start + 2, rtxSequence);
        Bytes.writeUint32(buf, start + 8, rtxSsrc);
        return len + OSN_LENGTH;
    }

    /**
     * The inverse, for tests and for a receiver: the RTX packet at {@code buf[off, off + len)}
     * becomes the original packet at {@code off + 2} with {@code ssrc} and {@code payloadType}.
     * Returns the original's length, or -1 when the RTX payload is shorter than the OSN.
     */
    public static int decode(byte[] buf, int off, int len, long ssrc, int payloadType) {
        int header = headerLength(buf, off, len);
        if (header < 0 || len - header - paddingLength(buf, off, len) < OSN_LENGTH) {
            return -1;
        }
        int osn = Bytes.readUint16(buf, off + header);
        System.arraycopy(buf, off, buf, off + OSN_LENGTH, header);
        int start = off + OSN_LENGTH;
        buf[start + 1] = (byte) ((buf[start + 1] & 0x80) | (payloadType & 0x7F));
        Bytes.writeUint16(buf, start + 2, osn);
        Bytes.writeUint32(buf, start + 8, ssrc);
        return len - OSN_LENGTH;
    }

    /**
     * Writes a padding-only RTP packet at {@code buf[off...]}: version 2, P set, no CSRCs, marker
     * clear, an RFC 8285 one-byte-form extension block holding abs-send-time (3 bytes, left zero
     * for the caller to stamp) and the transport-wide sequence number (2 bytes, likewise), then
     * {@code padding} bytes of padding whose last octet is their count (RFC 3550 §5.1). Either
     * extension id may be 0 (left out). Returns the packet's length.
     * <pre>
     * |V=2|P=1|X|CC=0|M=0| PT  |       sequence number          |
     * |                     timestamp                            |
     * |                       SSRC                               |
     * |        0xBEDE                 |    length (words)        |
     * | id | 2 | abs-send-time (24 bits)        | id | 1 | tcc  |
     * | tcc (cont.)  | 0 ... padding ...                 | count |
     * </pre>
     *
     * @param padding 1..{@link #MAX_PADDING}
     */
    public static int writePaddingPacket(byte[] buf, int off, long ssrc, int payloadType, int sequence,
                                         long timestamp, int absSendTimeId, int transportCcId, int padding) {
        if (padding < 1 || padding > MAX_PADDING) {
            throw new IllegalArgumentException("padding must be 1..255, got " + padding);
        }
        int elements = (absSendTimeId > 0 ? 1 + AbsSendTime.DATA_LENGTH : 0) + (transportCcId > 0 ? 1 + 2 : 0);
        int block = elements == 0 ? 0 : 4 + ((elements + 3) & ~3);
        buf[off] = (byte) (0x80 | 0x20 | (block > 0 ? 0x10 : 0));
        buf[off + 1] = (byte) (payloadType & 0x7F);
        Bytes.writeUint16(buf, off + 2, sequence);
        Bytes.writeUint32(buf, off + 4, timestamp);
        Bytes.writeUint32(buf, off + 8, ssrc);
        int p = off + RtpPacket.FIXED_HEADER_LENGTH;
        if (block > 0) {
            Bytes.writeUint16(buf, p, RtpPacket.PROFILE_ONE_BYTE);
            Bytes.writeUint16(buf, p + 2, (block - 4) / 4);
            // Data left zero for the sender to stamp; trailing zero bytes are padding (RFC 8285 §4.2).
            java.util.Arrays.fill(buf, p + 4, p + block, (byte) 0);
            int e = p + 4;
            if (absSendTimeId > 0) {
                buf[e] = (byte) (absSendTimeId << 4 | (AbsSendTime.DATA_LENGTH - 1));
                e += 1 + AbsSendTime.DATA_LENGTH;
            }
            if (transportCcId > 0) {
                buf[e] = (byte) (transportCcId << 4 | 1);
            }
            p += block;
        }
        java.util.Arrays.fill(buf, p, p + padding - 1, (byte) 0);
        buf[p + padding - 1] = (byte) padding;
        return p + padding - off;
    }

    /** The length {@link #writePaddingPacket} gives with these arguments. */
    public static int paddingPacketLength(int absSendTimeId, int transportCcId, int padding) {
        int elements = (absSendTimeId > 0 ? 1 + AbsSendTime.DATA_LENGTH : 0) + (transportCcId > 0 ? 1 + 2 : 0);
        int block = elements == 0 ? 0 : 4 + ((elements + 3) & ~3);
        return RtpPacket.FIXED_HEADER_LENGTH + block + padding;
    }

    /** Fixed header + CSRCs + extension block, or -1 when that runs past {@code len}. */
    private static int headerLength(byte[] buf, int off, int len) {
        if (len < RtpPacket.FIXED_HEADER_LENGTH || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = RtpPacket.FIXED_HEADER_LENGTH + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (header + 4 > len) {
                return -1;
            }
            header += 4 + 4 * Bytes.readUint16(buf, off + header + 2);
        }
        return header <= len ? header : -1;
    }

    private static int paddingLength(byte[] buf, int off, int len) {
        return (buf[off] & 0x20) != 0 ? buf[off + len - 1] & 0xFF : 0;
    }
}
