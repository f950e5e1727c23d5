package org.medibridge.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;
import org.medibridge.router.DatagramSink;
import org.medibridge.router.HeaderExtensionIds;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.LatencyHistogram;
import org.medibridge.router.MediaEndpoint;
import org.medibridge.router.MediaKind;
import org.medibridge.router.MediaRoom;
import org.medibridge.router.MediaWorker;
import org.medibridge.router.SimulcastSource;
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
 * Publisher video through the real router to N subscribers, without sockets: SRTP unprotect,
 * parse, stream lookup, receive statistics, then per leg (layer selection and simulcast rewrite
 * in {@code simulcast} mode) copy, rewrite, retransmission cache, SRTP protect, the (discarding)
 * sink and the latency histogram. It runs on a {@link MediaWorker#inline} worker, so the
 * benchmark thread is the worker thread and {@code -prof gc} sees the router's allocation.
 *
 * <p>One operation:
 * <ul>
 *   <li>{@code plain}: one 1200-byte VP8 packet in, N out (a key frame first, then delta frames);
 *   <li>{@code simulcast}: one 1200-byte packet of each of the three layers (q, h, f) in; every
 *       leg forwards the top layer (after its first key frames), so N out and 2 N dropped by the
 *       legs' selectors.
 * </ul>
 * Each packet must first be protected as the browser would, with a fresh sequence number (the
 * server's receive side has a replay window): {@code browserProtectOnly} measures that part
 * alone (the same number of packets per operation), to subtract from {@code forward}.
 * The tear-down checks that every operation was really forwarded and nothing was dropped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForwardingBenchmark {
    private static final HeaderExtensionIds PUB_IDS = new HeaderExtensionIds(
            BenchPackets.MID, BenchPackets.AUDIO_LEVEL, BenchPackets.ABS_SEND_TIME, BenchPackets.TRANSPORT_CC,
            BenchPackets.RID, 0);
    private static final HeaderExtensionIds SUB_IDS = new HeaderExtensionIds(1, 5, 3, 7, 0, 0);
    private static final long VIDEO_SSRC = 0x22222222L;
    private static final long[] LAYER_SSRCS = {0x51000001L, 0x51000002L, 0x51000003L};
    private static final int PT = 96;
    private static final int PAYLOAD = 1200;

    @Param({"1", "2", "10"})
    public int subscribers;

    @Param({"plain", "simulcast"})
    public String mode;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public SrtpProfile profile;

    private MediaWorker worker;
    private PacketPool pool;
    private MediaEndpoint publisher;
    private SrtpSession browser;
    private boolean simulcast;
    /** Plain: [key, delta]; simulcast: [layer * 2 + (key ? 0 : 1)]. */
    private byte[][] templates;
    private final int[] seq = new int[3];
    private final long[] ts = new long[3];
    private final int[] pictureId = new int[3];
    private boolean first = true;
    private long operations;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpCrypto.initialize();
        simulcast = mode.equals("simulcast");
        worker = MediaWorker.inline("bench-worker");
        pool = new PacketPool(64);
        MediaRoom room = worker.createRoom("bench");
        SrtpSession[] pub = BenchPackets.srtpPair(profile, 1);
        browser = pub[0];
        DatagramSink discard = (buf, off, len) -> sent++;
        publisher = room.addEndpoint("pub", MediaEndpoint.Role.PUBLISHER, discard, PUB_IDS, "pub");
        room.setSrtp(publisher, pub[1]);
        IncomingStream video = null;
        SimulcastSource source = null;
        if (simulcast) {
            source = room.addSimulcastSource(publisher, "v", MediaKind.VIDEO, PT, 90000, List.of("q", "h", "f"));
            templates = new byte[6][];
            for (int layer = 0; layer < 3; layer++) {
                char rid = BenchPackets.RIDS[layer];
                templates[2 * layer] = BenchPackets.simulcastPacket(PT, 0, 0, LAYER_SSRCS[layer], rid, 0, true, PAYLOAD);
                templates[2 * layer + 1] = BenchPackets.simulcastPacket(PT, 0, 0, LAYER_SSRCS[layer], rid, 0, false, PAYLOAD);
            }
        } else {
            video = room.addIncomingStream(publisher, "v", MediaKind.VIDEO, VIDEO_SSRC, PT, 90000);
            byte[] key = BenchPackets.videoPacket(PT, 0, 0, VIDEO_SSRC, PAYLOAD);
            byte[] delta = key.clone();
            delta[12 + BenchPackets.EXTENSION_BLOCK + 1] = 0x11;  // VP8 payload header P=1: a delta frame
            templates = new byte[][] {key, delta};
        }
        for (int i = 0; i < subscribers; i++) {
            MediaEndpoint sub = room.addEndpoint("sub" + i, MediaEndpoint.Role.SUBSCRIBER, discard, SUB_IDS, "sub" + i);
            room.setSrtp(sub, BenchPackets.srtpPair(profile, 100 + i)[1]);
            if (simulcast) {
                room.subscribe(sub, source, 0xB0000000L + i, 100);
            } else {
                room.subscribe(sub, video, 0xB0000000L + i, 100);
            }
        }
    }

    /** The next packet of {@code layer} (0 in plain mode), SRTP-protected as the browser would. */
    private PacketBuffer nextFromBrowser(int layer) {
        byte[] template = templates[2 * layer + (first ? 0 : 1)];
        PacketBuffer p = pool.acquire();
        p.copyFrom(template, 0, template.length);
        byte[] b = p.getBuffer();
        int off = p.getOffset();
        Bytes.writeUint16(b, off + 2, seq[layer]);
        Bytes.writeUint32(b, off + 4, ts[layer]);
        if (simulcast) {
            int d = off + 12 + BenchPackets.EXTENSION_BLOCK;
            b[d + 2] = (byte) (0x80 | ((pictureId[layer] >> 8) & 0x7F));
            b[d + 3] = (byte) pictureId[layer];
            pictureId[layer] = (pictureId[layer] + 1) & 0x7FFF;
        }
        seq[layer] = (seq[layer] + 1) & 0xFFFF;
        ts[layer] = (ts[layer] + 3000) & 0xFFFFFFFFL;
        if (browser.protectRtp(p) != SrtpResult.OK) {
            throw new IllegalStateException("protect failed");
        }
        p.setReceiver(publisher);
        return p;
    }

    @Benchmark
    public void forward() {
        operations++;
        if (simulcast) {
            worker.processInline(nextFromBrowser(0));
            worker.processInline(nextFromBrowser(1));
            worker.processInline(nextFromBrowser(2));
        } else {
            worker.processInline(nextFromBrowser(0));
        }
        first = false;
    }

    @Benchmark
    public void browserProtectOnly(Blackhole bh) {
        int layers = simulcast ? 3 : 1;
        for (int layer = 0; layer < layers; layer++) {
            PacketBuffer p = nextFromBrowser(layer);
            bh.consume(p.getLength());
            p.release();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // forward(): every operation sent one packet per subscriber, except that in simulcast
        // mode each leg also forwards the first key frames of the lower layers on its way up.
        // browserProtectOnly(): nothing reached the router.
        long min = operations * subscribers;
        long max = simulcast ? (operations + 2) * subscribers : min;
        long forwarded = worker.forwardLatency().snapshot().count();
        if (sent < min || sent > max || forwarded != sent || publisher.stats().drops().total() != 0
                || pool.outstanding() != 0) {
            throw new IllegalStateException("forwarding broke: " + operations + " operations, sent " + sent
                    + ", in the latency histogram " + forwarded + ", drops " + publisher.stats().drops().snapshot()
                    + ", outstanding " + pool.outstanding());
        }
        LatencyHistogram.Snapshot s = worker.forwardLatency().snapshot();
        if (s.count() > 0) {
            System.out.printf("%n[%s] %d operations, %d packets sent; mean receive-to-send %.0f ns (histogram)%n",
                    mode, operations, sent, (double) s.sumNanos() / s.count());
        }
        worker.close();
    }
}
