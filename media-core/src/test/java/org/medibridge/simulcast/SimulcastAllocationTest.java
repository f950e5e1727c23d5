package org.medibridge.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Pins "layer selection and rewriting allocate nothing per packet" (issue 4, item 8): the warm
 * per-packet chain — LayerBitrates, LayerSelector, SimulcastRewriter, with switches, temporal
 * drops and pauses along the way — measured with the thread's allocated-bytes counter.
 */
class SimulcastAllocationTest {
    static final int WARMUP_INSTANTS = 30_000;
    static final int MEASURED_INSTANTS = 20_000;
    static final int ROUNDS = 3;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void theWarmChainAllocatesNothing() {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        THREADS.setThreadAllocatedMemoryEnabled(true);
        SimulcastHarness h = new SimulcastHarness(new SimulcastSource(99, true), 1, 0, false);
        long self = Thread.currentThread().getId();
        run(h, WARMUP_INSTANTS);
        long least = Long.MAX_VALUE;
        long packets = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long before = h.rewriter.packetsRewritten() + h.selector.count(Decision.DROP_OTHER_LAYER);
            long t0 = THREADS.getThreadAllocatedBytes(self);
            run(h, MEASURED_INSTANTS);
            long t1 = THREADS.getThreadAllocatedBytes(self);
            least = Math.min(least, t1 - t0);
            packets = h.rewriter.packetsRewritten() + h.selector.count(Decision.DROP_OTHER_LAYER) - before;
        }
        System.out.printf("simulcast chain: %d bytes over %d instants (%d packets at least)%n",
                least, MEASURED_INSTANTS, packets);
        assertThat(h.selector.spatialSwitches()).isGreaterThan(100);
        assertThat(packets).isGreaterThan(100_000);
        assertThat((double) least / packets).as("bytes allocated per packet").isLessThan(0.01);
    }

    /** Changes the target every 50 instants through a fixed cycle: no allocation in the driver either. */
    private static void run(SimulcastHarness h, int instants) {
        for (int i = 0; i < instants; i++) {
            int phase = (int) ((h.source.nowNanos / SimulcastSource.FRAME_NANOS) / 50 % 7);
            switch (phase) {
                case 0 -> h.selector.setTarget(2, 2);
                case 1 -> h.selector.setTarget(0, 1);
                case 2 -> h.selector.setTarget(1, 0);
                case 3 -> h.selector.pause();
                case 4 -> h.selector.setTarget(1, 2);
                case 5 -> h.selector.setTarget(2, 0);
                default -> h.selector.setTarget(0, 2);
            }
            h.step();
        }
    }
}
