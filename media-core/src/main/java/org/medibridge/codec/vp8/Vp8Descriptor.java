package org.medibridge.codec.vp8;

/**
 * A reusable view over the VP8 payload descriptor, RFC 7741 §4.2, with in-place rewriting of
 * the picture id and TL0PICIDX. {@link #wrap} finds every field once; nothing here allocates.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL; M = 1: a second byte follows, 15 bits in all)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   | (only when M = 1)
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL; present when T or K is set)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 * TID and Y mean nothing unless T = 1, KEYIDX nothing unless K = 1 (RFC 7741 §4.2). Rewriting
 * never changes the descriptor's length: a 7-bit picture id stays 7 bits and wraps at 128.
 * <p>
 * Not thread-safe; one view per worker.
 */
public final class Vp8Descriptor {
    /** Returned by the getters of absent fields. */
    public static final int ABSENT = -1;

    private static final int X = 0x80, N = 0x20, S = 0x10, PID = 0x07;
    private static final int I = 0x80, L = 0x40, T = 0x20, K = 0x10;
    private static final int M = 0x80, Y = 0x20, KEYIDX = 0x1F;

    private byte[] buf;
    private int off;
    private int payloadLength;
    private int length;
    private int pictureIdAt;
    private boolean longPictureId;
    private int tl0PicIdxAt;
    private int tkAt;
    private boolean hasTid;
    private boolean hasKeyIdx;

    /**
     * Points the view at an RTP payload (descriptor first). Returns false, leaving the view
     * unusable, when the payload is shorter than its flags announce.
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        pictureIdAt = ABSENT;
        tl0PicIdxAt = ABSENT;
        tkAt = ABSENT;
        hasTid = false;
        hasKeyIdx = false;
        longPictureId = false;
        if (buf == null || off < 0 || len < 1 || off > buf.length - len) {
            return false;
        }
        int i = 1;
        if ((buf[off] & X) != 0) {
            if (len < 2) {
                return false;
            }
            int x = buf[off + 1] & 0xFF;
            i = 2;
            if ((x & I) != 0) {
                if (len <= i) {
                    return false;
                }
                pictureIdAt = i;
                longPictureId = (buf[off + i] & M) != 0;
                i += longPictureId ? 2 : 1;
            }
            if ((x & L) != 0) {
                tl0PicIdxAt = i++;
            }
            if ((x & (T | K)) != 0) {
                tkAt = i++;
                hasTid = (x & T) != 0;
                hasKeyIdx = (x & K) != 0;
            }
        }
        if (i > len) {
            pictureIdAt = ABSENT;
            tl0PicIdxAt = ABSENT;
            tkAt = ABSENT;
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.payloadLength = len;
        this.length = i;
        return true;
    }

    /** Bytes of the descriptor; the VP8 payload (header and data) follows. */
    public int length() { return length; }

    /** N: the frame is not used as a reference by any other frame. */
    public boolean isNonReference() { return (buf[off] & N) != 0; }

    /** S: the packet starts a VP8 partition. */
    public boolean isStartOfPartition() { return (buf[off] & S) != 0; }

    public int partitionId() { return buf[off] & PID; }

    /** RFC 7741 §4.4: the first packet of every frame has S = 1 and PID = 0. */
    public boolean isFrameStart() { return (buf[off] & (S | PID)) == S; }

    /**
     * The first packet of a key frame: a frame start whose VP8 payload header has P = 0
     * (RFC 7741 §4.3, RFC 6386 §9.1).
     */
    public boolean isKeyFrameStart() {
        return isFrameStart() && length < payloadLength && (buf[off + length] & 0x01) == 0;
    }

    public boolean hasPictureId() { return pictureIdAt != ABSENT; }

    /** M = 1: the picture id has 15 bits (else 7). */
    public boolean isLongPictureId() { return longPictureId; }

    /** 7 or 15, or 0 without picture id. */
    public int pictureIdBits() { return pictureIdAt == ABSENT ? 0 : longPictureId ? 15 : 7; }

    public int pictureId() {
        if (pictureIdAt == ABSENT) {
            return ABSENT;
        }
        int b = buf[off + pictureIdAt] & 0xFF;
        return longPictureId ? ((b & 0x7F) << 8) | (buf[off + pictureIdAt + 1] & 0xFF) : b & 0x7F;
    }

