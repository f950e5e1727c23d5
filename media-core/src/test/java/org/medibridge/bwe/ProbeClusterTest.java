package org.medibridge.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.bwe.LinkSimulation.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schedule of a probe cluster, and what the estimator measures from it. */
class ProbeClusterTest {
    /** 12-byte header, 12-byte extension block (abs-send-time, transport-cc), 255 bytes of padding. */
    static final int PROBE_PACKET = 279;

    @ParameterizedTest(name = "{0} bit/s of {1}-byte packets -> {2} packets, {3} ns apart")
    @CsvSource({
            // rate,     size, packets, interval ns  (span = (packets-1) * interval >= 15 ms)
            "600000,     279,  6,       3720000",   // 5 intervals of 3.72 ms: 18.6 ms
            "1000000,    279,  8,       2232000",   // 7 x 2.232 = 15.6 ms
            "2500000,    279,  18,      892800",    // 17 x 0.89 = 15.2 ms
            "7500000,    279,  52,      297600",    // 51 x 0.30 = 15.2 ms
            "10000000,   279,  69,      223200",    // 68 x 0.22 = 15.2 ms
            "200000,     279,  5,       11160000",  // the minimum count wins: 44.6 ms
            "3000000,    1200, 6,       3200000",   // media-sized packets
    })
    void packetsAndSpacingMakeTheRateLastFifteenMilliseconds(long rate, int size, int packets, long interval) {
        ProbeCluster c = new ProbeCluster();
        c.start(rate, size, 1_000 * MS);
        assertThat(c.packets()).isEqualTo(packets).isEqualTo(ProbeCluster.packetCount(rate, size));
        assertThat(c.intervalNanos()).isEqualTo(interval);
        assertThat(c.spanNanos()).isGreaterThanOrEqualTo(ProbeController.CLUSTER_DURATION_NANOS);
        assertThat(c.packets()).isGreaterThanOrEqualTo(ProbeController.CLUSTER_MIN_PACKETS);
        // What ProbeBitrateEstimator computes from packets sent on schedule: the probe rate.
        double measured = (packets - 1) * size * 8e9 / c.spanNanos();
        assertThat(measured).isBetween(0.999 * rate, 1.001 * rate);
    }

    @Test
    void dueFollowsTheScheduleAndTheClusterEnds() {
        ProbeCluster c = new ProbeCluster();
        long t0 = 5_000 * MS;
        c.start(1_000_000, PROBE_PACKET, t0);            // 8 packets, 2.232 ms apart
        assertThat(c.due(t0 - 1)).isZero();
        assertThat(c.due(t0)).isEqualTo(1);
        List<Long> sends = new ArrayList<>();
        for (long t = t0; c.active(); t += MS) {        // a timer with 1 ms granularity
            for (int n = c.due(t); n > 0; n--) {
                sends.add(t);
                c.onSent();
            }
        }
        assertThat(sends).hasSize(8);
        assertThat(sends.get(7) - sends.get(0)).isBetween(15 * MS, 17 * MS);
        assertThat(c.due(t0 + 1_000 * MS)).as("nothing after the end").isZero();
        assertThat(c.active()).isFalse();
    }

    @Test
    void wakingLateSendsTheBacklogAtOnceAndEachClusterHasANewId() {
        ProbeCluster c = new ProbeCluster();
        assertThat(c.id()).isEqualTo(PacketResult.NOT_PROBE);
        int first = c.start(2_500_000, PROBE_PACKET, 0);
        assertThat(c.due(3 * MS)).as("late for the first packet: the schedule starts now").isEqualTo(1);
        c.onSent();
        assertThat(c.nextSendNanos()).isEqualTo(3 * MS + 892_800L);
        assertThat(c.due(3 * MS + 5 * MS)).isEqualTo(5);  // 3.89, 4.79, ... 7.46 ms: overdue ones go together
        for (int i = 0; i < 5; i++) {
            c.onSent();
        }
        assertThat(c.nextSendNanos()).isEqualTo(3 * MS + 6 * 892_800L);
        assertThat(c.due(1_000 * MS)).isEqualTo(12);      // capped at the cluster's size
        int second = c.start(600_000, PROBE_PACKET, 2_000 * MS);
        assertThat(second).isNotEqualTo(first).isGreaterThanOrEqualTo(0);
        c.abandon();
        assertThat(c.active()).isFalse();
        assertThat(c.due(3_000 * MS)).isZero();
    }
}
