package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.router.RouterHarness.ext;
import static org.medibridge.router.RouterHarness.rtp;
import static org.medibridge.router.RouterHarness.vp8;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;
import org.medibridge.srtp.SrtpResult;
import org.medibridge.srtp.SrtpSession;

/**
 * The NACK → RTX path ({@link Egress#retransmit}) and the probe path ({@link Egress#sendProbe})
 * allocate nothing of their own, as {@link ForwardingAllocationTest} pins for forwarding: measured
 * on an {@linkplain MediaWorker#inline inline} worker's thread, minus what SRTP alone allocates for
 * the same packets (AES_CM_128_HMAC_SHA1_80, whose allocation is deterministic; see there).
 */
class RetransmitProbeAllocationTest {
    static final int WARMUP = 20_000;
    static final int MEASURED = 10_000;
    static final int ROUNDS = 3;
    static final int PAYLOAD = 1200;
    static final int CACHED = 256;
    static final SrtpProfile PROFILE = SrtpProfile.AES_CM_128_HMAC_SHA1_80;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void initialize() {
        SrtpCrypto.initialize();
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void retransmittingOnRtxAndSendingProbesAllocateNothingBeyondSrtp() {
        MediaWorker worker = MediaWorker.inline("alloc-rtx");
        try {
            MediaRoom room = worker.createRoom("r");
            long[] sent = new long[1];
            MediaEndpoint pub = room.addEndpoint("pub", MediaEndpoint.Role.PUBLISHER, (b, o, l) -> { }, RouterTest.PUB_IDS, "p");
            MediaEndpoint sub = room.addEndpoint("sub", MediaEndpoint.Role.SUBSCRIBER, (b, o, l) -> sent[0]++,
                    RouterTest.SUB_IDS, "s");
            room.setSrtp(sub, RouterHarness.srtpPair(PROFILE, 7)[1]);
            IncomingStream video = room.addIncomingStream(pub, "v", MediaKind.VIDEO, RouterTest.VIDEO_SSRC,
                    RouterTest.VIDEO_PT, 90000);
            OutgoingStream leg = room.subscribe(sub, video, 0xB0000001L, RouterTest.SUB_VIDEO_PT, Rtx.of(0xB0000002L, 101));
            // What forwarding would have cached: the leg's rewritten packets, subscriber ids.
            byte[] packet = rtp(RouterTest.SUB_VIDEO_PT, 0, 1000, leg.ssrc, false, vp8(false, false, 1, PAYLOAD, 1),
                    ext(RouterTest.SUB_IDS.absSendTime(), 0, 0, 0), ext(RouterTest.SUB_IDS.transportCc(), 0, 0));
            Egress egress = new Egress(new LatencyHistogram());

            run(egress, leg, packet, WARMUP);
            long self = Thread.currentThread().getId();
            long best = Long.MAX_VALUE;
            for (int r = 0; r < ROUNDS; r++) {
                long before = THREADS.getThreadAllocatedBytes(self);
                run(egress, leg, packet, MEASURED);
                best = Math.min(best, THREADS.getThreadAllocatedBytes(self) - before);
            }
            double srtp = srtpOnly(packet.length + 2, ProbePacer.probePacketBytes(leg));
            double perPair = (double) best / MEASURED;
            System.out.printf("retransmit on RTX + probe packet: worker allocated %.1f B per pair, SRTP alone %.1f B;"
                    + " router %.2f B%n", perPair, srtp, perPair - srtp);

            assertThat(sent[0]).isEqualTo(2L * (WARMUP + ROUNDS * MEASURED));
            assertThat(sub.stats().rtxSent()).isEqualTo(WARMUP + ROUNDS * MEASURED);
            assertThat(perPair - srtp).as("bytes the router allocates per retransmission + probe").isLessThan(8.0);
        } finally {
            worker.close();
        }
    }

    /** {@code n} times: cache a packet (as forwarding does), answer a NACK for it, send a probe packet. */
    private static void run(Egress egress, OutgoingStream leg, byte[] packet, int n) {
        for (int i = 0; i < n; i++) {
            long now = System.nanoTime();
            int seq = leg.rtxSequence & 0xFFFF;    // any; varied so the cache slots rotate
            org.medibridge.rtp.Bytes.writeUint16(packet, 2, seq);
            leg.cache.store(seq, packet, 0, packet.length, now);
            if (!egress.retransmit(leg, seq, now)) {
                throw new AssertionError("not retransmitted");
            }
            if (egress.sendProbe(leg, 1, ProbePacer.PADDING_BYTES, now) < 0) {
                throw new AssertionError("no probe");
            }
        }
    }

    private static void protect(SrtpSession s, PacketBuffer p, int len, int seq) {
        byte[] buf = p.getBuffer();
        p.setOffsetLength(PacketPool.HEADROOM, len);
        buf[PacketPool.HEADROOM] = (byte) 0x80;
        org.medibridge.rtp.Bytes.writeUint16(buf, PacketPool.HEADROOM + 2, seq);
        org.medibridge.rtp.Bytes.writeUint32(buf, PacketPool.HEADROOM + 8, len);   // one SSRC per size
        if (s.protectRtp(p) != SrtpResult.OK) {
            throw new AssertionError("protect failed");
        }
    }

    /** What protecting an RTX packet and a probe packet costs SRTP alone, per pair. */
    private static double srtpOnly(int rtxLength, int probeLength) {
        SrtpSession s = RouterHarness.srtpPair(PROFILE, 8)[1];
        byte[] buf = new byte[PacketPool.CAPACITY];
        PacketBuffer p = PacketBuffer.wrap(buf, PacketPool.HEADROOM, 0);
        long self = Thread.currentThread().getId();
        long best = Long.MAX_VALUE;
        for (int r = 0; r <= ROUNDS; r++) {
            int n = r == 0 ? WARMUP : MEASURED;
            long before = THREADS.getThreadAllocatedBytes(self);
            for (int i = 0; i < n; i++) {
                protect(s, p, rtxLength, (r * n + i) & 0xFFFF);
                protect(s, p, probeLength, (r * n + i) & 0xFFFF);
            }
            if (r > 0) {
                best = Math.min(best, THREADS.getThreadAllocatedBytes(self) - before);
            }
        }
        return (double) best / MEASURED;
    }
}
