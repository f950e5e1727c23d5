package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.router.RouterHarness.await;
import static org.medibridge.router.RouterHarness.ext;
import static org.medibridge.router.RouterHarness.payloadOf;
import static org.medibridge.router.RouterHarness.rtp;
import static org.medibridge.router.RouterHarness.view;
import static org.medibridge.router.RouterHarness.vp8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.router.RouterHarness.Peer;
import org.medibridge.rtcp.GenericNack;
import org.medibridge.rtcp.RtcpCompoundIterator;
import org.medibridge.rtcp.RtcpPacketType;
import org.medibridge.rtcp.TransportCcFeedback;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;

/**
 * Loss repair on the publisher leg through a real worker: a gap becomes a Generic NACK to the
 * publisher (on the worker's tick), the publisher's RTX answer (RFC 4588) is decoded and reaches
 * the subscriber as the original packet with the leg's sequence number for it; probes on the RTX
 * stream are dropped but still acknowledged in transport-wide feedback.
 */
class LossRepairRouterTest {
    static final long VIDEO_SSRC = 0x22222222L;
    static final long RTX_SSRC = 0x33333333L;
    static final int VP8_PT = 96;
    static final int RTX_PT = 97;
    static final long LEG_SSRC = 0xB0000001L;

    private RouterHarness h;
    private MediaRoom room;
    private Peer pub;
    private Peer sub;
    private IncomingStream video;
    private OutgoingStream leg;
    private int pictureId = 1;
    private long ts = 9000;

