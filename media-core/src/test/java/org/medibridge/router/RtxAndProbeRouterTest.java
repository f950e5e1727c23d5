package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.router.RouterHarness.await;
import static org.medibridge.router.RouterHarness.ext;
import static org.medibridge.router.RouterHarness.payloadOf;
import static org.medibridge.router.RouterHarness.rtp;
import static org.medibridge.router.RouterHarness.view;
import static org.medibridge.router.RouterHarness.vp8;
import static org.medibridge.router.RouterTest.PUB_IDS;
import static org.medibridge.router.RouterTest.SUB_IDS;
import static org.medibridge.router.RouterTest.elements;
import static org.medibridge.router.RouterTest.nack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.bwe.PacketResult;
import org.medibridge.router.RouterHarness.Peer;
import org.medibridge.rtp.AbsSendTime;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;

/**
 * Subscriber legs with RTX (RFC 4588): NACKs answered on the RTX stream, and probe clusters of
 * padding on it, on a real {@link MediaWorker} whose ticks and pacing timer run by themselves.
 */
class RtxAndProbeRouterTest {
    static final long VIDEO_SSRC = 0x22222222L;
    static final int VIDEO_PT = 96;
    static final long LEG_SSRC = 0xB0000001L;
    static final long RTX_SSRC = 0xB0000002L;
    static final int SUB_VIDEO_PT = 100;
    static final int SUB_RTX_PT = 101;

    private final List<RouterHarness> harnesses = new ArrayList<>();
    private RouterHarness h;
    private MediaRoom room;
    private Peer pub;
    private Peer sub;
    private IncomingStream video;
    private int seq = 500;
    private long ts = 9000;
    private int pictureId = 1;

    @BeforeAll
    static void initializeSrtp() {
        SrtpCrypto.initialize();
    }

    @AfterEach
    void nothingLeaks() {
        for (RouterHarness x : harnesses) {
            x.flush();
            x.close();
            assertThat(x.pool.outstanding()).isZero();
        }
    }

