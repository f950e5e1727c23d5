package org.medibridge.rtp;

/**
 * Big-endian (network order) unsigned reads and writes shared by the RTP and RTCP views.
 * Unsigned 32-bit values travel as {@code long} in 0..2^32-1 because Java has no unsigned int.
 * No bounds checks beyond the JVM's: callers validate lengths once, when they wrap a packet.
 */
public final class Bytes {
    private Bytes() {
    }

    public static int readUint8(byte[] buf, int off) {
        return buf[off] & 0xFF;
    }

    public static int readUint16(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    }

    public static void writeUint16(byte[] buf, int off, int value) {
        buf[off] = (byte) (value >>> 8);
        buf[off + 1] = (byte) value;
    }

    public static int readUint24(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 16) | ((buf[off + 1] & 0xFF) << 8) | (buf[off + 2] & 0xFF);
    }

    public static void writeUint24(byte[] buf, int off, int value) {
        buf[off] = (byte) (value >>> 16);
        buf[off + 1] = (byte) (value >>> 8);
        buf[off + 2] = (byte) value;
    }

    public static long readUint32(byte[] buf, int off) {
        return ((long) readUint16(buf, off) << 16) | readUint16(buf, off + 2);
    }

    /** Writes the low 32 bits of {@code value}. */
    public static void writeUint32(byte[] buf, int off, long value) {
        buf[off] = (byte) (value >>> 24);
        buf[off + 1] = (byte) (value >>> 16);
        buf[off + 2] = (byte) (value >>> 8);
        buf[off + 3] = (byte) value;
    }

    /** Reads 64 bits as a (possibly negative) {@code long}; used for NTP timestamps. */
    public static long readInt64(byte[] buf, int off) {
        return (readUint32(buf, off) << 32) | readUint32(buf, off + 4);
    }

    public static void writeInt64(byte[] buf, int off, long value) {
        writeUint32(buf, off, value >>> 32);
        writeUint32(buf, off + 4, value);
    }
}