    @BeforeAll
    static void initializeSrtp() {
        SrtpCrypto.initialize();
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.flush();
            h.close();
            assertThat(h.pool.outstanding()).as("buffers outstanding").isZero();
        }
    }

    private void plainVideo(boolean nack) {
        h = new RouterHarness("repair-test");
        room = h.room("room");
        pub = h.peer(room, "pub", MediaEndpoint.Role.PUBLISHER, RouterTest.PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        sub = h.peer(room, "sub", MediaEndpoint.Role.SUBSCRIBER, RouterTest.SUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        video = h.onWorker(() -> room.addIncomingStream(pub.ep, "v", MediaKind.VIDEO, VIDEO_SSRC, VP8_PT, 90000));
        h.run(() -> room.setRepair(video, nack, RTX_SSRC, RTX_PT));
        leg = h.onWorker(() -> room.subscribe(sub.ep, video, LEG_SSRC, 100));
    }

    /** Video packets {@code from..to}, one frame each (a key frame first), except those in {@code lost}. */
    private List<byte[]> sendVideo(int from, int to, int... lost) {
        List<byte[]> all = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            byte[] p = rtp(VP8_PT, seq, ts, VIDEO_SSRC, true, vp8(true, seq == from && from == 100, pictureId++, 200, seq),
                    ext(3, seq >> 8, seq));
            ts += 3000;
            all.add(p);
            int s = seq;
            if (Arrays.stream(lost).noneMatch(l -> l == s)) {
                pub.sendRtp(p);
            }
        }
        h.flush();
        return all;
    }

    /** RFC 4588 §4: the original's header on the RTX SSRC/PT/sequence, then OSN, then the original payload. */
    static byte[] rtx(byte[] original, int rtxSeq, long rtxSsrc, byte[]... extensions) {
        RtpPacket o = view(original);
        byte[] payload = payloadOf(original);
        byte[] withOsn = new byte[2 + payload.length];
        Bytes.writeUint16(withOsn, 0, o.sequenceNumber());
        System.arraycopy(payload, 0, withOsn, 2, payload.length);
        return rtp(RTX_PT, rtxSeq, o.timestamp(), rtxSsrc, o.marker(), withOsn, extensions);
    }

    /** Padding only (RFC 3550 §5.1): what Chrome sends on the RTX stream to probe. */
    static byte[] rtxPadding(int rtxSeq, long rtxSsrc, int transportSeq) {
        byte[] p = rtp(RTX_PT, rtxSeq, 0, rtxSsrc, false, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12},
                ext(3, transportSeq >> 8, transportSeq));
        p[0] |= 0x20;
        return p;
    }

    /** Sequence numbers NACKed to the publisher about {@code mediaSsrc}, in order. */
    static List<Integer> nackedSeqs(Peer pub, long mediaSsrc) {
        pub.drain();
        List<Integer> out = new ArrayList<>();
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        GenericNack nack = new GenericNack();
        int[] lost = new int[17];
        for (byte[] c : new ArrayList<>(pub.rtcp)) {
            it.reset(c, 0, c.length);
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.RTPFB && it.fmt() == GenericNack.FMT
                        && nack.wrap(c, it.packetOffset(), it.packetLength()) && nack.mediaSsrc() == mediaSsrc) {
                    for (int i = 0; i < nack.fciCount(); i++) {
                        int n = GenericNack.expand(nack.pid(i), nack.blp(i), lost, 0);
                        for (int j = 0; j < n; j++) {
                            out.add(lost[j]);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aGapIsNackedAndTheRtxAnswerReachesTheSubscriberInPlace() {
        plainVideo(true);
        List<byte[]> sent = sendVideo(100, 110, 104, 105);
        await("a NACK for 104 and 105", () -> nackedSeqs(pub, VIDEO_SSRC).containsAll(List.of(104, 105)));
        assertThat(nackedSeqs(pub, VIDEO_SSRC).subList(0, 2)).containsExactly(104, 105);

        pub.sendRtp(rtx(sent.get(5), 1, RTX_SSRC, ext(3, 0, 200)));  // 105 first: reordered repairs are fine
        pub.sendRtp(rtx(sent.get(4), 2, RTX_SSRC, ext(3, 0, 201)));
        h.flush();

        List<byte[]> got = sub.rtpOf(LEG_SSRC);
        assertThat(got).hasSize(11);
        int first = view(got.get(0)).sequenceNumber();
        for (byte[] g : got) {
            int in = 100 + ((view(g).sequenceNumber() - first) & 0xFFFF);
            assertThat(payloadOf(g)).as("leg seq %d carries publisher seq %d", view(g).sequenceNumber(), in)
                    .isEqualTo(payloadOf(sent.get(in - 100)));
            assertThat(view(g).payloadType()).isEqualTo(100);
            assertThat(view(g).ssrc()).isEqualTo(LEG_SSRC);
        }
        // The repairs went out last, in the hole their loss had left.
        assertThat(view(got.get(9)).sequenceNumber()).isEqualTo((first + 5) & 0xFFFF);
        assertThat(view(got.get(10)).sequenceNumber()).isEqualTo((first + 4) & 0xFFFF);
        h.run(() -> {
            assertThat(video.recovered()).isEqualTo(2);
            assertThat(video.stats.cumulativeLost()).as("repaired packets are received").isZero();
        });
        assertThat(video.nacksSent()).isGreaterThanOrEqualTo(2);
        assertThat(pub.ep.stats().nacksSent()).isEqualTo(video.nacksSent());
        assertThat(pub.drops(DropReason.RTX_REDUNDANT)).isZero();
    }

    @Test
    void aRepeatedRepairIsDroppedAsRedundant() {
        plainVideo(true);
        List<byte[]> sent = sendVideo(100, 103, 102);
        await("a NACK", () -> !nackedSeqs(pub, VIDEO_SSRC).isEmpty());
        pub.sendRtp(rtx(sent.get(2), 10, RTX_SSRC));
        pub.sendRtp(rtx(sent.get(2), 11, RTX_SSRC));      // answered twice
        pub.sendRtp(rtx(sent.get(1), 12, RTX_SSRC));      // never lost: a redundant-payload probe
        h.flush();
        assertThat(sub.rtpOf(LEG_SSRC)).hasSize(4);
        assertThat(pub.drops(DropReason.RTX_REDUNDANT)).isEqualTo(2);
        assertThat(video.rtxRedundant()).isEqualTo(2);
    }

    @Test
    void paddingOnTheRtxStreamIsDroppedButAcknowledged() {
        plainVideo(true);
        sendVideo(100, 101);
        for (int i = 0; i < 5; i++) {
            pub.sendRtp(rtxPadding(i, RTX_SSRC, 300 + i));
        }
        h.flush();
        assertThat(pub.drops(DropReason.RTX_PADDING)).isEqualTo(5);
        assertThat(video.rtxPadding()).isEqualTo(5);
        assertThat(sub.rtpOf(LEG_SSRC)).hasSize(2);
        // The transport-wide feedback reports the probes as received.
        await("transport-cc feedback covering 300..304", () -> received(pub).containsAll(List.of(300, 301, 302, 303, 304)));
    }

    @Test
    void withoutNackNegotiatedNothingIsRequested() {
        plainVideo(false);
        sendVideo(100, 110, 103);
        // A receiver report due 100 ms from now proves the ticks in between ran: with nack on,
        // one of them would have carried the NACK (due 5 ms after the gap).
        int reportsBefore = h.onWorker(() -> {
            pub.ep.nextReportNanos = System.nanoTime() + 100_000_000L;
            return receiverReports(pub);
        });
        await("a receiver report about the video", () -> receiverReports(pub) > reportsBefore);
        assertThat(nackedSeqs(pub, VIDEO_SSRC)).isEmpty();
        assertThat(video.nacksSent()).isZero();
    }

    @Test
    void anRtxPacketOfAnUnknownStreamIsNotMedia() {
        plainVideo(true);
        sendVideo(100, 101);
        pub.sendRtp(rtp(RTX_PT, 1, 0, 0x44444444L, false, new byte[] {0, 100, 1, 2}));
        pub.sendRtp(rtp(VP8_PT, 1, 0, RTX_SSRC, false, new byte[] {0, 100, 1, 2}));  // RTX SSRC, media PT
        h.flush();
        assertThat(pub.drops(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
        assertThat(pub.drops(DropReason.UNKNOWN_PAYLOAD_TYPE)).isEqualTo(1);
        assertThat(sub.rtpOf(LEG_SSRC)).hasSize(2);
    }

    /**
     * Simulcast: each layer's RTX SSRC is learnt from the repaired-rtp-stream-id of its first RTX
     * packet; the NACK names the layer's SSRC; the repair of the layer being sent reaches the
     * subscriber with the leg's number for it, a repair of another layer goes nowhere.
     */
    @Test
    void simulcastLayersAreRepairedThroughTheirLearntRtxStreams() {
        h = new RouterHarness("repair-simulcast");
        room = h.room("room");
        pub = h.peer(room, "pub", MediaEndpoint.Role.PUBLISHER, RouterTest.PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        sub = h.peer(room, "sub", MediaEndpoint.Role.SUBSCRIBER, RouterTest.SUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        SimulcastSource source = h.onWorker(() -> {
            SimulcastSource s = room.addSimulcastSource(pub.ep, "v", MediaKind.VIDEO, VP8_PT, 90000, List.of("q", "f"));
            room.setRepair(s, true, RTX_PT);
            return s;
        });
        OutgoingStream simLeg = h.onWorker(() -> room.subscribe(sub.ep, source, LEG_SSRC, 100));
        long[] ssrc = {0x51000001L, 0x51000002L};
        long[] rtxSsrc = {0x61000001L, 0x61000002L};
        char[] rid = {'q', 'f'};
        List<List<byte[]>> sent = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            for (int layer = 0; layer < 2; layer++) {
                byte[] p = rtp(VP8_PT, 1000 * (layer + 1) + i, 3000L * i, ssrc[layer], true,
                        vp8(true, i == 0, i + 1, 100, 0x10 * (layer + 1) + i), ext(10, rid[layer]));
                sent.get(layer).add(p);
                if (i != 5) { // packet 5 of both layers is lost
                    pub.sendRtp(p);
                }
            }
        }
        h.flush();
        await("NACKs for both layers", () -> nackedSeqs(pub, ssrc[0]).contains(1005) && nackedSeqs(pub, ssrc[1]).contains(2005));
        // The leg starts on q's key frame, moves to f's (the target), then gets f without packet 5.
        List<byte[]> before = sub.rtpOf(LEG_SSRC);
        assertThat(before).hasSize(8);
        assertThat(vp8Data(before.get(7))).isEqualTo(vp8Data(sent.get(1).get(7)));

        // The RTX streams announce the layer they repair by rid (RFC 8852 §3).
        pub.sendRtp(rtx(sent.get(0).get(5), 1, rtxSsrc[0], ext(11, 'q')));
        pub.sendRtp(rtx(sent.get(1).get(5), 1, rtxSsrc[1], ext(11, 'f')));
        h.flush();

        List<byte[]> got = sub.rtpOf(LEG_SSRC);
        assertThat(got).as("only the layer being sent takes its repair").hasSize(9);
        byte[] repaired = got.get(8);
        assertThat(vp8Data(repaired)).isEqualTo(vp8Data(sent.get(1).get(5)));
        // f4 went out as before[5], f6 as before[6]: the repair fills the number between them.
        assertThat(view(before.get(6)).sequenceNumber()).isEqualTo((view(before.get(5)).sequenceNumber() + 2) & 0xFFFF);
        assertThat(view(repaired).sequenceNumber()).isEqualTo((view(before.get(5)).sequenceNumber() + 1) & 0xFFFF);
        assertThat(pictureId(repaired)).isEqualTo((pictureId(before.get(5)) + 1) & 0x7FFF);
        h.run(() -> {
            assertThat(source.layer(0).rtxSsrc()).isEqualTo(rtxSsrc[0]);
            assertThat(source.layer(1).rtxSsrc()).isEqualTo(rtxSsrc[1]);
            assertThat(source.layer(0).recovered()).isEqualTo(1);
            assertThat(source.layer(1).recovered()).isEqualTo(1);
        });
        assertThat(simLeg.simulcastRewriter.stalePackets()).isZero();

        // An RTX packet for a rid whose layer never sent anything: not learnt, counted.
        h.run(() -> room.setRepair(source, true, RTX_PT));
        pub.sendRtp(rtx(sent.get(1).get(5), 2, 0x61000009L, ext(11, 'h')));
        h.flush();
        assertThat(pub.drops(DropReason.RTX_UNKNOWN)).isEqualTo(1);
    }

    /** The payload after the 4-byte VP8 descriptor (whose picture id a simulcast leg rewrites). */
    static byte[] vp8Data(byte[] rtp) {
        byte[] p = payloadOf(rtp);
        return Arrays.copyOfRange(p, 4, p.length);
    }

    static int pictureId(byte[] rtp) {
        byte[] p = payloadOf(rtp);
        return ((p[2] & 0x7F) << 8) | (p[3] & 0xFF);
    }

    /** Receiver reports with a report block sent to the publisher so far. */
    static int receiverReports(Peer pub) {
        pub.drain();
        int n = 0;
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        for (byte[] c : new ArrayList<>(pub.rtcp)) {
            it.reset(c, 0, c.length);
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.RR && org.medibridge.rtcp.RtcpHeader.count(c, it.packetOffset()) > 0) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Transport-wide sequence numbers the publisher's feedback so far reports as received. */
    static List<Integer> received(Peer pub) {
        pub.drain();
        List<Integer> out = new ArrayList<>();
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        TransportCcFeedback fb = new TransportCcFeedback();
        for (byte[] c : new ArrayList<>(pub.rtcp)) {
            it.reset(c, 0, c.length);
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.RTPFB && it.fmt() == TransportCcFeedback.FMT
                        && fb.wrap(c, it.packetOffset(), it.packetLength())) {
                    fb.forEach((seq, received, deltaMicros) -> {
                        if (received) {
                            out.add(seq);
                        }
                    });
                }
            }
        }
        return out;
    }
}
