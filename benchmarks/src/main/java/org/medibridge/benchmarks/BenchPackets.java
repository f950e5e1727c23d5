package org.medibridge.benchmarks;

import java.util.Random;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpProfile;
import org.medibridge.srtp.SrtpSession;

/** Packets and keys shared by the benchmarks. */
final class BenchPackets {
    /** Publisher-side extension ids: mid 4, audio level 1, abs-send-time 2, transport-cc 3, rid 10. */
    static final int MID = 4;
    static final int ABS_SEND_TIME = 2;
    static final int TRANSPORT_CC = 3;
    static final int AUDIO_LEVEL = 1;
    static final int RID = 10;
    /** The rids of a three-layer simulcast track, lowest first (RFC 8853). */
    static final char[] RIDS = {'q', 'h', 'f'};
    /** Extension block: 4-byte header + mid(2) + abs-send-time(4) + transport-cc(3) + audio level(2) + 1 pad. */
    static final int EXTENSION_BLOCK = 16;

    private BenchPackets() {
    }

    /**
     * A VP8 RTP packet (RFC 3550 §5.1) with a one-byte-form header extension block (RFC 8285 §4.2)
     * carrying mid, abs-send-time, transport-cc and audio level, and a {@code payload}-byte payload
     * whose VP8 descriptor marks a key frame start.
     */
    static byte[] videoPacket(int pt, int seq, long ts, long ssrc, int payload) {
        byte[] b = new byte[12 + EXTENSION_BLOCK + payload];
        b[0] = (byte) 0x90;  // V=2, X=1
        b[1] = (byte) pt;
        Bytes.writeUint16(b, 2, seq);
        Bytes.writeUint32(b, 4, ts);
        Bytes.writeUint32(b, 8, ssrc);
        int p = 12;
        Bytes.writeUint16(b, p, RtpPacket.PROFILE_ONE_BYTE);
        Bytes.writeUint16(b, p + 2, (EXTENSION_BLOCK - 4) / 4);
        p += 4;
        b[p++] = (byte) (MID << 4);                  // mid, 1 byte
        b[p++] = '0';
        b[p++] = (byte) (ABS_SEND_TIME << 4 | 2);    // abs-send-time, 3 bytes
        b[p++] = 1;
        b[p++] = 2;
        b[p++] = 3;
        b[p++] = (byte) (TRANSPORT_CC << 4 | 1);     // transport-cc, 2 bytes
        b[p++] = 0;
        b[p++] = 7;
        b[p++] = (byte) (AUDIO_LEVEL << 4);          // audio level, 1 byte
        b[p++] = (byte) 0x85;
        p = 12 + EXTENSION_BLOCK;
        // VP8 payload descriptor (RFC 7741 §4.2): X=0, S=1, PID=0; then a key-frame payload header (P=0).
        b[p] = 0x10;
        b[p + 1] = 0x10;
        for (int i = p + 2; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    /**
     * A VP8 packet of simulcast layer {@code rid} as Chromium sends it: the same extensions, but
     * rtp-stream-id (RFC 8852) where {@link #videoPacket} has the audio level, and a VP8
     * descriptor with a 15-bit picture id (RFC 7741 §4.2: X=1, S=1, PID=0; I=1, M=1); a key
     * frame when {@code keyFrame}, else a delta frame. One packet per frame.
     */
    static byte[] simulcastPacket(int pt, int seq, long ts, long ssrc, char rid, int pictureId, boolean keyFrame,
                                  int payload) {
        byte[] b = videoPacket(pt, seq, ts, ssrc, payload);
        int p = 12 + 4 + 2 + 4 + 3;              // the audio level element
        b[p] = (byte) (RID << 4);
        b[p + 1] = (byte) rid;
        b[1] |= (byte) 0x80;                     // marker: the frame's last packet
        p = 12 + EXTENSION_BLOCK;
        b[p] = (byte) 0x90;                      // X=1, S=1, PID=0
        b[p + 1] = (byte) 0x80;                  // I=1
        b[p + 2] = (byte) (0x80 | ((pictureId >> 8) & 0x7F));
        b[p + 3] = (byte) pictureId;
        b[p + 4] = (byte) (keyFrame ? 0x10 : 0x11);  // VP8 payload header: P=0 key frame, 1 delta
        return b;
    }

    /** Two ends of one DTLS-SRTP association: index 0 was the DTLS client (the browser), 1 the server. */
    static SrtpSession[] srtpPair(SrtpProfile profile, int seed) {
        byte[] block = new byte[2 * (profile.keyLength + profile.saltLength)];
        new Random(seed).nextBytes(block);
        return new SrtpSession[] {
                new SrtpSession(SrtpKeyingMaterial.fromExportedBlock(profile, true, block)),
                new SrtpSession(SrtpKeyingMaterial.fromExportedBlock(profile, false, block))};
    }
}
