package org.medibridge.webm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with EBML element writers (RFC 8794). Reused across clusters so that the
 * writer does not allocate per frame once it has grown to the largest cluster.
 */
final class EbmlBuffer {
    private byte[] buf;
    private int pos;

    EbmlBuffer(int capacity) {
        buf = new byte[capacity];
    }

    int position() {
        return pos;
    }

    byte[] array() {
        return buf;
    }

    void reset() {
        pos = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    EbmlBuffer bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    EbmlBuffer u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    EbmlBuffer u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /** {@code v} big-endian in exactly {@code n} bytes. */
    EbmlBuffer be(long v, int n) {
        ensure(n);
        for (int i = n - 1; i >= 0; i--) {
            buf[pos + i] = (byte) v;
            v >>>= 8;
        }
        pos += n;
        return this;
    }

    EbmlBuffer id(int id) {
        ensure(4);
        pos = Ebml.putId(buf, pos, id);
        return this;
    }

    /** The shortest VINT for {@code size}. */
    EbmlBuffer size(long size) {
        return size(size, Ebml.sizeLength(size));
    }

    EbmlBuffer size(long size, int length) {
        ensure(8);
        pos = Ebml.putSize(buf, pos, size, length);
        return this;
    }

    /** An 8-byte unknown size (RFC 8794 §6.2). */
    EbmlBuffer unknownSize() {
        return be(Ebml.UNKNOWN_SIZE_8, 8);
    }

    /** An unsigned integer element in the fewest bytes (RFC 8794 §7.2). */
    EbmlBuffer uint(int id, long v) {
        return uint(id, v, Ebml.uintLength(v));
    }

    /** An unsigned integer element in exactly {@code width} bytes, so that it can be patched in place. */
    EbmlBuffer uint(int id, long v, int width) {
        if (width < 8 && (v >>> (8 * width)) != 0) {
            throw new IllegalArgumentException(v + " does not fit " + width + " bytes");
        }
        return id(id).size(width).be(v, width);
    }

    /** A float element, 8-byte IEEE 754 binary64 (RFC 8794 §7.3). */
    EbmlBuffer float64(int id, double v) {
        return id(id).size(8).be(Double.doubleToLongBits(v), 8);
    }

    /** A float element, 4-byte IEEE 754 binary32. */
    EbmlBuffer float32(int id, float v) {
        return id(id).size(4).be(Float.floatToIntBits(v) & 0xFFFFFFFFL, 4);
    }

    /** A String / UTF-8 element (RFC 8794 §7.4, 7.5), no terminating zero. */
    EbmlBuffer string(int id, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return binary(id, b);
    }

    EbmlBuffer binary(int id, byte[] b) {
        return id(id).size(b.length).bytes(b, 0, b.length);
    }

    /**
     * A Void element of exactly {@code total} bytes (id, size, zeros): RFC 8794 §11.3.2. The smallest is
     * 2 bytes ({@code EC 80}); the size VINT grows as needed.
     */
    EbmlBuffer voidElement(int total) {
        if (total < 2) {
            throw new IllegalArgumentException("a Void element takes at least 2 bytes, asked " + total);
        }
        int length = 1;
        while (total - 1 - length > (1L << (7 * length)) - 2) {
            length++;
        }
        int payload = total - 1 - length;
        id(MatroskaIds.VOID).size(payload, length);
        ensure(payload);
        Arrays.fill(buf, pos, pos + payload, (byte) 0);
        pos += payload;
        return this;
    }

    /** Writes the id and reserves a {@code sizeLength}-byte size; returns the mark for {@link #endMaster}. */
    int startMaster(int id, int sizeLength) {
        id(id);
        int mark = pos;
        ensure(sizeLength);
        pos += sizeLength;
        return mark | (sizeLength << 28);
    }

    void endMaster(int mark) {
        int sizeLength = mark >>> 28;
        int at = mark & 0x0FFFFFFF;
        Ebml.putSize(buf, at, pos - at - sizeLength, sizeLength);
    }
}
