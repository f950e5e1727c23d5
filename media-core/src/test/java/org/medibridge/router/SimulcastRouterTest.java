package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.router.RouterHarness.ext;
import static org.medibridge.router.RouterHarness.rtp;
import static org.medibridge.router.RouterHarness.vp8;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;

/**
 * Rid simulcast through the router: layer SSRCs learnt from rtp-stream-id, one continuous stream
 * per subscriber made of the layer its rendered size asks for, switching only at keyframes.
 */
class SimulcastRouterTest {
    private static final int PT = 96;
    private static final long[] SSRCS = {0x51000001L, 0x51000002L, 0x51000003L};
    private static final char[] RIDS = {'q', 'h', 'f'};
    private RouterHarness h;
    private RouterHarness.Peer pub;
    private RouterHarness.Peer sub;
    private SimulcastSource source;
    private OutgoingStream leg;
    private final int[] seq = {100, 2000, 30000};
    private final long[] ts = {1000, 2000, 3000};
    private int pictureId = 1;

    @BeforeAll
    static void initializeSrtp() {
        SrtpCrypto.initialize();
    }

    @AfterEach
    void tearDown() {
        h.flush();
        h.close();
        assertThat(h.pool.outstanding()).isZero();
    }

    private void setUp() {
        h = new RouterHarness("simulcast-test");
        MediaRoom room = h.room("room");
        pub = h.peer(room, "pub", MediaEndpoint.Role.PUBLISHER, RouterTest.PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        sub = h.peer(room, "sub", MediaEndpoint.Role.SUBSCRIBER, RouterTest.SUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        source = h.onWorker(() -> room.addSimulcastSource(pub.ep, "v", MediaKind.VIDEO, PT, 90000, List.of("q", "h", "f")));
        leg = h.onWorker(() -> room.subscribe(sub.ep, source, 0xC0FFEEL, 100));
    }

    /** One frame on every layer (2 packets each); the payload's fill byte says which layer. */
    private void sendFrame(boolean keyFrame) {
        for (int layer = 0; layer < 3; layer++) {
            for (int i = 0; i < 2; i++) {
                byte[] payload = vp8(i == 0, keyFrame, pictureId, 60, 0x10 * (layer + 1));
                pub.sendRtp(rtp(PT, seq[layer]++, ts[layer], SSRCS[layer], i == 1, payload, ext(10, RIDS[layer])));
            }
            ts[layer] += 3000;
        }
        pictureId++;
        h.flush();
    }

    private List<byte[]> received() {
        return sub.drain().rtpOf(0xC0FFEEL);
    }

    private static int layerOf(byte[] rtp) {
        RtpPacket p = new RtpPacket();
        p.wrap(rtp, 0, rtp.length);
        // vp8(...) fills byte i with fill + i*13; byte 5 of the payload: fill + 65.
        int fill = (rtp[p.payloadOffset() + 5] - 65) & 0xFF;
        return fill / 0x10 - 1;
    }

    private static int seqOf(byte[] rtp) {
        RtpPacket p = new RtpPacket();
        p.wrap(rtp, 0, rtp.length);
        return p.sequenceNumber();
    }

    /**
     * The allocator's grant, made by hand: the top layer (what a full estimate allows). The
     * worker's own allocation is held off for the test, because with packets sent unpaced the
     * measured layer rates are meaningless and which tick sees which packets is a race; the
     * allocator has its own tests (BandwidthAllocatorTest, SimulcastAllocationTest).
     */
    private void grantTopLayer() {
        h.run(() -> {
            sub.ep.nextAllocationNanos = System.nanoTime() + 3_600_000_000_000L;
            leg.selector.setTarget(2, 3);
        });
    }

    private int[] layers(List<byte[]> packets) {
        return packets.stream().mapToInt(SimulcastRouterTest::layerOf).toArray();
    }

    private static void assertContinuous(List<byte[]> got) {
        for (int i = 1; i < got.size(); i++) {
            assertThat(seqOf(got.get(i))).as("packet %d", i).isEqualTo((seqOf(got.get(i - 1)) + 1) & 0xFFFF);
        }
    }

    @Test
    void layersAreLearntAndTheTopOneGoesOutByDefault() {
        setUp();
        sendFrame(true); // the layers are learnt and measured
        assertThat(source.layer(0)).isNotNull();
        assertThat(source.layer(2).ssrc()).isEqualTo(SSRCS[2]);
        grantTopLayer();
        int before = received().size();
        sendFrame(true);
        sendFrame(false);
        List<byte[]> got = received();
        // From whatever started (video shows at the first keyframe of any layer up to the target),
        // the leg climbs to the top layer at its keyframe and stays there.
        List<byte[]> now = got.subList(before, got.size());
        int[] l = layers(now);
        assertThat(java.util.Arrays.copyOfRange(l, l.length - 4, l.length)).containsExactly(2, 2, 2, 2);
        assertContinuous(got);
        assertThat(pub.drops(DropReason.UNKNOWN_SSRC)).isZero();
    }

    @Test
    void aSmallRenderingSwitchesDownAtTheNextKeyframeWithoutAGap() {
        setUp();
        sendFrame(true);
        grantTopLayer();
        sendFrame(true);
        assertThat(leg.selector.currentSpatial()).isEqualTo(2);
        h.run(() -> leg.subscriber.room.setRenderedHeight(leg, 180, true)); // preferred and target: layer 0
        int before = received().size();
        sendFrame(false); // no keyframe yet: the current (top) layer continues
        sendFrame(true);  // keyframe: switch to the low layer
        sendFrame(false);
        List<byte[]> got = received();
        assertThat(layers(got.subList(before, got.size()))).containsExactly(2, 2, 0, 0, 0, 0);
        assertContinuous(got);
    }

    @Test
    void aHiddenVideoGetsNothing() {
        setUp();
        sendFrame(true);
        h.onWorker(() -> {
            leg.subscriber.room.setRenderedHeight(leg, 360, false);
            return null;
        });
        int before = received().size();
        sendFrame(true);
        sendFrame(false);
        assertThat(received()).hasSize(before);
    }
}
