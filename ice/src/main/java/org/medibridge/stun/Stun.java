package org.medibridge.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The few STUN messages (RFC 8489) an ICE agent (RFC 8445 §7) needs for connectivity checks:
 * Binding requests with USERNAME, PRIORITY, ICE-CONTROLLING/ICE-CONTROLLED, USE-CANDIDATE,
 * MESSAGE-INTEGRITY and FINGERPRINT, and Binding success responses with XOR-MAPPED-ADDRESS.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Used by clients of the server (the load generator, ICE tests); the server itself answers
 * checks inside ice4j. Not thread-safe (one Mac per instance): each I/O thread or connection
 * holds its own.
 */
public final class Stun {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER = 20;

    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int PRIORITY = 0x0024;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int FINGERPRINT = 0x8028;
    private static final int ICE_CONTROLLED = 0x8029;
    private static final int ICE_CONTROLLING = 0x802A;
    /** RFC 8489 §14.7: the CRC-32 is XOR'ed with "STUN". */
    private static final int FINGERPRINT_XOR = 0x5354554e;

    private final Mac mac;

    public Stun() {
        try {
            mac = Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 7983: a first byte 0..3 is STUN. */
    public static boolean isStun(byte[] b, int off, int len) {
        return len >= HEADER && (b[off] & 0xFF) < 4 && readInt(b, off + 4) == MAGIC_COOKIE;
    }

    public static int type(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    /** True when the request carries USE-CANDIDATE (RFC 8445 §7.1.2). */
    public static boolean hasUseCandidate(byte[] b, int off, int len) {
        return findAttribute(b, off, len, USE_CANDIDATE) >= 0;
    }

    /**
     * A Binding request (RFC 8445 §7.1.2) into {@code out}; returns its length.
     * USERNAME is "remoteUfrag:localUfrag", MESSAGE-INTEGRITY is keyed with the remote password.
     */
    public int bindingRequest(byte[] out, byte[] transactionId, String username, String remotePassword,
                       long priority, boolean controlling, long tieBreaker, boolean useCandidate) {
        int p = header(out, BINDING_REQUEST, transactionId);
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        p = attribute(out, p, USERNAME, user, user.length);
        byte[] prio = new byte[4];
        writeInt(prio, 0, (int) priority);
        p = attribute(out, p, PRIORITY, prio, 4);
        byte[] tb = new byte[8];
        writeInt(tb, 0, (int) (tieBreaker >>> 32));
        writeInt(tb, 4, (int) tieBreaker);
        p = attribute(out, p, controlling ? ICE_CONTROLLING : ICE_CONTROLLED, tb, 8);
        if (useCandidate) {
            p = attribute(out, p, USE_CANDIDATE, tb, 0);
        }
        return integrityAndFingerprint(out, p, remotePassword);
    }

    /**
     * A Binding success response to the request in {@code req} (same transaction id), telling the
     * peer the address we saw (XOR-MAPPED-ADDRESS, RFC 8489 §14.2); keyed with our password.
     */
    public int bindingSuccess(byte[] out, byte[] req, int reqOff, InetSocketAddress from, String localPassword) {
        byte[] tid = new byte[12];
        System.arraycopy(req, reqOff + 8, tid, 0, 12);
        int p = header(out, BINDING_SUCCESS, tid);
        byte[] addr = from.getAddress().getAddress();
        byte[] v = new byte[4 + addr.length];
        v[1] = (byte) (addr.length == 4 ? 0x01 : 0x02);
        int port = from.getPort() ^ (MAGIC_COOKIE >>> 16);
        v[2] = (byte) (port >>> 8);
        v[3] = (byte) port;
        byte[] xorKey = new byte[16];
        writeInt(xorKey, 0, MAGIC_COOKIE);
        System.arraycopy(tid, 0, xorKey, 4, 12);
        for (int i = 0; i < addr.length; i++) {
            v[4 + i] = (byte) (addr[i] ^ xorKey[i]);
        }
        p = attribute(out, p, XOR_MAPPED_ADDRESS, v, v.length);
        return integrityAndFingerprint(out, p, localPassword);
    }

    private static int header(byte[] out, int type, byte[] transactionId) {
        out[0] = (byte) (type >>> 8);
        out[1] = (byte) type;
        out[2] = 0;
        out[3] = 0;
        writeInt(out, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, out, 8, 12);
        return HEADER;
    }

    /** Type, length, value, padded to 4 bytes (RFC 8489 §14). */
    private static int attribute(byte[] out, int p, int type, byte[] value, int len) {
        out[p] = (byte) (type >>> 8);
        out[p + 1] = (byte) type;
        out[p + 2] = (byte) (len >>> 8);
        out[p + 3] = (byte) len;
        System.arraycopy(value, 0, out, p + 4, len);
        int padded = (len + 3) & ~3;
        for (int i = len; i < padded; i++) {
            out[p + 4 + i] = 0;
        }
        return p + 4 + padded;
    }

    /**
     * RFC 8489 §14.5: the HMAC covers the message up to MESSAGE-INTEGRITY with the length field
     * already counting it; §14.7: the CRC covers everything before FINGERPRINT, length counting it.
     */
    private int integrityAndFingerprint(byte[] out, int p, String password) {
        setLength(out, p - HEADER + 24);
        byte[] hmac;
        try {
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(out, 0, p);
            hmac = mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        p = attribute(out, p, MESSAGE_INTEGRITY, hmac, 20);
        setLength(out, p - HEADER + 8);
        CRC32 crc = new CRC32();
        crc.update(out, 0, p);
        byte[] fp = new byte[4];
        writeInt(fp, 0, (int) crc.getValue() ^ FINGERPRINT_XOR);
        return attribute(out, p, FINGERPRINT, fp, 4);
    }

    private static void setLength(byte[] out, int len) {
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
    }

    /** Offset of the attribute's value, or -1. */
    private static int findAttribute(byte[] b, int off, int len, int wanted) {
        int end = off + Math.min(len, HEADER + (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF)));
        int p = off + HEADER;
        while (p + 4 <= end) {
            int type = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
            int alen = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (type == wanted) {
                return p + 4;
            }
            p += 4 + ((alen + 3) & ~3);
        }
        return -1;
    }

    public static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
