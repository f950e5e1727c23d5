package org.medibridge.rtp;

/**
 * A reusable, mutable view over one RTP packet in (buffer, offset, length). {@link #wrap} checks
 * every length once, so the getters need no bounds checks; nothing here copies or allocates.
 * <p>
 * RFC 3550 §5.1:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * followed, when X is set, by the extension block of RFC 3550 §5.3.1:
 * <pre>
 * |      defined by profile       |           length              |
 * |                        header extension                       |
 * </pre>
 * <p>
 * Not thread-safe; one view per thread (it is cheap to keep one per stage).
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 §4.2 one-byte header form. */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** RFC 8285 §4.3 two-byte header form: 0x100 followed by 4 "appbits". */
    public static final int PROFILE_TWO_BYTE = 0x1000;

    private byte[] buf;
    private int off;
    private int len;
    // Cached on wrap: the only fields that decide where the payload lies, and the setters below
    // never change them.
    private int headerLength;
    private int paddingLength;

    /** A cursor kept for {@link #findExtension} so lookups stay allocation-free. */
    private HeaderExtensionCursor lookup;

    /**
     * Re-points the view. Returns false, leaving the view unusable, when the bytes are not an RTP
     * packet: shorter than 12 bytes, version not 2, or CSRCs, extension block or padding running
     * past {@code len}.
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (buf == null || off < 0 || len < FIXED_HEADER_LENGTH || off > buf.length - len) {
            return false;
        }
        int b0 = buf[off] & 0xFF;
        if ((b0 >>> 6) != 2) {
            return false;
        }
        int header = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len) {
                return false;
            }
            header += 4 + 4 * Bytes.readUint16(buf, off + header + 2);
        }
        if (header > len) {
            return false;
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            // RFC 3550 §5.1: the last octet counts the padding, itself included, so it is >= 1.
            padding = buf[off + len - 1] & 0xFF;
            if (padding == 0 || header + padding > len) {
                return false;
            }
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.headerLength = header;
        this.paddingLength = padding;
        return true;
    }

    public byte[] buffer() { return buf; }
    public int offset() { return off; }
    public int length() { return len; }

    public int version() { return (buf[off] & 0xFF) >>> 6; }
    public boolean hasPadding() { return (buf[off] & 0x20) != 0; }
    public boolean hasExtension() { return (buf[off] & 0x10) != 0; }
    public int csrcCount() { return buf[off] & 0x0F; }
    public boolean marker() { return (buf[off + 1] & 0x80) != 0; }
    public int payloadType() { return buf[off + 1] & 0x7F; }
    public int sequenceNumber() { return Bytes.readUint16(buf, off + 2); }
    public long timestamp() { return Bytes.readUint32(buf, off + 4); }
    public long ssrc() { return Bytes.readUint32(buf, off + 8); }

    /** The i-th contributing source, 0 <= i < {@link #csrcCount()}. */
    public long csrc(int i) { return Bytes.readUint32(buf, off + FIXED_HEADER_LENGTH + 4 * i); }

    /** Fixed header, CSRCs and extension block. */
    public int headerLength() { return headerLength; }
    /** Absolute index of the payload in {@link #buffer()}. */
    public int payloadOffset() { return off + headerLength; }
    /** Payload bytes, padding excluded. */
    public int payloadLength() { return len - headerLength - paddingLength; }
    public int paddingLength() { return paddingLength; }

    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) (marker ? (buf[off + 1] | 0x80) : (buf[off + 1] & 0x7F));
    }

    /** @param payloadType 0..127 */
    public void setPayloadType(int payloadType) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    public void setSequenceNumber(int seq) { Bytes.writeUint16(buf, off + 2, seq); }
    public void setTimestamp(long timestamp) { Bytes.writeUint32(buf, off + 4, timestamp); }
    public void setSsrc(long ssrc) { Bytes.writeUint32(buf, off + 8, ssrc); }

    // --- Header extension block (RFC 3550 §5.3.1, RFC 8285) ---

    private int extensionBlockOffset() {
        return off + FIXED_HEADER_LENGTH + 4 * csrcCount();
    }

    /** The 16-bit "defined by profile" field (0xBEDE, 0x100X, ...), or -1 without extension. */
    public int extensionsProfile() {
        return hasExtension() ? Bytes.readUint16(buf, extensionBlockOffset()) : -1;
    }

    /** Absolute offset of the first element after the 4-byte extension block header, or -1. */
    public int extensionsDataOffset() {
        return hasExtension() ? extensionBlockOffset() + 4 : -1;
    }

    /** Length in bytes of the elements area (excluding the 4-byte block header), 0 without extension. */
    public int extensionsDataLength() {
        return hasExtension() ? 4 * Bytes.readUint16(buf, extensionBlockOffset() + 2) : 0;
    }

    /** Absolute offset of the data of extension element {@code id}, or -1 when absent. */
    public int findExtension(int id) {
        HeaderExtensionCursor c = positionAt(id);
        return c == null ? -1 : c.dataOffset();
    }

    /** Data length of extension element {@code id}, or -1 when absent. */
    public int extensionLength(int id) {
        HeaderExtensionCursor c = positionAt(id);
        return c == null ? -1 : c.dataLength();
    }

    private HeaderExtensionCursor positionAt(int id) {
        if (lookup == null) {
            lookup = new HeaderExtensionCursor();  // once per view, not per packet
        }
        if (!lookup.reset(this)) {
            return null;
        }
        while (lookup.next()) {
            if (lookup.id() == id) {
                return lookup;
            }
        }
        return null;
    }
}
