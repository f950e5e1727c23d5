package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.router.RouterHarness.await;
import static org.medibridge.router.RouterHarness.ext;
import static org.medibridge.router.RouterHarness.opus;
import static org.medibridge.router.RouterHarness.payloadOf;
import static org.medibridge.router.RouterHarness.rtp;
import static org.medibridge.router.RouterHarness.view;
import static org.medibridge.router.RouterHarness.vp8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.router.RouterHarness.Peer;
import org.medibridge.rtcp.Fir;
import org.medibridge.rtcp.GenericNack;
import org.medibridge.rtcp.Pli;
import org.medibridge.rtcp.ReceiverReport;
import org.medibridge.rtcp.ReportBlock;
import org.medibridge.rtcp.RtcpCompoundIterator;
import org.medibridge.rtcp.RtcpHeader;
import org.medibridge.rtcp.RtcpPacketType;
import org.medibridge.rtcp.SenderReport;
import org.medibridge.rtp.AbsSendTime;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.HeaderExtensionCursor;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;

/**
 * The router end to end on a real {@link MediaWorker}: browsers simulated with their half of the
 * SRTP keys, datagrams in through {@link MediaWorker#submit}, datagrams out through the sinks.
 * No timing asserts except the keyframe-request throttle, whose lower bound is the contract.
 */
class RouterTest {
    static final HeaderExtensionIds PUB_IDS = new HeaderExtensionIds(4, 1, 2, 3, 10, 11);
    static final HeaderExtensionIds SUB_IDS = new HeaderExtensionIds(1, 5, 3, 7, 0, 0);
    static final long AUDIO_SSRC = 0x11111111L;
    static final long VIDEO_SSRC = 0x22222222L;
    static final int AUDIO_PT = 111;
    static final int VIDEO_PT = 96;
    static final int SUB_AUDIO_PT = 109;
    static final int SUB_VIDEO_PT = 100;
    static final long BROWSER_RTCP_SSRC = 0x5EB5C001L;

    private final List<RouterHarness> harnesses = new ArrayList<>();

    @BeforeAll
    static void initializeSrtp() {
        SrtpCrypto.initialize();
    }

    @AfterEach
    void nothingLeaks() {
        for (RouterHarness h : harnesses) {
            h.flush();
            h.close();
            assertThat(h.pool.outstanding()).as("buffers outstanding after close").isZero();
        }
    }

    /** A room with one publisher (audio + VP8 video) and {@code subscribers} subscribers of both. */
    final class World {
        final RouterHarness h;
        final MediaRoom room;
        final Peer pub;
        final IncomingStream audio;
        final IncomingStream video;
        final List<Peer> subs = new ArrayList<>();
        final List<OutgoingStream> audioLegs = new ArrayList<>();
        final List<OutgoingStream> videoLegs = new ArrayList<>();
        int audioSeq;
        int videoSeq;
        long audioTs = 0xFFFF0000L;  // wraps after a few dozen packets
        long videoTs = 12345;
        int pictureId = 1;

        World(RouterHarness h, String roomId, int subscribers, SrtpProfile profile, int firstSeq) {
            this.h = h;
            this.room = h.room(roomId);
            this.pub = h.peer(room, roomId + "-pub", MediaEndpoint.Role.PUBLISHER, PUB_IDS, profile);
            this.audio = h.onWorker(() -> room.addIncomingStream(pub.ep, "a", MediaKind.AUDIO, AUDIO_SSRC, AUDIO_PT, 48000));
            this.video = h.onWorker(() -> room.addIncomingStream(pub.ep, "v", MediaKind.VIDEO, VIDEO_SSRC, VIDEO_PT, 90000));
            this.audioSeq = firstSeq;
            this.videoSeq = firstSeq + 7;
            for (int i = 0; i < subscribers; i++) {
                Peer sub = h.peer(room, roomId + "-sub" + i, MediaEndpoint.Role.SUBSCRIBER, SUB_IDS, profile);
                subs.add(sub);
                long a = 0xA0000000L + i;
                long v = 0xB0000000L + i;
                audioLegs.add(h.onWorker(() -> room.subscribe(sub.ep, audio, a, SUB_AUDIO_PT)));
                videoLegs.add(h.onWorker(() -> room.subscribe(sub.ep, video, v, SUB_VIDEO_PT)));
            }
        }

        byte[] sendAudio(byte[]... extensions) {
            byte[] p = rtp(AUDIO_PT, audioSeq++, audioTs, AUDIO_SSRC, false, opus(40 + audioSeq % 7, audioSeq), extensions);
            audioTs = (audioTs + 960) & 0xFFFFFFFFL;
            pub.sendRtp(p);
            return p;
        }

