package org.medibridge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medibridge.bwe.AllocatableTrack;
import org.medibridge.bwe.Allocation;
import org.medibridge.bwe.BandwidthAllocator;
import org.medibridge.router.MediaKind;
import org.medibridge.rtp.Bytes;
import org.medibridge.simulcast.Decision;
import org.medibridge.simulcast.LayerSelector;
import org.medibridge.simulcast.SimulcastRewriter;
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

/**
 * Simulcast layer selection without the rest of the router:
 * <ul>
 *   <li>{@code selectorOnPacket}: one {@link LayerSelector} decision per packet, over a cycle of
 *       three layers × frames with temporal layers 0,2,1,2 (L1T3), target the top layer with
 *       TID ≤ 1 (so some packets are forwarded, some dropped by layer, some by TID);
 *   <li>{@code rewriteForwarded}: one {@link SimulcastRewriter#rewrite} of a forwarded packet
 *       (SSRC, sequence, timestamp, VP8 picture id), in place on a 44-byte header copy;
 *   <li>{@code allocate}: one {@link BandwidthAllocator#allocate} call for a subscriber with
 *       {@code videoTracks} simulcast tracks plus one audio track per video track, under an
 *       estimate that affords about half of what is wanted (per call, not per packet: it runs on
 *       bandwidth-estimate updates).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LayerSelectionBenchmark {
    private static final int[] TIDS = {0, 2, 1, 2};
    private static final int HEADER = 12 + BenchPackets.EXTENSION_BLOCK + 5;

    private final LayerSelector selector = new LayerSelector();
    private int step;
    private final long[] decisions = new long[Decision.values().length];

    private final SimulcastRewriter rewriter = new SimulcastRewriter(0xB0000001L, 1000, 12345, 90000);
    private byte[] template;
    private final byte[] packet = new byte[HEADER];
    private int inSeq;
    private long inTs;
    private int pictureId;
    private long rewriteFailures;

    @Setup(Level.Trial)
    public void setUp() {
        selector.setPreferred(2, 2);
        selector.setTarget(2, 1);
        template = BenchPackets.simulcastPacket(96, 0, 0, 0x51000003L, 'f', 0, false, 100);
    }

    /** The allocator's input, in a state of its own so that only {@code allocate} takes the parameter. */
    @State(Scope.Thread)
    public static class Subscriber {
        @Param({"1", "8"})
        public int videoTracks;

        final BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks;
        long estimateBps;
        /** The allocator's clock: one 100 ms allocation interval per call. */
        long nowNanos;

        @Setup(Level.Trial)
        public void setUp() {
            tracks = new ArrayList<>();
            long wanted = 0;
            for (int i = 0; i < videoTracks; i++) {
                // Bit rates per [spatial][temporal] as LayerBitrates measures them (cumulative over TIDs).
                long[][] rates = {
                    {60_000, 90_000, 120_000},
                    {250_000, 380_000, 500_000},
                    {900_000, 1_300_000, 1_700_000},
                };
                tracks.add(new AllocatableTrack("v" + i, MediaKind.VIDEO, i, 2, 2, rates));
                tracks.add(AllocatableTrack.audio("a" + i, 40_000));
                wanted += 1_700_000 + 40_000;
            }
            estimateBps = wanted / 2;
        }
    }

    @Benchmark
    public int selectorOnPacket() {
        int s = step++;
        int frame = s / 3;
        int layer = s % 3;
        int tid = TIDS[frame & 3];
        boolean key = frame % 1000 == 0;  // a key frame on every layer every 1000 frames
        Decision d = selector.onPacket(layer, tid, tid > 0, key, true, true);
        decisions[d.ordinal()]++;
        return d.ordinal();
    }

    @Benchmark
    public boolean rewriteForwarded() {
        System.arraycopy(template, 0, packet, 0, HEADER);
        Bytes.writeUint16(packet, 2, inSeq);
        Bytes.writeUint32(packet, 4, inTs);
        int d = 12 + BenchPackets.EXTENSION_BLOCK;
        packet[d + 2] = (byte) (0x80 | ((pictureId >> 8) & 0x7F));
        packet[d + 3] = (byte) pictureId;
        inSeq = (inSeq + 1) & 0xFFFF;
        inTs = (inTs + 3000) & 0xFFFFFFFFL;
        pictureId = (pictureId + 1) & 0x7FFF;
        boolean ok = rewriter.rewrite(packet, 0, HEADER, 2, false, 0);
        if (!ok) {
            rewriteFailures++;
        }
        return ok;
    }

    @Benchmark
    public Allocation allocate(Subscriber s) {
        return s.allocator.allocate(s.estimateBps, s.tracks, s.nowNanos += 100_000_000L);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (rewriteFailures != 0) {
            throw new IllegalStateException(rewriteFailures + " rewrites refused the packet");
        }
        if (step > 0 && (decisions[Decision.FORWARD.ordinal()] == 0 || decisions[Decision.DROP_OTHER_LAYER.ordinal()] == 0
                || decisions[Decision.DROP_TEMPORAL_LAYER.ordinal()] == 0)) {
            throw new IllegalStateException("the selector's cycle does not exercise forward and both drops: "
                    + java.util.Arrays.toString(decisions));
        }
    }
}
