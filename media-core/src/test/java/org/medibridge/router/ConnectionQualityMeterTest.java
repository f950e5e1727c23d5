package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.router.RouterHarness.opus;
import static org.medibridge.router.RouterHarness.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.bwe.ConnectionQuality.Level;
import org.medibridge.router.RouterHarness.Peer;
import org.medibridge.rtcp.ReceiverReport;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;

/**
 * The meter reads the real router's state: a participant publishes audio (its uplink) and
 * receives another publisher's audio (its downlink, judged from the receiver reports its browser
 * sends). Each "second" the test sends 50 packets, minus the lost ones, then takes a sample.
 */
class ConnectionQualityMeterTest {
    static final long AUDIO_SSRC = 0x11111111L;
    static final long OTHER_AUDIO_SSRC = 0x33333333L;
    static final int AUDIO_PT = 111;
    static final long LEG_SSRC = 0xA0000001L;
    static final long BROWSER_RTCP_SSRC = 0x5EB5C001L;
    static final long SECOND = 1_000_000_000L;

    private final List<RouterHarness> harnesses = new ArrayList<>();

    @BeforeAll
    static void initializeSrtp() {
        SrtpCrypto.initialize();
    }

    @AfterEach
    void close() {
        for (RouterHarness h : harnesses) {
            h.flush();
            h.close();
        }
    }

    /**
     * @param uplinkLossEvery  drop every n-th packet the participant publishes (0: none)
     * @param downlinkFraction fraction lost its browser reports about what it receives (of 256)
     * @param jitter           jitter its browser reports, in RTP units at 48 kHz
     * @param uplinkStopsAfter seconds after which nothing more arrives from it (-1: never)
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("clean both ways", 0, 0, 48, -1, Level.EXCELLENT),
                Arguments.of("4 % uplink loss", 25, 0, 48, -1, Level.GOOD),
                Arguments.of("20 % uplink loss", 5, 0, 48, -1, Level.POOR),
                Arguments.of("clean uplink, 5 % reported downlink loss", 0, 13, 48, -1, Level.GOOD),
                Arguments.of("clean uplink, 25 % reported downlink loss", 0, 64, 48, -1, Level.POOR),
                Arguments.of("clean, 80 ms downlink jitter", 0, 0, 48 * 80, -1, Level.POOR),
                Arguments.of("70 % reported downlink loss", 0, 180, 48, -1, Level.LOST),
                Arguments.of("uplink goes silent", 0, 0, 48, 3, Level.LOST));
    }

    @ParameterizedTest(name = "{0} → {5}")
    @MethodSource("cases")
    void levelFollowsWhatTheRouterSees(String name, int uplinkLossEvery, int downlinkFraction, long jitter,
                                       int uplinkStopsAfter, Level expected) {
        RouterHarness h = new RouterHarness("quality-test-" + harnesses.size());
        harnesses.add(h);
        MediaRoom room = h.room("room");
        Peer me = h.peer(room, "me-pub", MediaEndpoint.Role.PUBLISHER, RouterTest.PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        Peer other = h.peer(room, "other-pub", MediaEndpoint.Role.PUBLISHER, RouterTest.PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        Peer meSub = h.peer(room, "me-sub", MediaEndpoint.Role.SUBSCRIBER, RouterTest.SUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
        h.run(() -> room.addIncomingStream(me.ep, "a", MediaKind.AUDIO, AUDIO_SSRC, AUDIO_PT, 48000));
        IncomingStream otherAudio = h.onWorker(() ->
                room.addIncomingStream(other.ep, "a", MediaKind.AUDIO, OTHER_AUDIO_SSRC, AUDIO_PT, 48000));
        h.run(() -> room.subscribe(meSub.ep, otherAudio, LEG_SSRC, 109));
        ConnectionQualityMeter meter = new ConnectionQualityMeter();

        int seq = 100;
        long now = 0;
        Level level = null;
        List<Level> seen = new ArrayList<>();
        for (int second = 0; second < 8; second++) {
            for (int i = 0; i < 50; i++, seq++) {
                other.sendRtp(rtp(AUDIO_PT, seq, seq * 960L, OTHER_AUDIO_SSRC, false, opus(60, seq)));
                boolean silent = uplinkStopsAfter >= 0 && second >= uplinkStopsAfter;
                boolean lost = uplinkLossEvery > 0 && seq % uplinkLossEvery == 0;
                if (!silent && !lost) {
                    me.sendRtp(rtp(AUDIO_PT, seq, seq * 960L, AUDIO_SSRC, false, opus(60, seq)));
                }
            }
            byte[] rr = new byte[64];
            int len = ReceiverReport.writeOneBlock(rr, 0, BROWSER_RTCP_SSRC, LEG_SSRC, downlinkFraction, 0,
                    seq, jitter, 0, 0);
            meSub.sendRtcp(Arrays.copyOf(rr, len));
            h.flush();
            now += SECOND;
            long t = now;
            level = h.onWorker(() -> meter.sample(me.ep, meSub.ep, t));
            seen.add(level);
        }
        assertThat(level).as("level after 8 s; all samples %s", seen).isEqualTo(expected);
        assertThat(meter.level()).isEqualTo(level);
    }

    @org.junit.jupiter.api.Test
    void withNoConnectionNothingIsJudged() {
        ConnectionQualityMeter meter = new ConnectionQualityMeter();
        assertThat(meter.sample(null, null, SECOND)).isEqualTo(Level.GOOD);
        assertThat(meter.sample(null, null, 10 * SECOND)).isEqualTo(Level.GOOD);
    }
}
