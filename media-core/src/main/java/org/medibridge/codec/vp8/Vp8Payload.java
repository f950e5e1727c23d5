package org.medibridge.codec.vp8;

/**
 * Reads what the router needs from a VP8 RTP payload: the payload descriptor (RFC 7741 §4.2)
 * and the key-frame flag of the VP8 payload header (RFC 7741 §4.3, RFC 6386 §9.1).
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL, 7 or 15 bits)
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * then the VP8 payload header, whose first byte is |Size0|H| VER |P|; P = 0 means a key frame.
 * </pre>
 */
public final class Vp8Payload {
    private Vp8Payload() {
    }

    /**
     * Length of the payload descriptor, or -1 when the payload is too short for what its
     * flags announce.
     */
    public static int descriptorLength(byte[] buf, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int i = 1;
        if ((buf[off] & 0x80) != 0) { // X: extension byte present
            if (len < 2) {
                return -1;
            }
            int x = buf[off + 1] & 0xFF;
            i = 2;
            if ((x & 0x80) != 0) { // I: picture id, M bit selects 15 bits
                if (len <= i) {
                    return -1;
                }
                i += (buf[off + i] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                i++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX byte
                i++;
            }
        }
        return i <= len ? i : -1;
    }

    /**
     * True when this packet starts a VP8 key frame: S = 1 and PID = 0 (first packet of the first
     * partition) and the P bit of the VP8 payload header is 0.
     */
    public static boolean isKeyFrameStart(byte[] buf, int off, int len) {
        int d = descriptorLength(buf, off, len);
        if (d < 0 || d >= len) {
            return false;
        }
        int first = buf[off] & 0xFF;
        boolean start = (first & 0x10) != 0 && (first & 0x07) == 0;
        return start && (buf[off + d] & 0x01) == 0;
    }

    /**
     * True when this packet begins a VP8 frame: S = 1 and PID = 0 (RFC 7741 §4.4: "the first
     * packet of every frame MUST have S = 1 and PID = 0"), key frame or not.
     */
    public static boolean isFrameStart(byte[] buf, int off, int len) {
        return len >= 1 && (buf[off] & 0x17) == 0x10;
    }

    /**
     * The picture id of the payload descriptor (7 or 15 bits, RFC 7741 §4.2), or -1 when the
     * descriptor carries none or is truncated.
     */
    public static int pictureId(byte[] buf, int off, int len) {
        if (descriptorLength(buf, off, len) < 0 || (buf[off] & 0x80) == 0 || (buf[off + 1] & 0x80) == 0) {
            return -1;
        }
        int b = buf[off + 2] & 0xFF;
        return (b & 0x80) != 0 ? ((b & 0x7F) << 8) | (buf[off + 3] & 0xFF) : b;
    }

    /**
     * Width in pixels of a VP8 key frame, read from the start of the frame itself (the bytes
     * after the payload descriptor), or -1 when these bytes do not begin a key frame.
     * <p>
     * RFC 6386 §9.1: a 3-byte frame tag (bit 0 of the first byte is 0 for a key frame), then the
     * start code 9d 01 2a, then two little-endian 16-bit fields, each a 14-bit size and a 2-bit
     * scale:
     * <pre>
     *  | tag (3) | 9d 01 2a | scale(2) width(14) | scale(2) height(14) |
     * </pre>
     */
    public static int keyFrameWidth(byte[] frame, int off, int len) {
        return keyFrameDimension(frame, off, len, 6);
    }

    /** Height in pixels of a VP8 key frame, or -1; see {@link #keyFrameWidth}. */
    public static int keyFrameHeight(byte[] frame, int off, int len) {
        return keyFrameDimension(frame, off, len, 8);
    }

    private static int keyFrameDimension(byte[] frame, int off, int len, int at) {
        if (len < 10 || (frame[off] & 0x01) != 0
                || (frame[off + 3] & 0xFF) != 0x9d || (frame[off + 4] & 0xFF) != 0x01 || (frame[off + 5] & 0xFF) != 0x2a) {
            return -1;
        }
        return ((frame[off + at] & 0xFF) | (frame[off + at + 1] & 0xFF) << 8) & 0x3FFF;
    }
}
