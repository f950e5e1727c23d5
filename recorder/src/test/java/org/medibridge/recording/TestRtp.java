package org.medibridge.recording;

/** RTP packets for recorder tests (RFC 3550 §5.1 fixed header, no CSRCs, no extensions). */
final class TestRtp {
    private TestRtp() {
    }

    static byte[] packet(int payloadType, int seq, long timestamp, long ssrc, boolean marker, byte[] payload) {
        byte[] b = new byte[12 + payload.length];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            b[4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            b[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, b, 12, payload.length);
        return b;
    }
}
