package org.medibridge.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medibridge.codec.vp8.Vp8Descriptor;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.RtpPacket;

class SimulcastRewriterTest {
    static final long LEG = 0x11223344L;

    /** An RTP packet with a VP8 descriptor (picture id, TL0PICIDX, TID) and a one-byte VP8 header. */
    static byte[] packet(long ssrc, int seq, long ts, boolean marker, int pid, boolean longPid, int tl0, int tid,
                         boolean key, boolean start) {
        byte[] b = new byte[40];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | 96);
        Bytes.writeUint16(b, 2, seq);
        Bytes.writeUint32(b, 4, ts);
        Bytes.writeUint32(b, 8, ssrc);
        int d = Vp8Descriptor.write(b, 12, false, start, 0, pid, longPid, tl0, tid, false, Vp8Descriptor.ABSENT);
        b[12 + d] = (byte) (key ? 0x10 : 0x11);
        return b;
    }

    /**
     * One leg across two switches, every wrap on the way: sequence 65535 -> 0, timestamp
     * 2^32 -> 0, 7-bit picture id 127 -> 0, TL0PICIDX 255 -> 0, 15-bit picture id 32767 -> 0.
     * Action: F forwarded, S forwarded as a switch (re-anchor), D dropped by the selector.
     */
    static final String CONTINUITY = """
        # step                                 |L|  seq  | ts         |  pid |long |tl0|tid|key  |act|ms | out seq | out ts     | pid | tl0
        first packet keeps its ts, pid, tl0    |0|    10 | 4294967000 |  127 |false|255| 0 |true | S | 0 |   65535 | 4294967000 | 127 | 255
        a TID 1 frame dropped: no hole         |0|    11 |       2704 |    0 |false|255| 1 |false| D | 0 |      -1 |         -1 |  -1 |  -1
        next frame: seq, pid wrap, tl0 wraps   |0|    12 |       5704 |    1 |false|  0| 0 |false| F | 0 |       0 |       5704 |   0 |   0
        switch to 15-bit layer after 50 ms     |1| 60000 |     123456 |32767 |true | 17| 0 |true | S |50 |       1 |      10204 |   1 |   1
        same layer: its pid wraps              |1| 60001 |     126456 |    0 |true | 17| 2 |false| F |60 |       2 |      13204 |   2 |   1
        back to the 7-bit layer 33 ms later    |0|    20 |      77777 |    9 |false|  3| 0 |true | S |93 |       3 |      16174 |   3 |   2
        same frame, next packet                |0|    21 |      77777 |    9 |false|  3| 0 |false| F |93 |       4 |      16174 |   3 |   2
        """;

    @Test
    void continuityAcrossSwitchesAndWraps() {
        SimulcastRewriter r = new SimulcastRewriter(LEG, 65535, 0, 90000);
        for (String row : CONTINUITY.strip().split("\n")) {
            if (row.strip().startsWith("#")) {
                continue;
            }
            String[] c = row.split("\\|");
            int[] v = new int[c.length];
            for (int i = 1; i < c.length; i++) {
                String f = c[i].strip();
                v[i] = f.equals("true") ? 1 : f.equals("false") ? 0 : f.length() == 1 && Character.isLetter(f.charAt(0))
                        ? f.charAt(0) : (int) Long.parseLong(f);
            }
            step(r, c[0].strip(), v[1], v[2], Long.parseLong(c[3].strip()), v[4], v[5] == 1, v[6], v[7], v[8] == 1,
                    (char) v[9], v[10], v[11], Long.parseLong(c[12].strip()), v[13], v[14]);
        }
    }

    private static void step(SimulcastRewriter r, String step, int layer, int seq, long ts, int pid, boolean longPid,
                             int tl0, int tid, boolean key, char act, int ms, int outSeq, long outTs, int outPid,
                             int outTl0) {
        byte[] p = packet(1000L + layer, seq, ts, false, pid, longPid, tl0, tid, key, true);
        long now = ms * 1_000_000L;
        if (act == 'D') {
            r.onDropped(p, 0, p.length, layer);
            return;
        }
        assertThat(r.rewrite(p, 0, p.length, layer, act == 'S', now)).as(step).isTrue();
        RtpPacket rtp = new RtpPacket();
        Vp8Descriptor vp8 = new Vp8Descriptor();
        assertThat(rtp.wrap(p, 0, p.length)).isTrue();
        assertThat(vp8.wrap(p, rtp.payloadOffset(), rtp.payloadLength())).isTrue();
        assertThat(rtp.ssrc()).isEqualTo(LEG);
        assertThat(rtp.sequenceNumber()).as(step).isEqualTo(outSeq);
        assertThat(rtp.timestamp()).as(step).isEqualTo(outTs);
        assertThat(vp8.pictureId()).as(step).isEqualTo(outPid);
        assertThat(vp8.isLongPictureId()).as("descriptor width kept").isEqualTo(longPid);
        assertThat(vp8.tl0PicIdx()).as(step).isEqualTo(outTl0);
        assertThat(vp8.isKeyFrameStart()).isEqualTo(key);
    }

    @Test
    void latePacketsFromBeforeTheAnchorAreRefused() {
        SimulcastRewriter r = new SimulcastRewriter(LEG, 100, 0, 90000);
        byte[] key = packet(1000, 500, 9000, true, 5, true, 1, 0, true, true);
        assertThat(r.rewrite(key, 0, key.length, 0, true, 0)).isTrue();
        byte[] late = packet(1000, 499, 6000, true, 4, true, 0, 0, false, true);
        assertThat(r.rewrite(late, 0, late.length, 0, false, 0)).isFalse();
        assertThat(r.stalePackets()).isEqualTo(1);
        byte[] next = packet(1000, 501, 12000, true, 6, true, 2, 0, false, true);
        assertThat(r.rewrite(next, 0, next.length, 0, false, 0)).isTrue();
        assertThat(Bytes.readUint16(next, 2)).isEqualTo(101);
    }

    /**
     * A packet of the current layer repaired by RTX after the selector dropped a TID 1 frame:
     * sequence number and picture id are the ones it would have had on time.
     */
    @Test
    void aRepairedPacketBehindADroppedFrameKeepsItsOnTimeNumbers() {
        SimulcastRewriter r = new SimulcastRewriter(LEG, 100, 0, 90000);
        byte[] key = packet(1000, 500, 9000, false, 5, true, 1, 0, true, true);
        assertThat(r.rewrite(key, 0, key.length, 0, true, 0)).isTrue();
        // 501, the key frame's last packet, is lost.
        byte[] dropped = packet(1000, 502, 12000, true, 6, true, 1, 1, false, true);
        r.onDropped(dropped, 0, dropped.length, 0);     // a TID 1 frame the leg does not take
        byte[] next = packet(1000, 503, 15000, true, 7, true, 2, 0, false, true);
        assertThat(r.rewrite(next, 0, next.length, 0, false, 0)).isTrue();
        assertThat(Bytes.readUint16(next, 2)).isEqualTo(102);
        byte[] repaired = packet(1000, 501, 9000, true, 5, true, 1, 0, false, false);
        assertThat(r.rewrite(repaired, 0, repaired.length, 0, false, 0)).isTrue();
        assertThat(Bytes.readUint16(repaired, 2)).isEqualTo(101);
        assertThat(((repaired[14] & 0x7F) << 8) | (repaired[15] & 0xFF)).as("picture id").isEqualTo(5);
        assertThat(r.stalePackets()).isZero();
    }

    @Test
    void dropsOnOtherLayersDoNotMoveTheOutput() {
        SimulcastRewriter r = new SimulcastRewriter(LEG, 100, 0, 90000);
        byte[] a = packet(1000, 500, 9000, true, 5, true, 1, 0, true, true);
        assertThat(r.rewrite(a, 0, a.length, 0, true, 0)).isTrue();
        for (int i = 0; i < 5; i++) {
            byte[] other = packet(2000, 7000 + i, 1, true, 70 + i, true, 9, 0, false, true);
            r.onDropped(other, 0, other.length, 1);
        }
        byte[] b = packet(1000, 501, 12000, true, 6, true, 2, 0, false, true);
        assertThat(r.rewrite(b, 0, b.length, 0, false, 0)).isTrue();
        assertThat(Bytes.readUint16(b, 2)).isEqualTo(101);
        assertThat(b[14] & 0x7F).isZero();
        assertThat(b[15] & 0xFF).isEqualTo(6);
    }

    /** Pause and resume on one layer: the resume re-anchors, the subscriber sees no gap. */
    @ParameterizedTest(name = "{0}-bit picture ids")
    @ValueSource(ints = {7, 15})
    void resumeOnTheSameLayerReanchors(int bits) {
        SimulcastHarness h = new SimulcastHarness(new SimulcastSource(42, bits == 15), 1, 0, true);
        h.selector.setTarget(0, 2);
        for (int i = 0; i < 30; i++) {
            h.step();
        }
        h.selector.pause();
        for (int i = 0; i < 30; i++) {
            h.step();
        }
        h.selector.setTarget(0, 2);
        for (int i = 0; i < 30; i++) {
            h.step();
        }
        assertThat(h.selector.currentSpatial()).isZero();
        assertThat(h.receiver.switches).isEqualTo(2);
        assertThat(h.rewriter.anchors()).isEqualTo(2);
        assertThat(h.receiver.decodedFrames).isGreaterThan(20);
    }
}
