package org.medibridge.webm;

/**
 * EBML variable-size integers, RFC 8794 §4.
 *
 * <pre>
 * length 1: 1xxx xxxx                      7 value bits
 * length 2: 01xx xxxx xxxx xxxx            14 value bits
 * ...
 * length 8: 0000 0001 + 7 bytes            56 value bits
 * </pre>
 *
 * A size whose value bits are all ones means "unknown size" (RFC 8794 §6.2), so the largest known
 * size of an n-byte VINT is 2^(7n) - 2. Element ids are stored with their marker bits, exactly as on
 * the wire, so writing an id is writing its 1 to 4 bytes big-endian.
 */
public final class Ebml {
    /** The 8-byte "unknown size" VINT: the marker bit and 56 value bits set. */
    public static final long UNKNOWN_SIZE_8 = 0x01FF_FFFF_FFFF_FFFFL;
    /** The largest size an 8-byte VINT can carry (2^56 - 2). */
    public static final long MAX_SIZE = (1L << 56) - 2;

    private Ebml() { }

    /** Bytes the shortest VINT for {@code size} takes: the smallest n with size <= 2^(7n) - 2. */
    public static int sizeLength(long size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("EBML size out of range: " + size);
        }
        int n = 1;
        while (size > (1L << (7 * n)) - 2) {
            n++;
        }
        return n;
    }

    /** Writes {@code size} as a VINT of exactly {@code length} bytes; returns the offset after it. */
    public static int putSize(byte[] b, int off, long size, int length) {
        if (length < 1 || length > 8 || size < 0 || size > (1L << (7 * length)) - 2) {
            throw new IllegalArgumentException("size " + size + " does not fit a " + length + "-byte VINT");
        }
        long v = size | (1L << (7 * length));
        for (int i = length - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
        return off + length;
    }

    /** Bytes of an element id as stored (its leading byte's marker bit gives the length). */
    public static int idLength(int id) {
        if ((id & 0xFFFFFF00) == 0) {
            return 1;
        } else if ((id & 0xFFFF0000) == 0) {
            return 2;
        } else if ((id & 0xFF000000) == 0) {
            return 3;
        }
        return 4;
    }

    public static int putId(byte[] b, int off, int id) {
        int n = idLength(id);
        for (int i = n - 1; i >= 0; i--) {
            b[off + i] = (byte) id;
            id >>>= 8;
        }
        return off + n;
    }

    /** Bytes of the shortest big-endian unsigned integer for {@code v} (at least 1; v is unsigned). */
    public static int uintLength(long v) {
        int n = 1;
        while (n < 8 && (v >>> (8 * n)) != 0) {
            n++;
        }
        return n;
    }

    /** Total bytes of an element: id + size VINT + {@code payload} bytes. */
    public static long elementSize(int id, long payload) {
        return idLength(id) + sizeLength(payload) + payload;
    }
}