        /** One video frame of {@code packets} packets; returns their plaintexts. */
        List<byte[]> sendFrame(boolean keyFrame, int packets, byte[]... extensions) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < packets; i++) {
                byte[] payload = vp8(i == 0, keyFrame, pictureId, 300 + 10 * i, videoSeq);
                byte[] p = rtp(VIDEO_PT, videoSeq++, videoTs, VIDEO_SSRC, i == packets - 1, payload, extensions);
                pub.sendRtp(p);
                sent.add(p);
            }
            pictureId++;
            videoTs = (videoTs + 3000) & 0xFFFFFFFFL;
            return sent;
        }

        /** Sets a throttle/report field on the worker; package-private state is the test hook. */
        void resetKeyframeThrottle() {
            h.run(() -> video.lastKeyframeRequestNanos = System.nanoTime() - 10 * IncomingStream.KEYFRAME_REQUEST_INTERVAL_NANOS);
        }

        void reportNow(Peer p) {
            h.run(() -> p.ep.nextReportNanos = System.nanoTime());
        }

        List<Long> plisToPublisher() {
            return pub.feedbackTimes(RtcpPacketType.PSFB, Pli.FMT, VIDEO_SSRC);
        }

        long totalDrops() {
            long n = pub.ep.stats().drops().total();
            for (Peer s : subs) {
                n += s.ep.stats().drops().total();
            }
            return n;
        }
    }

    World world(int subscribers) {
        return world(subscribers, SrtpProfile.AEAD_AES_128_GCM, 1000);
    }

    World world(int subscribers, SrtpProfile profile, int firstSeq) {
        RouterHarness h = new RouterHarness("router-test-" + harnesses.size());
        harnesses.add(h);
        return new World(h, "room", subscribers, profile, firstSeq);
    }

    // ------------------------------------------------------------------------------------------
    // Forwarding

    static Stream<Arguments> profilesAndFirstSequences() {
        return Stream.of(
                Arguments.of(SrtpProfile.AEAD_AES_128_GCM, 1000),
                Arguments.of(SrtpProfile.AEAD_AES_128_GCM, 65530),  // crosses the sequence number wrap
                Arguments.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 1000),
                Arguments.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 65530));
    }

    @ParameterizedTest(name = "{0}, publisher sequence from {1}")
    @MethodSource("profilesAndFirstSequences")
    void audioAndVideoReachEachSubscriberOnItsOwnLeg(SrtpProfile profile, int firstSeq) {
        World w = world(2, profile, firstSeq);
        List<byte[]> audioSent = new ArrayList<>();
        List<byte[]> videoSent = new ArrayList<>(w.sendFrame(true, 3));
        for (int i = 0; i < 20; i++) {
            audioSent.add(w.sendAudio());
            if (i % 5 == 4) {
                videoSent.addAll(w.sendFrame(false, 2));
            }
        }
        w.h.flush();

        for (int s = 0; s < 2; s++) {
            Peer sub = w.subs.get(s);
            assertLegCarries(sub.rtpOf(w.audioLegs.get(s).ssrc), w.audioLegs.get(s), SUB_AUDIO_PT, audioSent);
            assertLegCarries(sub.rtpOf(w.videoLegs.get(s).ssrc), w.videoLegs.get(s), SUB_VIDEO_PT, videoSent);
            assertThat(sub.undecryptable).isZero();
            assertThat(sub.ep.stats().rtpSent()).isEqualTo(audioSent.size() + videoSent.size());
        }
        assertThat(w.audioLegs.get(0).ssrc).isNotEqualTo(w.audioLegs.get(1).ssrc);
        assertThat(w.videoLegs.get(0).ssrc).isNotEqualTo(w.videoLegs.get(1).ssrc);
        assertThat(w.pub.ep.stats().rtpReceived()).isEqualTo(audioSent.size() + videoSent.size());
        assertThat(w.totalDrops()).isZero();
    }

    /** Leg SSRC and PT, continuous sequence numbers from the leg's start, constant timestamp offset, same payload. */
    static void assertLegCarries(List<byte[]> received, OutgoingStream leg, int pt, List<byte[]> sent) {
        assertThat(received).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            RtpPacket in = view(sent.get(i));
            RtpPacket out = view(received.get(i));
            assertThat(out.ssrc()).isEqualTo(leg.ssrc);
            assertThat(out.payloadType()).isEqualTo(pt);
            assertThat(out.sequenceNumber()).as("packet %d", i).isEqualTo((leg.firstSequence + i) & 0xFFFF);
            assertThat((out.timestamp() - in.timestamp()) & 0xFFFFFFFFL).isEqualTo(leg.timestampOffset);
            assertThat(out.marker()).isEqualTo(in.marker());
            assertThat(payloadOf(received.get(i))).isEqualTo(payloadOf(sent.get(i)));
        }
    }

    @Test
    void aLegKeepsForwardingPastHalfTheSequenceSpace() {
        // 40,000 packets: more than 32,768 after the leg's first packet, where a comparison with
        // the start sequence number in 16-bit serial arithmetic flips and would call every packet stale.
        World w = world(1, SrtpProfile.AEAD_AES_128_GCM, 500);
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            w.pub.sendRtp(rtp(AUDIO_PT, (500 + i) & 0xFFFF, i * 960L, AUDIO_SSRC, false, new byte[] {1, 2, 3, 4}));
            if (i % 4000 == 3999) {
                w.h.flush();  // stay well below the worker queue's capacity
            }
        }
        w.h.flush();
        Peer sub = w.subs.get(0);
        assertThat(sub.ep.stats().drops().snapshot()).isEmpty();
        List<byte[]> got = sub.rtpOf(w.audioLegs.get(0).ssrc);
        assertThat(got).hasSize(n);
        assertThat(view(got.get(n - 1)).sequenceNumber()).isEqualTo((w.audioLegs.get(0).firstSequence + n - 1) & 0xFFFF);
    }

    // ------------------------------------------------------------------------------------------
    // Keyframes

    @Test
    void videoLegStartsAtAKeyframeAndAsksForOne() {
        World w = world(1);
        Peer sub = w.subs.get(0);
        OutgoingStream leg = w.videoLegs.get(0);
        // subscribe() asks for a keyframe at once.
        await("first PLI", () -> w.plisToPublisher().size() == 1);

        List<byte[]> deltas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deltas.addAll(w.sendFrame(false, 2));
        }
        w.h.flush();
        assertThat(sub.rtpOf(leg.ssrc)).as("delta frames before the first keyframe").isEmpty();

        // The delta frames asked again; the throttle lets it through 300 ms after the first.
        await("second PLI", () -> w.plisToPublisher().size() == 2);
        List<Long> plis = w.plisToPublisher();
        assertThat(plis.get(1) - plis.get(0)).isGreaterThanOrEqualTo(250_000_000L);

        List<byte[]> sent = new ArrayList<>(w.sendFrame(true, 3));
        sent.addAll(w.sendFrame(false, 2));
        w.h.flush();
        assertLegCarries(sub.rtpOf(leg.ssrc), leg, SUB_VIDEO_PT, sent);
        assertThat(leg.waitingForKeyframe).isFalse();
    }

    @Test
    void aKeyframeSatisfiesPendingRequests() {
        World w = world(1);
        await("first PLI", () -> w.plisToPublisher().size() == 1);
        // A delta frame asks again (throttled: pending), then the keyframe arrives before the
        // throttle expires: no second keyframe should be requested.
        w.sendFrame(false, 1);
        w.sendFrame(true, 2);
        w.h.flush();
        assertThat(w.h.onWorker(() -> w.video.keyframeRequestPending)).isFalse();
        assertThat(w.subs.get(0).rtpOf(w.videoLegs.get(0).ssrc)).hasSize(2);
    }

    enum KeyframeRequest {
        PLI {
            int write(byte[] buf, int off, long mediaSsrc) {
                return Pli.write(buf, off, BROWSER_RTCP_SSRC, mediaSsrc);
            }
        },
        FIR {
            int write(byte[] buf, int off, long mediaSsrc) {
                // RFC 5104 §4.3.1.1: the header's media SSRC is unused (0); the FCI entry names the stream.
                return Fir.write(buf, off, BROWSER_RTCP_SSRC, mediaSsrc, 1);
            }
        };

        abstract int write(byte[] buf, int off, long mediaSsrc);
    }

    /** RFC 4585 §3.1: feedback travels in a compound that starts with a (here empty) receiver report. */
    static byte[] rtcp(KeyframeRequest kind, long mediaSsrc) {
        byte[] buf = new byte[256];
        int len = ReceiverReport.write(buf, 0, BROWSER_RTCP_SSRC);
        len += kind.write(buf, len, mediaSsrc);
        return Arrays.copyOf(buf, len);
    }

    /**
     * The publisher's browser hands transport-cc feedback to its estimator only when the feedback's
     * media SSRC is one it sends (libwebrtc's RTCPReceiver); with anything else (0 was a bug here)
     * its estimate decays by 20 % every 300 ms as if nothing arrived.
     */
    @Test
    void transportFeedbackToThePublisherReportsEveryPacketAndNamesOneOfItsSsrcs() {
        World w = world(0);
        int transportCcId = PUB_IDS.transportCc();
        for (int n = 0; n < 10; n++) {
            // every packet on the connection counts, also one on an SSRC the router does not know
            long ssrc = n == 4 ? 0x0BADF00DL : VIDEO_SSRC;
            w.pub.sendRtp(rtp(VIDEO_PT, 500 + n, 9000L * n, ssrc, false, vp8(true, n == 0, n, 200, n),
                    ext(transportCcId, 0x12, 0x30 + n)));
        }
        w.h.flush();
        await("transport-cc feedback to the publisher", () -> !w.pub.feedbackTimes(RtcpPacketType.RTPFB,
                org.medibridge.rtcp.TransportCcFeedback.FMT, VIDEO_SSRC).isEmpty());
        org.medibridge.rtcp.TransportCcFeedback fb = new org.medibridge.rtcp.TransportCcFeedback();
        int received = 0;
        int first = -1;
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        for (byte[] c : w.pub.drain().rtcp) {
            it.reset(c, 0, c.length);
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.RTPFB && it.fmt() == org.medibridge.rtcp.TransportCcFeedback.FMT) {
                    assertThat(fb.wrap(c, it.packetOffset(), it.packetLength())).isTrue();
                    assertThat(fb.mediaSsrc()).as("feedback media SSRC").isIn(VIDEO_SSRC, 0x0BADF00DL);
                    assertThat(fb.senderSsrc()).isEqualTo(w.pub.ep.rtcpSsrc());
                    first = first < 0 ? fb.baseSequenceNumber() : first;
                    received += fb.receivedCount();
                }
            }
        }
        assertThat(first).isEqualTo(0x1230);
        assertThat(received).as("packets reported received").isEqualTo(10);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(KeyframeRequest.class)
    void aSubscribersKeyframeRequestBecomesAPliToThePublisher(KeyframeRequest kind) {
        World w = world(2);
        await("PLI for the new legs", () -> w.plisToPublisher().size() == 1);
        w.sendFrame(true, 2);
        w.h.flush();
        w.resetKeyframeThrottle();  // white box: skip the 300 ms throttle rather than sleep

        Peer sub = w.subs.get(1);
        sub.sendRtcp(rtcp(kind, w.videoLegs.get(1).ssrc));
        await("PLI for the request", () -> w.plisToPublisher().size() == 2);

        assertThat(w.videoLegs.get(1).keyframeRequestsReceived).isEqualTo(1);
        assertThat(w.videoLegs.get(0).keyframeRequestsReceived).isZero();
        assertThat(sub.ep.stats().keyframeRequestsReceived()).isEqualTo(1);
        assertThat(w.pub.ep.stats().keyframeRequestsSent()).isEqualTo(2);
        assertThat(w.h.worker.keyframeRequestsSent()).as("the worker's total, for /metrics").isEqualTo(2);
        // Our PLI names the publisher's SSRC and comes from our RTCP SSRC on that connection.
        byte[] last = lastCompoundWith(w.pub, RtcpPacketType.PSFB);
        int pli = offsetOf(last, RtcpPacketType.PSFB);
        assertThat(Bytes.readUint32(last, pli + 4)).isEqualTo(w.pub.ep.rtcpSsrc());
        assertThat(Bytes.readUint32(last, pli + 8)).isEqualTo(VIDEO_SSRC);
        assertThat(w.totalDrops()).isZero();
    }

    @Test
    void keyframeRequestsAreThrottledHoweverManyAsk() {
        World w = world(3);
        await("first PLI", () -> w.plisToPublisher().size() == 1);
        long start = System.nanoTime();
        // Three subscribers ask every 10 ms for 700 ms, and their legs see only delta frames.
        while (System.nanoTime() - start < 700_000_000L) {
            for (int s = 0; s < 3; s++) {
                w.subs.get(s).sendRtcp(rtcp(s == 2 ? KeyframeRequest.FIR : KeyframeRequest.PLI, w.videoLegs.get(s).ssrc));
            }
            w.sendFrame(false, 1);
            sleep(10);
        }
        w.h.flush();
        long elapsed = System.nanoTime() - start;
        List<Long> plis = w.plisToPublisher();
        assertThat(plis).hasSizeGreaterThanOrEqualTo(2);
        assertThat(plis.size()).isLessThanOrEqualTo(2 + (int) (elapsed / IncomingStream.KEYFRAME_REQUEST_INTERVAL_NANOS));
        for (int i = 1; i < plis.size(); i++) {
            // The contract is >= 300 ms between requests; 50 ms of slack for when the sink ran.
            assertThat(plis.get(i) - plis.get(i - 1)).isGreaterThanOrEqualTo(250_000_000L);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Header extensions

    @Test
    void headerExtensionsAreTranslatedErasedAndStamped() {
        World w = world(2);
        long before = System.nanoTime();
        int absIn = 0xABCDEF;
        byte[][] exts = {
                ext(PUB_IDS.mid(), '0'),                                         // mid: erased
                ext(PUB_IDS.audioLevel(), 0x85),                                 // audio level: 1 -> 5
                ext(PUB_IDS.absSendTime(), absIn >> 16, absIn >> 8 & 0xFF, absIn & 0xFF),  // 2 -> 3, rewritten
                ext(PUB_IDS.transportCc(), 0x12, 0x34),                          // 3 -> 7, our sequence
                ext(PUB_IDS.rtpStreamId(), 'h')};                                // rid: erased
        List<byte[]> sent = new ArrayList<>(w.sendFrame(true, 2, exts));
        for (int i = 0; i < 4; i++) {
            sent.add(w.sendAudio(exts));
        }
        w.h.flush();
        long after = System.nanoTime();

        for (Peer sub : w.subs) {
            List<byte[]> got = sub.drain().rtp;
            assertThat(got).hasSize(sent.size());
            for (int i = 0; i < got.size(); i++) {
                byte[] out = got.get(i);
                Map<Integer, byte[]> elements = elements(out);
                assertThat(elements.keySet()).containsExactlyInAnyOrder(SUB_IDS.audioLevel(), SUB_IDS.absSendTime(), SUB_IDS.transportCc());
                assertThat(elements.get(SUB_IDS.audioLevel())).containsExactly(0x85);
                // transport-wide sequence: per subscriber connection, across its legs, from 0.
                assertThat(Bytes.readUint16(elements.get(SUB_IDS.transportCc()), 0)).isEqualTo(i);
                int abs = AbsSendTime.read(elements.get(SUB_IDS.absSendTime()), 0);
                int lo = AbsSendTime.fromNanos(before);
                assertThat((abs - lo) & 0xFFFFFF).isLessThanOrEqualTo((AbsSendTime.fromNanos(after) - lo) & 0xFFFFFF);
                // mid and rid are gone without moving the payload: their bytes are zero padding.
                byte[] in = sent.get(i);
                RtpPacket inView = view(in);
                int midAt = inView.extensionsDataOffset();  // mid is the first element (header + 1 byte)
                assertThat(Arrays.copyOfRange(out, midAt, midAt + 2)).containsOnly(0);
                assertThat(out.length).isEqualTo(in.length);
                assertThat(payloadOf(out)).isEqualTo(payloadOf(in));
            }
        }
    }

    /** id -> data of the RFC 8285 elements of {@code packet}. */
    static Map<Integer, byte[]> elements(byte[] packet) {
        Map<Integer, byte[]> m = new HashMap<>();
        HeaderExtensionCursor c = new HeaderExtensionCursor();
        assertThat(c.reset(view(packet))).isTrue();
        while (c.next()) {
            assertThat(m.put(c.id(), Arrays.copyOfRange(packet, c.dataOffset(), c.dataOffset() + c.dataLength())))
                    .as("duplicate id %d", c.id()).isNull();
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------
    // NACK

    static byte[] nack(long mediaSsrc, int... seqs) {
        byte[] buf = new byte[256];
        int len = ReceiverReport.write(buf, 0, BROWSER_RTCP_SSRC);
        len += GenericNack.write(buf, len, BROWSER_RTCP_SSRC, mediaSsrc, seqs, seqs.length);
        return Arrays.copyOf(buf, len);
    }

    @Test
    void aNackIsAnsweredFromTheCacheWithTheIdenticalPacket() {
        World w = world(2);
        w.sendFrame(true, 4);
        for (int i = 0; i < 5; i++) {
            w.sendFrame(false, 2);
        }
        w.h.flush();
        Peer sub = w.subs.get(0);
        OutgoingStream leg = w.videoLegs.get(0);
        List<byte[]> before = sub.rtpDatagrams();
        int first = leg.firstSequence;
        // The browser lost packets 3 and 5 of the leg (PID 3, BLP bit 1).
        sub.sendRtcp(nack(leg.ssrc, (first + 3) & 0xFFFF, (first + 5) & 0xFFFF));
        w.h.flush();

        List<byte[]> after = sub.rtpDatagrams();
        assertThat(after.size()).isEqualTo(before.size() + 2);
        assertThat(after.get(before.size())).isEqualTo(rtpDatagramWithSeq(before, leg.ssrc, sub, (first + 3) & 0xFFFF));
        assertThat(after.get(before.size() + 1)).isEqualTo(rtpDatagramWithSeq(before, leg.ssrc, sub, (first + 5) & 0xFFFF));
        assertThat(leg.nacksReceived).isEqualTo(2);
        assertThat(leg.retransmissions).isEqualTo(2);
        assertThat(sub.ep.stats().retransmissions()).isEqualTo(2);
        assertThat(leg.retransmissionMisses).isZero();
        assertThat(w.subs.get(1).rtpDatagrams().size()).as("the other subscriber").isEqualTo(before.size());
    }

    /** The datagram (still encrypted) among {@code datagrams} that carries {@code seq} on {@code ssrc}. */
    static byte[] rtpDatagramWithSeq(List<byte[]> datagrams, long ssrc, Peer sub, int seq) {
        for (byte[] d : datagrams) {  // RTP only (rtpDatagrams())
            // SRTP leaves the RTP header in the clear (RFC 3711 §3.1).
            if (Bytes.readUint32(d, 8) == ssrc && Bytes.readUint16(d, 2) == seq) {
                return d;
            }
        }
        throw new AssertionError("no datagram with seq " + seq);
    }

    @Test
    void aNackForAnUnknownOrTooOldPacketIsACountedMiss() {
        World w = world(1);
        Peer sub = w.subs.get(0);
        OutgoingStream leg = w.videoLegs.get(0);
        w.sendFrame(true, 1);
        for (int i = 0; i < OutgoingStream.VIDEO_CACHE_PACKETS + 20; i++) {
            w.sendFrame(false, 1);
            if (i % 200 == 0) {
                w.h.flush();
            }
        }
        w.h.flush();
        int count = sub.rtpDatagrams().size();
        int first = leg.firstSequence;
        sub.sendRtcp(nack(leg.ssrc,
                (first + 1) & 0xFFFF,                                     // overwritten: too old
                (first + OutgoingStream.VIDEO_CACHE_PACKETS + 100) & 0xFFFF));  // never sent
        sub.sendRtcp(nack(0xBADBADL, first));                              // not a leg: ignored
        w.h.flush();
        assertThat(sub.rtpDatagrams().size()).isEqualTo(count);
        assertThat(leg.nacksReceived).isEqualTo(2);
        assertThat(leg.retransmissionMisses).isEqualTo(2);
        assertThat(leg.retransmissions).isZero();

        // ...and the worker answers the next valid NACK and keeps forwarding.
        sub.sendRtcp(nack(leg.ssrc, (first + OutgoingStream.VIDEO_CACHE_PACKETS) & 0xFFFF));
        w.sendFrame(false, 1);
        w.h.flush();
        assertThat(sub.rtpDatagrams().size()).isEqualTo(count + 2);
        assertThat(leg.retransmissions).isEqualTo(1);
        assertThat(w.totalDrops()).isZero();
    }

    // ------------------------------------------------------------------------------------------
    // RTCP reports

    static Stream<Arguments> receptionCases() {
        return Stream.of(
                // name, sequence numbers received, extended highest, cumulative lost, fraction lost (1/256)
                Arguments.of("in order", seqs(1000, 1020), 1019L, 0, 0),
                Arguments.of("2 of 20 lost", without(seqs(1000, 1020), 1005, 1010), 1019L, 2, 2 * 256 / 20),
                Arguments.of("reordered", new int[] {1000, 1001, 1003, 1002, 1004}, 1004L, 0, 0),
                Arguments.of("across the wrap", seqs(65530, 65546), 65536L + 9, 0, 0),
                Arguments.of("lost across the wrap", without(seqs(65530, 65546), 65535, 65536), 65536L + 9, 2, 2 * 256 / 16));
    }

    static int[] seqs(int from, int to) {
        int[] s = new int[to - from];
        for (int i = 0; i < s.length; i++) {
            s[i] = (from + i) & 0xFFFF;
        }
        return s;
    }

    static int[] without(int[] seqs, int... drop) {
        return Arrays.stream(seqs).filter(s -> Arrays.stream(drop).noneMatch(d -> (d & 0xFFFF) == s)).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receptionCases")
    void receiverReportsTellThePublisherWhatArrived(String name, int[] seqs, long extHighest, int lost, int fraction) {
        World w = world(0);
        // The first report goes out on the first tick after SRTP is set: wait for it, so the
        // interval the forced report covers is exactly the packets below.
        await("the initial receiver report", () -> w.pub.drain().rtcp.stream().anyMatch(c -> hasType(c, RtcpPacketType.RR)));
        for (int s : seqs) {
            w.pub.sendRtp(rtp(AUDIO_PT, s, s * 960L, AUDIO_SSRC, false, opus(30, s)));
        }
        w.h.flush();
        w.reportNow(w.pub);
        await("a receiver report about the audio stream", () -> reportBlockFor(w.pub, AUDIO_SSRC) != null);

        ReportBlock b = reportBlockFor(w.pub, AUDIO_SSRC);
        assertThat(b.extendedHighestSequence()).isEqualTo(extHighest);
        assertThat(b.cumulativeLost()).isEqualTo(lost);
        assertThat(b.fractionLost()).isEqualTo(fraction);
        byte[] compound = lastCompoundWith(w.pub, RtcpPacketType.RR);
        assertThat(Bytes.readUint32(compound, 4)).as("RR sender SSRC").isEqualTo(w.pub.ep.rtcpSsrc());
        assertThat(offsetOf(compound, RtcpPacketType.SDES)).as("compound carries our CNAME").isPositive();
    }

    static boolean hasType(byte[] compound, int type) {
        return offsetOf(compound, type) >= 0;
    }

    static int offsetOf(byte[] compound, int type) {
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        assertThat(it.reset(compound, 0, compound.length)).isTrue();
        while (it.next()) {
            if (it.packetType() == type) {
                return it.packetOffset();
            }
        }
        return -1;
    }

    static byte[] lastCompoundWith(Peer peer, int type) {
        List<byte[]> all = peer.drain().rtcp;
        for (int i = all.size() - 1; i >= 0; i--) {
            if (hasType(all.get(i), type)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no RTCP of type " + type);
    }

    /** The report block about {@code ssrc} in the last RR that has one, or null. */
    static ReportBlock reportBlockFor(Peer peer, long ssrc) {
        List<byte[]> all = peer.drain().rtcp;
        ReceiverReport rr = new ReceiverReport();
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        ReportBlock found = null;
        for (byte[] c : all) {
            it.reset(c, 0, c.length);
            while (it.next()) {
                if (it.packetType() == RtcpPacketType.RR && rr.wrap(c, it.packetOffset(), it.packetLength())) {
                    for (int i = 0; i < rr.reportCount(); i++) {
                        ReportBlock b = rr.reportBlock(i, new ReportBlock());
                        if (b.sourceSsrc() == ssrc) {
                            found = b;
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    void senderReportsCarryEachLegsSsrcAndCounts() {
        World w = world(2);
        long audioOctets = 0;
        for (int i = 0; i < 10; i++) {
            audioOctets += payloadOf(w.sendAudio()).length;
        }
        long videoOctets = 0;
        for (byte[] p : w.sendFrame(true, 3)) {
            videoOctets += payloadOf(p).length;
        }
        w.h.flush();
        Peer sub = w.subs.get(1);
        w.reportNow(sub);
        await("a sender report", () -> sub.drain().rtcp.stream().anyMatch(c -> hasType(c, RtcpPacketType.SR)));

        byte[] compound = lastCompoundWith(sub, RtcpPacketType.SR);
        Map<Long, SenderReport> bySsrc = new HashMap<>();
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        it.reset(compound, 0, compound.length);
        while (it.next()) {
            if (it.packetType() == RtcpPacketType.SR) {
                SenderReport sr = new SenderReport();
                assertThat(sr.wrap(compound, it.packetOffset(), it.packetLength())).isTrue();
                bySsrc.put(sr.ssrc(), sr);
            }
        }
        OutgoingStream audioLeg = w.audioLegs.get(1);
        OutgoingStream videoLeg = w.videoLegs.get(1);
        assertThat(bySsrc.keySet()).containsExactlyInAnyOrder(audioLeg.ssrc, videoLeg.ssrc);
        assertThat(bySsrc.get(audioLeg.ssrc).packetCount()).isEqualTo(10);
        assertThat(bySsrc.get(audioLeg.ssrc).octetCount()).isEqualTo(audioOctets);
        assertThat(bySsrc.get(videoLeg.ssrc).packetCount()).isEqualTo(3);
        assertThat(bySsrc.get(videoLeg.ssrc).octetCount()).isEqualTo(videoOctets);
        // The SR's RTP timestamp is in the leg's timestamp space, shortly after the last packet sent.
        long lastAudioOut = (w.audioTs - 960 + audioLeg.timestampOffset) & 0xFFFFFFFFL;
        assertThat((bySsrc.get(audioLeg.ssrc).rtpTimestamp() - lastAudioOut) & 0xFFFFFFFFL).isLessThan(48_000L * 5);
        assertThat(offsetOf(compound, RtcpPacketType.SDES)).isPositive();
    }

    // ------------------------------------------------------------------------------------------
    // Bad input

    /** One kind of bad input: what it sends, and on which endpoint it must be counted under which reason. */
    interface BadInput {
        MediaEndpoint send(World w);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("RTP from an unknown SSRC", DropReason.UNKNOWN_SSRC, (BadInput) w -> {
                    w.pub.sendRtp(rtp(AUDIO_PT, 1, 1, 0xDEADBEEFL, false, opus(30, 1)));
                    return w.pub.ep;
                }),
                Arguments.of("a tampered SRTP packet", DropReason.SRTP_AUTH_FAILED, (BadInput) w -> {
                    byte[] d = w.pub.protectRtp(rtp(AUDIO_PT, w.audioSeq++, 1, AUDIO_SSRC, false, opus(30, 1)));
                    d[20] ^= 0x01;
                    w.h.submit(w.pub.ep, d);
                    return w.pub.ep;
                }),
                Arguments.of("a replayed SRTP packet", DropReason.SRTP_REPLAY, (BadInput) w -> {
                    byte[] d = w.pub.protectRtp(rtp(AUDIO_PT, w.audioSeq++, 1, AUDIO_SSRC, false, opus(30, 1)));
                    w.h.submit(w.pub.ep, d);
                    w.h.submit(w.pub.ep, d);
                    w.h.flush();
                    List<byte[]> rtp = w.subs.get(0).drain().rtp;  // the first copy was forwarded; forget it
                    rtp.remove(rtp.size() - 1);
                    return w.pub.ep;
                }),
                Arguments.of("a datagram too short for SRTP", DropReason.SRTP_FAILED, (BadInput) w -> {
                    w.h.submit(w.pub.ep, new byte[] {(byte) 0x80, 111, 0, 1, 0});
                    return w.pub.ep;
                }),
                Arguments.of("an unnegotiated payload type", DropReason.UNKNOWN_PAYLOAD_TYPE, (BadInput) w -> {
                    w.pub.sendRtp(rtp(8, w.audioSeq++, 1, AUDIO_SSRC, false, opus(30, 1)));
                    return w.pub.ep;
                }),
                Arguments.of("RTP on a subscriber connection", DropReason.RTP_ON_SUBSCRIBER, (BadInput) w -> {
                    Peer sub = w.subs.get(0);
                    sub.sendRtp(rtp(AUDIO_PT, 1, 1, AUDIO_SSRC, false, opus(30, 1)));
                    return sub.ep;
                }),
                Arguments.of("a packet before setSrtp", DropReason.SRTP_NOT_READY, (BadInput) w -> {
                    MediaEndpoint late = w.h.onWorker(() -> w.room.addEndpoint("late", MediaEndpoint.Role.PUBLISHER,
                            (b, o, l) -> { }, PUB_IDS, "late"));
                    w.h.submit(late, w.pub.protectRtp(rtp(AUDIO_PT, 1, 1, AUDIO_SSRC, false, opus(30, 1))));
                    return late;
                }),
                Arguments.of("an RTCP compound with a bad second header", DropReason.RTCP_MALFORMED, (BadInput) w -> {
                    byte[] c = Arrays.copyOf(rtcp(KeyframeRequest.PLI, w.videoLegs.get(0).ssrc), 24);
                    c[20] = 0x40;  // version 1
                    c[21] = (byte) RtcpPacketType.BYE;
                    Peer sub = w.subs.get(0);
                    sub.sendRtcp(c);
                    return sub.ep;
                }),
                Arguments.of("an RTCP packet longer than the datagram", DropReason.RTCP_MALFORMED, (BadInput) w -> {
                    byte[] c = rtcp(KeyframeRequest.PLI, w.videoLegs.get(0).ssrc);
                    Bytes.writeUint16(c, ReceiverReport.HEADER_LENGTH + 2, 40);
                    Peer sub = w.subs.get(0);
                    sub.sendRtcp(c);
                    return sub.ep;
                }));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badInputs")
    void badInputIsCountedUnderItsReasonAndNothingElseChanges(String name, DropReason reason, BadInput bad) {
        World w = world(1);
        List<byte[]> good = new ArrayList<>();
        good.add(w.sendAudio());
        w.h.flush();
        MediaEndpoint where = bad.send(w);
        good.add(w.sendAudio());
        w.h.flush();

        assertThat(where.stats().drops().snapshot()).isEqualTo(Map.of(reason, 1L));
        long others = w.totalDrops() - (w.subs.get(0).ep == where || w.pub.ep == where ? 1 : 0);
        assertThat(others).as("drops anywhere else").isZero();
        Peer sub = w.subs.get(0);
        List<byte[]> got = sub.rtpOf(w.audioLegs.get(0).ssrc);
        assertThat(got).hasSize(2);
        assertThat(payloadOf(got.get(0))).isEqualTo(payloadOf(good.get(0)));
        assertThat(payloadOf(got.get(1))).isEqualTo(payloadOf(good.get(1)));
        assertThat(w.pub.ep.stats().keyframeRequestsSent()).isLessThanOrEqualTo(1);  // only subscribe()'s
    }

    @Test
    void garbageNeverStopsTheWorkerAndASecondRoomKeepsForwarding() {
        World w = world(1);
        World other = new World(w.h, "other-room", 1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, 20_000);
        Random random = new Random(7);
        int garbage = 0;
        int good = 0;
        for (int i = 0; i < 600; i++) {
            byte[] junk = new byte[random.nextInt(i % 50 == 0 ? 4 : 300)];
            random.nextBytes(junk);
            if (i % 3 == 0 && junk.length > 1) {
                junk[0] = (byte) 0x80;                            // looks like RTP ...
                junk[1] = (byte) (i % 2 == 0 ? 201 : AUDIO_PT);  // ... or RTCP
            }
            w.h.submit(i % 4 == 0 ? w.subs.get(0).ep : w.pub.ep, junk);
            garbage++;
            if (i % 10 == 0) {
                other.sendAudio();
                w.sendAudio();
                good++;
            }
        }
        w.h.flush();

        assertThat(w.totalDrops()).as("every garbage datagram counted exactly once").isEqualTo(garbage);
        assertThat(w.subs.get(0).rtpOf(w.audioLegs.get(0).ssrc)).hasSize(good);
        assertThat(other.subs.get(0).rtpOf(other.audioLegs.get(0).ssrc)).hasSize(good);
        assertThat(other.totalDrops()).isZero();
        assertThat(w.subs.get(0).undecryptable).isZero();
    }

    @Test
    void aPacketWithoutAnEndpointIsReleasedNotLeaked() {
        World w = world(1);
        for (Object receiver : new Object[] {null, "not an endpoint"}) {
            org.medibridge.buffer.PacketBuffer p = w.h.pool.acquire();
            p.copyFrom(new byte[] {(byte) 0x80, 111, 0, 1}, 0, 4);
            p.setReceiver(receiver);
            w.h.submit(p);
        }
        w.sendAudio();
        w.h.flush();
        assertThat(w.h.pool.outstanding()).isZero();
        assertThat(w.subs.get(0).rtpOf(w.audioLegs.get(0).ssrc)).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------
    // Removal

    @Test
    void unsubscribingAndRemovingEndpointsStopForwarding() {
        World w = world(2);
        Peer s0 = w.subs.get(0);
        Peer s1 = w.subs.get(1);
        for (int i = 0; i < 5; i++) {
            w.sendAudio();
        }
        w.h.flush();
        assertThat(s0.rtpOf(w.audioLegs.get(0).ssrc)).hasSize(5);
        assertThat(s1.rtpOf(w.audioLegs.get(1).ssrc)).hasSize(5);

        w.h.run(() -> w.room.unsubscribe(w.audioLegs.get(0)));
        for (int i = 0; i < 5; i++) {
            w.sendAudio();
        }
        w.h.flush();
        assertThat(s0.rtpOf(w.audioLegs.get(0).ssrc)).hasSize(5);
        assertThat(s1.rtpOf(w.audioLegs.get(1).ssrc)).hasSize(10);

        w.h.run(() -> w.room.removeEndpoint(s1.ep));
        for (int i = 0; i < 5; i++) {
            w.sendAudio();
        }
        s1.sendRtcp(rtcp(KeyframeRequest.PLI, w.videoLegs.get(1).ssrc));
        w.h.flush();
        assertThat(s1.rtpOf(w.audioLegs.get(1).ssrc)).hasSize(10);
        assertThat(s1.drops(DropReason.ENDPOINT_CLOSED)).isEqualTo(1);
        assertThat(w.audio.legs).isEmpty();
        assertThat(w.video.legs).containsExactly(w.videoLegs.get(0));

        w.h.run(() -> w.room.removeEndpoint(w.pub.ep));
        int before = s0.rtpDatagrams().size();
        w.sendAudio();
        w.sendFrame(true, 1);
        w.h.flush();
        assertThat(w.pub.drops(DropReason.ENDPOINT_CLOSED)).isEqualTo(2);
        assertThat(s0.rtpDatagrams().size()).isEqualTo(before);
        assertThat(w.h.onWorker(() -> w.room.endpoints())).extracting(MediaEndpoint::id).containsExactly("room-sub0");

        w.h.run(() -> w.room.close());
        assertThat(w.room.isClosed()).isTrue();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