    private OutgoingStream setUp(Rtx rtx) {
        h = new RouterHarness("rtx-test-" + harnesses.size());
        harnesses.add(h);
        room = h.room("room");
        pub = h.peer(room, "pub", MediaEndpoint.Role.PUBLISHER, PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        sub = h.peer(room, "sub", MediaEndpoint.Role.SUBSCRIBER, SUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        video = h.onWorker(() -> room.addIncomingStream(pub.ep, "v", MediaKind.VIDEO, VIDEO_SSRC, VIDEO_PT, 90000));
        return h.onWorker(() -> room.subscribe(sub.ep, video, LEG_SSRC, SUB_VIDEO_PT, rtx));
    }

    /** One frame; every packet carries abs-send-time and transport-cc, as Chromium's do. */
    private void sendFrame(boolean key, int packets) {
        for (int i = 0; i < packets; i++) {
            byte[] payload = vp8(i == 0, key, pictureId, 200 + i, seq);
            pub.sendRtp(rtp(VIDEO_PT, seq++, ts, VIDEO_SSRC, i == packets - 1, payload,
                    ext(PUB_IDS.absSendTime(), 0, 0, 0), ext(PUB_IDS.transportCc(), 0, 0)));
        }
        pictureId++;
        ts += 3000;
        h.flush();
    }

    private static boolean isProbe(byte[] p) {
        RtpPacket v = view(p);
        return v.hasPadding() && v.payloadLength() == 0;
    }

    private static int transportSeq(byte[] p) {
        return Bytes.readUint16(elements(p).get(SUB_IDS.transportCc()), 0);
    }

    @Test
    void aNackIsAnsweredOnTheRtxStreamWithTheOriginalSequenceNumberInFront() {
        OutgoingStream leg = setUp(Rtx.of(RTX_SSRC, SUB_RTX_PT));
        sendFrame(true, 4);
        sendFrame(false, 3);
        List<byte[]> media = sub.rtpOf(LEG_SSRC);
        assertThat(media).hasSize(7);
        int highestTcc = media.stream().mapToInt(RtxAndProbeRouterTest::transportSeq).max().orElseThrow();

        int lostA = (leg.firstSequence + 2) & 0xFFFF;
        int lostB = (leg.firstSequence + 5) & 0xFFFF;
        sub.sendRtcp(nack(LEG_SSRC, lostA, lostB));
        h.flush();

        List<byte[]> rtx = sub.rtpOf(RTX_SSRC).stream().filter(p -> !isProbe(p)).toList();
        assertThat(rtx).hasSize(2);
        int[] lost = {lostA, lostB};
        for (int i = 0; i < 2; i++) {
            byte[] r = rtx.get(i);
            int osn = lost[i];
            byte[] original = media.stream().filter(p -> view(p).sequenceNumber() == osn).findFirst().orElseThrow();
            RtpPacket v = view(r);
            assertThat(v.ssrc()).isEqualTo(RTX_SSRC);
            assertThat(v.payloadType()).isEqualTo(SUB_RTX_PT);
            assertThat(v.timestamp()).isEqualTo(view(original).timestamp());
            assertThat(v.marker()).isEqualTo(view(original).marker());
            byte[] payload = payloadOf(r);
            assertThat(Bytes.readUint16(payload, 0)).as("OSN").isEqualTo(lost[i]);
            assertThat(Arrays.copyOfRange(payload, 2, payload.length)).isEqualTo(payloadOf(original));
            // A new packet on the wire: a transport-wide sequence number of its own, recorded as sent.
            assertThat(transportSeq(r)).isGreaterThan(highestTcc);
            int tcc = transportSeq(r);
            assertThat(h.onWorker(() -> sub.ep.sentHistory.probeClusterOf(tcc))).isEqualTo(PacketResult.NOT_PROBE);
            assertThat(elements(r)).containsKey(SUB_IDS.absSendTime());
        }
        // RTX sequence numbers are the RTX stream's own and continuous (probes share them).
        List<Integer> rtxSeqs = sub.rtpOf(RTX_SSRC).stream().map(p -> view(p).sequenceNumber()).toList();
        for (int i = 1; i < rtxSeqs.size(); i++) {
            assertThat(rtxSeqs.get(i)).isEqualTo((rtxSeqs.get(i - 1) + 1) & 0xFFFF);
        }
        assertThat(leg.retransmissions).isEqualTo(2);
        assertThat(sub.ep.stats().rtxSent()).isEqualTo(2);
        assertThat(sub.undecryptable).isZero();
    }

    @Test
    void withoutRtxARetransmissionIsTheOriginalPacketWithAFreshTransportSequence() {
        OutgoingStream leg = setUp(Rtx.NONE);
        sendFrame(true, 3);
        int lost = (leg.firstSequence + 1) & 0xFFFF;
        sub.sendRtcp(nack(LEG_SSRC, lost));
        h.flush();
        // Compared encrypted: the simulated browser already has this sequence number, so its SRTP
        // replay check would reject the copy (a real one NACKs only what it never got). The RTP
        // header, extensions included, is in the clear (RFC 3711 §3.1).
        List<byte[]> sent = sub.rtpDatagrams();
        assertThat(sent).hasSize(4);
        byte[] again = sent.get(3);
        assertThat(Bytes.readUint32(again, 8)).isEqualTo(LEG_SSRC);
        assertThat(Bytes.readUint16(again, 2)).isEqualTo(lost);
        assertThat(transportSeq(sent.get(1))).isEqualTo(1);
        assertThat(transportSeq(again)).as("a fresh transport-wide sequence number").isEqualTo(3);
        assertThat(Arrays.copyOfRange(again, 24, again.length))
                .as("same encrypted payload and tag: same packet index, same plaintext payload")
                .isNotEqualTo(Arrays.copyOfRange(sent.get(2), 24, sent.get(2).length));
        assertThat(sub.ep.stats().rtxSent()).isZero();
    }

    @Test
    void theEstimatorsProbesGoOutAsPacedPaddingOnTheRtxStreamMarkedWithTheirCluster() {
        setUp(Rtx.of(RTX_SSRC, SUB_RTX_PT));
        sendFrame(true, 2);
        // The worker's tick asks the estimator; its first probe (3 x 2.5 Mbit/s) is ~52 packets.
        await("a whole probe cluster", () -> sub.ep.stats().probePacketsSent() >= 20
                && !h.onWorker(() -> sub.ep.prober.cluster.active()));
        h.flush();

        List<byte[]> probes = sub.rtpOf(RTX_SSRC).stream().filter(RtxAndProbeRouterTest::isProbe).toList();
        assertThat(probes).hasSizeGreaterThanOrEqualTo(org.medibridge.bwe.ProbeController.CLUSTER_MIN_PACKETS);
        List<Integer> clusters = new ArrayList<>();
        for (byte[] p : probes) {
            RtpPacket v = view(p);
            assertThat(v.payloadType()).isEqualTo(SUB_RTX_PT);
            assertThat(v.paddingLength()).isEqualTo(ProbePacer.PADDING_BYTES);
            assertThat(p.length).isEqualTo(RtxAndProbeRouterTest.probeLength());
            int tcc = transportSeq(p);
            int cluster = h.onWorker(() -> sub.ep.sentHistory.probeClusterOf(tcc));
            assertThat(cluster).as("recorded as probe").isGreaterThanOrEqualTo(0);
            clusters.add(cluster);
        }
        // The first cluster: all its packets share one id, and they were paced, not burst:
        // first-to-last send times (abs-send-time, 3.8 µs units) span the cluster duration.
        int first = clusters.get(0);
        List<byte[]> firstCluster = new ArrayList<>();
        for (int i = 0; i < probes.size() && clusters.get(i) == first; i++) {
            firstCluster.add(probes.get(i));
        }
        assertThat(firstCluster.size()).isEqualTo(h.onWorker(() -> org.medibridge.bwe.ProbeCluster.packetCount(
                7_500_000, RtxAndProbeRouterTest.probeLength())));
        int a = AbsSendTime.read(elements(firstCluster.get(0)).get(SUB_IDS.absSendTime()), 0);
        int b = AbsSendTime.read(elements(firstCluster.get(firstCluster.size() - 1)).get(SUB_IDS.absSendTime()), 0);
        double spanMs = ((b - a) & 0xFFFFFF) * 1000.0 / (1 << 18);
        assertThat(spanMs).isGreaterThanOrEqualTo(14.5);
        assertThat(sub.ep.stats().probeClustersSent()).isPositive();
        assertThat(sub.undecryptable).isZero();
        assertThat(sub.drops(DropReason.SUBSCRIBER_NOT_READY)).isZero();
    }

    /**
     * The subscriber acknowledges what arrived (transport-cc feedback, arrival = when the sink got
     * it): the estimator measures the probe cluster from it and takes the result as its estimate.
     */
    @Test
    void theSubscribersFeedbackOnAProbeClusterSetsTheEstimate() {
        setUp(Rtx.of(RTX_SSRC, SUB_RTX_PT));
        sendFrame(true, 2);
        await("a whole probe cluster", () -> sub.ep.stats().probePacketsSent() >= 20
                && !h.onWorker(() -> sub.ep.prober.cluster.active()));
        h.flush();
        assertThat(sub.ep.probeResults()).as("no feedback yet, no result").isZero();
        // The estimator closes a cluster once feedback reports a packet sent well after it
        // (ProbeBitrateEstimator.CLUSTER_GAP_NANOS): media continues, as it would in a call.
        sleepMillis(150);
        sendFrame(false, 1);

        org.medibridge.bwe.TransportFeedbackGenerator browser = new org.medibridge.bwe.TransportFeedbackGenerator();
        sub.drain();
        List<byte[]> rtpPackets;
        List<Long> arrivals;
        synchronized (sub) {
            rtpPackets = new ArrayList<>(sub.rtp);
            arrivals = new ArrayList<>(sub.rtpArrivalNanos);
        }
        for (int i = 0; i < rtpPackets.size(); i++) {
            browser.onPacketReceived(transportSeq(rtpPackets.get(i)), arrivals.get(i));
        }
        byte[] buf = new byte[1500];
        int len;
        while ((len = browser.buildFeedback(buf, 0, RouterTest.BROWSER_RTCP_SSRC, LEG_SSRC, System.nanoTime())) > 0) {
            sub.sendRtcp(Arrays.copyOf(buf, len));
        }
        h.flush();

        long results = sub.ep.probeResults();
        long measured = sub.ep.lastProbeResultBps();
        long estimate = h.onWorker(() -> sub.ep.estimatedBitrateBps());
        System.out.printf("probe feedback: %d result(s), last %d kbit/s, estimate %d kbit/s%n",
                results, measured / 1000, estimate / 1000);
        assertThat(results).as("the cluster was measured from the feedback").isGreaterThanOrEqualTo(1);
        assertThat(measured).isPositive();
        // A result is the estimate's new value (AIMD jumps to it); the loss and REMB caps are not involved here.
        assertThat(estimate).isGreaterThanOrEqualTo(Math.min(measured, org.medibridge.bwe.SendSideBandwidthEstimator.DEFAULT_MAX_BPS) * 9 / 10);
    }

    @Test
    void withoutRtxNothingProbesAndTheEstimatorKeepsItsProbeForLater() {
        setUp(Rtx.NONE);
        sendFrame(true, 2);
        long now = System.nanoTime();
        h.run(() -> ProbePacer.onTick(sub.ep, now));
        assertThat(h.onWorker(() -> sub.ep.prober.cluster.active())).isFalse();
        assertThat(sub.ep.stats().probePacketsSent()).isZero();
        assertThat(h.onWorker(() -> sub.ep.estimator.probeBitrateBps(now)))
                .as("the initial probe was never taken: it is still pending").isPositive();
    }

    @Test
    void noProbesBeforeTheLegSendsMedia() {
        setUp(Rtx.of(RTX_SSRC, SUB_RTX_PT));
        long now = System.nanoTime();
        h.run(() -> ProbePacer.onTick(sub.ep, now));
        assertThat(h.onWorker(() -> sub.ep.prober.cluster.active())).isFalse();
        assertThat(sub.rtpOf(RTX_SSRC)).isEmpty();
    }

    @Test
    void aSimulcastLegAnswersNacksOnItsRtxStream() {
        h = new RouterHarness("rtx-simulcast");
        harnesses.add(h);
        room = h.room("room");
        pub = h.peer(room, "pub", MediaEndpoint.Role.PUBLISHER, PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        sub = h.peer(room, "sub", MediaEndpoint.Role.SUBSCRIBER, SUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        SimulcastSource source = h.onWorker(() -> room.addSimulcastSource(pub.ep, "v", MediaKind.VIDEO, VIDEO_PT, 90000,
                List.of("q", "h", "f")));
        OutgoingStream leg = h.onWorker(() -> room.subscribe(sub.ep, source, LEG_SSRC, SUB_VIDEO_PT,
                Rtx.of(RTX_SSRC, SUB_RTX_PT)));
        // The allocator (every 100 ms on the tick) pauses a leg whose layers it has not seen yet:
        // keyframes until it targets one, as a publisher answering the leg's PLIs would send.
        int[] seqs = {0, 1000, 2000};
        sendKeyFramesOnEveryLayerUntil("the leg starts", seqs, () -> !sub.rtpOf(LEG_SSRC).isEmpty());
        // A leg that started on a higher layer than the allocator then granted steps down at the
        // next low key frame, and does not resend meanwhile (RETRANSMIT_DURING_DOWN_SWITCH): send
        // key frames until it has settled.
        sendKeyFramesOnEveryLayerUntil("the leg settles", seqs, () -> !h.onWorker(() -> leg.selector().downSwitchPending()));
        List<byte[]> media = sub.rtpOf(LEG_SSRC);
        assertThat(media).hasSizeGreaterThanOrEqualTo(3);
        int lost = view(media.get(media.size() - 2)).sequenceNumber();
        sub.sendRtcp(nack(LEG_SSRC, lost));
        h.flush();
        List<byte[]> rtx = sub.rtpOf(RTX_SSRC).stream().filter(p -> !isProbe(p)).toList();
        assertThat(rtx).hasSize(1);
        assertThat(view(rtx.get(0)).payloadType()).isEqualTo(SUB_RTX_PT);
        byte[] payload = payloadOf(rtx.get(0));
        assertThat(Bytes.readUint16(payload, 0)).isEqualTo(lost);
        assertThat(Arrays.copyOfRange(payload, 2, payload.length)).isEqualTo(payloadOf(media.get(media.size() - 2)));
        assertThat(leg.retransmissions).isEqualTo(1);
    }

    /** One key frame of 3 packets on each of the q, h and f layers every 20 ms until {@code done}, within 5 s. */
    private void sendKeyFramesOnEveryLayerUntil(String what, int[] seqs, java.util.function.BooleanSupplier done) {
        char[] rids = {'q', 'h', 'f'};
        for (int tries = 0; !done.getAsBoolean(); tries++) {
            assertThat(tries).as(what + " within 5 s").isLessThan(250);
            for (int layer = 0; layer < 3; layer++) {
                for (int i = 0; i < 3; i++) {
                    pub.sendRtp(rtp(VIDEO_PT, seqs[layer]++, ts, 0x51000001L + layer, i == 2,
                            vp8(i == 0, true, pictureId, 80, i), ext(PUB_IDS.rtpStreamId(), rids[layer]),
                            ext(PUB_IDS.transportCc(), 0, 0)));
                }
            }
            pictureId++;
            ts += 3000;
            h.flush();
            sleepMillis(20);
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int probeLength() {
        return org.medibridge.rtp.RtxEncoder.paddingPacketLength(SUB_IDS.absSendTime(), SUB_IDS.transportCc(),
                ProbePacer.PADDING_BYTES);
    }
}