    /**
     * Writes {@code pictureId} modulo the field's width (2^7 or 2^15), keeping the M bit and so
     * the descriptor's length. No-op without picture id.
     */
    public void setPictureId(int pictureId) {
        if (pictureIdAt == ABSENT) {
            return;
        }
        if (longPictureId) {
            buf[off + pictureIdAt] = (byte) (M | ((pictureId >>> 8) & 0x7F));
            buf[off + pictureIdAt + 1] = (byte) pictureId;
        } else {
            buf[off + pictureIdAt] = (byte) (pictureId & 0x7F);
        }
    }

    public boolean hasTl0PicIdx() { return tl0PicIdxAt != ABSENT; }

    public int tl0PicIdx() { return tl0PicIdxAt == ABSENT ? ABSENT : buf[off + tl0PicIdxAt] & 0xFF; }

    /** Writes {@code tl0PicIdx} modulo 256. No-op without TL0PICIDX. */
    public void setTl0PicIdx(int tl0PicIdx) {
        if (tl0PicIdxAt != ABSENT) {
            buf[off + tl0PicIdxAt] = (byte) tl0PicIdx;
        }
    }

    /** T = 1: TID and Y are present. */
    public boolean hasTid() { return hasTid; }

    /** The temporal layer index 0..3, or {@link #ABSENT}. */
    public int tid() { return hasTid ? (buf[off + tkAt] & 0xFF) >>> 6 : ABSENT; }

    /** The temporal layer to select on: TID, or 0 when the stream has no temporal layers. */
    public int temporalLayer() { return hasTid ? (buf[off + tkAt] & 0xFF) >>> 6 : 0; }

    /**
     * Y, the layer sync bit: the frame depends only on the base layer (TID = 0), so forwarding
     * of its temporal layer can begin here. False without T.
     */
    public boolean layerSync() { return hasTid && (buf[off + tkAt] & Y) != 0; }

    public boolean hasKeyIdx() { return hasKeyIdx; }

    public int keyIdx() { return hasKeyIdx ? buf[off + tkAt] & KEYIDX : ABSENT; }

    /**
     * Length of a descriptor with these optional fields; {@link #ABSENT} leaves one out.
     * {@code longPictureId} chooses 15 bits over 7.
     */
    public static int size(int pictureId, boolean longPictureId, int tl0PicIdx, int tid, int keyIdx) {
        boolean x = pictureId != ABSENT || tl0PicIdx != ABSENT || tid != ABSENT || keyIdx != ABSENT;
        if (!x) {
            return 1;
        }
        int n = 2;
        if (pictureId != ABSENT) {
            n += longPictureId ? 2 : 1;
        }
        if (tl0PicIdx != ABSENT) {
            n++;
        }
        if (tid != ABSENT || keyIdx != ABSENT) {
            n++;
        }
        return n;
    }

    /**
     * Writes a descriptor at {@code off} and returns its length ({@link #size}). Optional fields
     * passed as {@link #ABSENT} are left out; values are taken modulo their field's width.
     * {@code layerSync} is written only with a TID.
     */
    public static int write(byte[] buf, int off, boolean nonReference, boolean startOfPartition, int partitionId,
                            int pictureId, boolean longPictureId, int tl0PicIdx, int tid, boolean layerSync,
                            int keyIdx) {
        int n = size(pictureId, longPictureId, tl0PicIdx, tid, keyIdx);
        int b0 = (nonReference ? N : 0) | (startOfPartition ? S : 0) | (partitionId & PID);
        if (n == 1) {
            buf[off] = (byte) b0;
            return 1;
        }
        buf[off] = (byte) (X | b0);
        int x = (pictureId != ABSENT ? I : 0) | (tl0PicIdx != ABSENT ? L : 0)
                | (tid != ABSENT ? T : 0) | (keyIdx != ABSENT ? K : 0);
        buf[off + 1] = (byte) x;
        int i = 2;
        if (pictureId != ABSENT) {
            if (longPictureId) {
                buf[off + i++] = (byte) (M | ((pictureId >>> 8) & 0x7F));
                buf[off + i++] = (byte) pictureId;
            } else {
                buf[off + i++] = (byte) (pictureId & 0x7F);
            }
        }
        if (tl0PicIdx != ABSENT) {
            buf[off + i++] = (byte) tl0PicIdx;
        }
        if (tid != ABSENT || keyIdx != ABSENT) {
            int tk = 0;
            if (tid != ABSENT) {
                tk |= (tid & 0x03) << 6 | (layerSync ? Y : 0);
            }
            if (keyIdx != ABSENT) {
                tk |= keyIdx & KEYIDX;
            }
            buf[off + i++] = (byte) tk;
        }
        return i;
    }
}
