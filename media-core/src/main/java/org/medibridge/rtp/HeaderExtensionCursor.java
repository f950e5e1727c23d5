package org.medibridge.rtp;

/**
 * Walks the elements of an RTP header extension block in the RFC 8285 one-byte (0xBEDE) or
 * two-byte (0x100X) form, without allocating. Reusable: {@link #reset} then {@link #next} until
 * it returns false.
 * <p>
 * One-byte form, RFC 8285 §4.2 (L = data length - 1):
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * |  ID   |  L    |  data (L + 1 bytes)
 * +-+-+-+-+-+-+-+-+
 * </pre>
 * Two-byte form, RFC 8285 §4.3 (length = data length, may be 0):
 * <pre>
 *  0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       ID      |     length    |  data
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Zero bytes between elements are padding in both forms.
 */
public final class HeaderExtensionCursor {
    private byte[] buf;
    private int pos;
    private int end;
    private boolean twoByte;
    private int elementStart;
    private int id;
    private int dataOffset;
    private int dataLength;

    /** Positions before the first element; false when the packet has no RFC 8285 extension block. */
    public boolean reset(RtpPacket p) {
        buf = null;
        id = -1;
        int profile = p.extensionsProfile();
        if (profile == RtpPacket.PROFILE_ONE_BYTE) {
            twoByte = false;
        } else if ((profile & 0xFFF0) == RtpPacket.PROFILE_TWO_BYTE) {
            twoByte = true;
        } else {
            return false;
        }
        buf = p.buffer();
        pos = p.extensionsDataOffset();
        end = pos + p.extensionsDataLength();
        return true;
    }

    /** Moves to the next element; false at the end of the block or on a malformed element. */
    public boolean next() {
        if (buf == null) {
            return false;
        }
        while (pos < end) {
            int b = buf[pos] & 0xFF;
            if (b == 0) {
                pos++;  // padding
                continue;
            }
            int start = pos;
            int elementId;
            int header;
            int length;
            if (twoByte) {
                if (pos + 2 > end) {
                    break;
                }
                elementId = b;
                header = 2;
                length = buf[pos + 1] & 0xFF;
            } else {
                elementId = b >>> 4;
                if (elementId == 15) {
                    // RFC 8285 §4.2: "the local identifier value 15 is reserved for a future
                    // extension and MUST NOT be used as an identifier. If the ID value 15 is
                    // encountered, its length field should be ignored, processing of the entire
                    // extension should terminate at that point".
                    break;
                }
                if (elementId == 0) {
                    // ID 0 with a non-zero length: treat it as one padding byte, as libwebrtc does.
                    pos++;
                    continue;
                }
                header = 1;
                length = (b & 0x0F) + 1;
            }
            if (start + header + length > end) {
                break;  // runs past the block: ignore the rest rather than read foreign bytes
            }
            elementStart = start;
            id = elementId;
            dataOffset = start + header;
            dataLength = length;
            pos = dataOffset + length;
            return true;
        }
        pos = end;
        id = -1;
        return false;
    }

    public int id() { return id; }
    /** Absolute offset of the element's data in the packet's buffer. */
    public int dataOffset() { return dataOffset; }
    public int dataLength() { return dataLength; }
    public boolean isTwoByteForm() { return twoByte; }

    /** Renumbers the current element in place (1..14 in the one-byte form, 1..255 in the two-byte form). */
    public void setId(int newId) {
        if (newId < 1 || newId > (twoByte ? 255 : 14)) {
            throw new IllegalArgumentException("extension id " + newId + " does not fit the "
                    + (twoByte ? "two" : "one") + "-byte form");
        }
        if (twoByte) {
            buf[elementStart] = (byte) newId;
        } else {
            buf[elementStart] = (byte) ((newId << 4) | (buf[elementStart] & 0x0F));
        }
        id = newId;
    }

    /**
     * Overwrites the current element (header and data) with zero padding bytes, so receivers skip
     * it: the cheapest way to drop an extension without moving the payload.
     */
    public void erase() {
        java.util.Arrays.fill(buf, elementStart, dataOffset + dataLength, (byte) 0);
    }
}
