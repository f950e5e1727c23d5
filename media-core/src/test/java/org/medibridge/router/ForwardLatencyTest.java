package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.router.RouterHarness.ext;
import static org.medibridge.router.RouterHarness.rtp;
import static org.medibridge.router.RouterHarness.vp8;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.router.RouterHarness.Peer;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;

/**
 * Every forwarded RTP packet lands in its worker's {@link MediaWorker#forwardLatency()} histogram,
 * once per leg, measured from the datagram's receive timestamp; retransmissions do not.
 * The receive timestamps are set 3 ms in the past, so every sample is at least 3 ms: a lower
 * bound that holds however slow the machine, not a timing assertion.
 */
class ForwardLatencyTest {
    static final long AGE_NANOS = 3_000_000;

    @BeforeAll
    static void initializeSrtp() {
        SrtpCrypto.initialize();
    }

    @Test
    void eachForwardedPacketLandsInTheHistogramOncePerLegAndRetransmissionsDoNot() {
        try (RouterHarness h = new RouterHarness("latency")) {
            MediaRoom room = h.room("latency");
            Peer pub = h.peer(room, "pub", MediaEndpoint.Role.PUBLISHER, RouterTest.PUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
            IncomingStream video = h.onWorker(() -> room.addIncomingStream(pub.ep, "v", MediaKind.VIDEO,
                    RouterTest.VIDEO_SSRC, RouterTest.VIDEO_PT, 90000));
            Peer[] subs = new Peer[2];
            OutgoingStream[] legs = new OutgoingStream[2];
            for (int i = 0; i < subs.length; i++) {
                Peer sub = h.peer(room, "sub" + i, MediaEndpoint.Role.SUBSCRIBER, RouterTest.SUB_IDS, SrtpProfile.AEAD_AES_128_GCM);
                long ssrc = 0xB0000000L + i;
                subs[i] = sub;
                legs[i] = h.onWorker(() -> room.subscribe(sub.ep, video, ssrc, RouterTest.SUB_VIDEO_PT));
            }
            assertThat(h.worker.forwardLatency().snapshot().count()).isZero();

            int packets = 10;
            for (int seq = 1; seq <= packets; seq++) {
                byte[] plain = rtp(RouterTest.VIDEO_PT, seq, 9000, RouterTest.VIDEO_SSRC, seq == packets,
                        vp8(seq == 1, true, 1, 300, seq), ext(RouterTest.PUB_IDS.mid(), '1'));
                byte[] datagram = pub.protectRtp(plain);
                PacketBuffer p = h.pool.acquire();
                p.copyFrom(datagram, 0, datagram.length);
                p.setReceiver(pub.ep);
                p.setReceivedNanos(System.nanoTime() - AGE_NANOS);
                h.submit(p);
            }
            h.flush();

            LatencyHistogram.Snapshot s = h.worker.forwardLatency().snapshot();
            assertThat(subs[0].rtpDatagrams()).hasSize(packets);
            assertThat(s.count()).as("one sample per packet per leg").isEqualTo(2L * packets);
            assertThat(s.cumulative(LatencyHistogram.bucketOf(2_000_000))).as("samples at or below 2 ms").isZero();
            assertThat(s.sumNanos()).isGreaterThanOrEqualTo(2L * packets * AGE_NANOS);

            // A NACK answered from the cache sends a packet but adds no sample.
            subs[0].sendRtcp(RouterTest.nack(legs[0].ssrc, (legs[0].firstSequence + 2) & 0xFFFF));
            h.flush();
            assertThat(h.onWorker(() -> legs[0].retransmissions)).isEqualTo(1);
            assertThat(h.worker.forwardLatency().snapshot().count()).isEqualTo(2L * packets);
        }
    }
}
