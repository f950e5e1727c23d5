package org.medibridge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;
import org.medibridge.router.DatagramSink;
import org.medibridge.router.HeaderExtensionIds;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.MediaEndpoint;
import org.medibridge.router.MediaKind;
import org.medibridge.router.MediaRoom;
import org.medibridge.router.MediaWorker;
import org.medibridge.rtp.Bytes;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;
import org.medibridge.srtp.SrtpResult;
import org.medibridge.srtp.SrtpSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One publisher video packet (1200-byte payload, header extensions) through the whole receive
 * path of the router to N subscribers: SRTP unprotect, parse, stream lookup, statistics, then per
 * leg copy, rewrite, retransmission cache, SRTP protect and the (discarding) sink. It runs on an
 * {@link MediaWorker#inline} worker, so the benchmark thread is the worker thread and JMH's
 * {@code -prof gc} sees the router's allocation.
 *
 * <p>Each packet must first be protected as the browser would, with a fresh sequence number (the
 * server's receive side has a replay window): {@code browserProtectOnly} measures that part alone,
 * to subtract from {@code forward}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForwardingBenchmark {
    private static final HeaderExtensionIds PUB_IDS = new HeaderExtensionIds(
            BenchPackets.MID, BenchPackets.AUDIO_LEVEL, BenchPackets.ABS_SEND_TIME, BenchPackets.TRANSPORT_CC, 0, 0);
    private static final HeaderExtensionIds SUB_IDS = new HeaderExtensionIds(1, 5, 3, 7, 0, 0);
    private static final long VIDEO_SSRC = 0x22222222L;

    @Param({"1", "3"})
    public int subscribers;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public SrtpProfile profile;

    private MediaWorker worker;
    private PacketPool pool;
    private MediaEndpoint publisher;
    private SrtpSession browser;
    private byte[] plain;
    private int seq;
    private long ts;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpCrypto.initialize();
        worker = MediaWorker.inline("bench-worker");
        pool = new PacketPool(64);
        MediaRoom room = worker.createRoom("bench");
        SrtpSession[] pub = BenchPackets.srtpPair(profile, 1);
        browser = pub[0];
        DatagramSink discard = (buf, off, len) -> sent++;
        publisher = room.addEndpoint("pub", MediaEndpoint.Role.PUBLISHER, discard, PUB_IDS, "pub");
        room.setSrtp(publisher, pub[1]);
        IncomingStream video = room.addIncomingStream(publisher, "v", MediaKind.VIDEO, VIDEO_SSRC, 96, 90000);
        for (int i = 0; i < subscribers; i++) {
            MediaEndpoint sub = room.addEndpoint("sub" + i, MediaEndpoint.Role.SUBSCRIBER, discard, SUB_IDS, "sub" + i);
            room.setSrtp(sub, BenchPackets.srtpPair(profile, 100 + i)[1]);
            room.subscribe(sub, video, 0xB0000000L + i, 100);
        }
        // Every packet's VP8 descriptor says "key frame start", so the legs start on the first.
        plain = BenchPackets.videoPacket(96, 0, 0, VIDEO_SSRC, 1200);
    }

    private PacketBuffer nextFromBrowser() {
        PacketBuffer p = pool.acquire();
        p.copyFrom(plain, 0, plain.length);
        byte[] b = p.getBuffer();
        Bytes.writeUint16(b, p.getOffset() + 2, seq);
        Bytes.writeUint32(b, p.getOffset() + 4, ts);
        seq = (seq + 1) & 0xFFFF;
        ts = (ts + 3000) & 0xFFFFFFFFL;
        if (browser.protectRtp(p) != SrtpResult.OK) {
            throw new IllegalStateException("protect failed");
        }
        p.setReceiver(publisher);
        return p;
    }

    @Benchmark
    public void forward() {
        worker.processInline(nextFromBrowser());
    }

    @Benchmark
    public void browserProtectOnly(Blackhole bh) {
        PacketBuffer p = nextFromBrowser();
        bh.consume(p.getLength());
        p.release();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // When forward() ran, every packet reached every subscriber (the sink also counts RTCP: none here).
        long expected = publisher.stats().rtpReceived() * subscribers;
        if (sent != expected || publisher.stats().drops().total() != 0 || pool.outstanding() != 0) {
            throw new IllegalStateException("forwarding broke: sent " + sent + ", drops "
                    + publisher.stats().drops().snapshot() + ", outstanding " + pool.outstanding());
        }
        worker.close();
    }
}
