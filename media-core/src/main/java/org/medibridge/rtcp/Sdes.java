package org.medibridge.rtcp;

import java.nio.charset.StandardCharsets;
import org.medibridge.rtp.Bytes;

/**
 * Source description, RFC 3550 §6.5, written here with one chunk holding one CNAME item:
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_1                          |
 *   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |    CNAME=1    |     length    | user and domain name        ...
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * "The list of items in each chunk MUST be terminated by one or more null octets ... followed by
 * null octets to the next 32-bit boundary" (§6.5).
 */
public final class Sdes {
    public static final int CNAME = 1;

    private byte[] buf;
    private int off;
    private int len;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (buf == null || off < 0 || len < RtcpHeader.LENGTH || off > buf.length - len
                || RtcpHeader.packetType(buf, off) != RtcpPacketType.SDES
                || RtcpHeader.packetLength(buf, off) > len) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.len = RtcpHeader.packetLength(buf, off);
        return true;
    }

    public int chunkCount() { return RtcpHeader.count(buf, off); }

    /** SSRC of the first chunk, or -1 when there is none. */
    public long firstSsrc() {
        return chunkCount() > 0 && len >= 8 ? Bytes.readUint32(buf, off + 4) : -1;
    }

    /**
     * Absolute offset of the CNAME text in the first chunk, or -1; its length is at offset - 1.
     * Walks the items with bounds checks, so a malformed chunk yields -1.
     */
    public int firstCnameOffset() {
        if (firstSsrc() < 0) {
            return -1;
        }
        int end = off + len;
        int p = off + 8;
        while (p + 2 <= end && buf[p] != 0) {
            int type = buf[p] & 0xFF;
            int itemLength = buf[p + 1] & 0xFF;
            if (p + 2 + itemLength > end) {
                return -1;
            }
            if (type == CNAME) {
                return p + 2;
            }
            p += 2 + itemLength;
        }
        return -1;
    }

    /** Size of an SDES with one CNAME of {@code cnameLength} bytes. */
    public static int cnameLength(int cnameLength) {
        // header 4, SSRC 4, type+length 2, text, at least one null octet, then to a 4-byte boundary
        return (4 + 4 + 2 + cnameLength + 1 + 3) & ~3;
    }

    /** Writes an SDES with one chunk holding one CNAME (at most 255 bytes). */
    public static int writeCname(byte[] buf, int off, long ssrc, byte[] cnameBytes) {
        int n = cnameBytes.length;
        if (n > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int length = cnameLength(n);
        RtcpHeader.write(buf, off, 1, RtcpPacketType.SDES, length);
        Bytes.writeUint32(buf, off + 4, ssrc);
        buf[off + 8] = CNAME;
        buf[off + 9] = (byte) n;
        System.arraycopy(cnameBytes, 0, buf, off + 10, n);
        java.util.Arrays.fill(buf, off + 10 + n, off + length, (byte) 0);
        return length;
    }

    /** Convenience that encodes the CNAME each call; keep the bytes with {@link #writeCname(byte[], int, long, byte[])}. */
    public static int writeCname(byte[] buf, int off, long ssrc, String cname) {
        return writeCname(buf, off, ssrc, cname.getBytes(StandardCharsets.UTF_8));
    }
}
