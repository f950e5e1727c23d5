package org.medibridge.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grouping, trendline and detector on synthetic one-way delay curves: a packet every 10 ms whose
 * queuing delay follows a ramp (ms of extra delay per packet), optionally with alternating jitter.
 */
class TrendlineOveruseTest {
    private static final long MS = 1_000_000L;

    static Stream<Arguments> ramps() {
        return Stream.of(
                // delay ramp ms/packet, jitter ± ms, states that must appear, states that must not
                Arguments.of(0.0, 0.0, EnumSet.of(BandwidthUsage.NORMAL),
                        EnumSet.of(BandwidthUsage.OVERUSING, BandwidthUsage.UNDERUSING)),
                Arguments.of(0.0, 2.0, EnumSet.of(BandwidthUsage.NORMAL),
                        EnumSet.of(BandwidthUsage.OVERUSING)),           // jitter without trend
                Arguments.of(0.1, 0.0, EnumSet.of(BandwidthUsage.NORMAL),
                        EnumSet.of(BandwidthUsage.OVERUSING)),           // 1 % slope: below threshold
                Arguments.of(1.0, 0.0, EnumSet.of(BandwidthUsage.OVERUSING),
                        EnumSet.of(BandwidthUsage.UNDERUSING)),          // queue grows 10 %
                Arguments.of(2.0, 1.0, EnumSet.of(BandwidthUsage.OVERUSING),
                        EnumSet.of(BandwidthUsage.UNDERUSING)),          // steep, with jitter
                Arguments.of(-1.0, 0.0, EnumSet.of(BandwidthUsage.UNDERUSING),
                        EnumSet.of(BandwidthUsage.OVERUSING)));          // queue drains
    }

    @ParameterizedTest(name = "ramp {0} ms/packet, jitter ±{1} ms -> sees {2}, never {3}")
    @MethodSource("ramps")
    void detectorClassifiesDelayRamps(double rampMs, double jitterMs,
                                      Set<BandwidthUsage> expected, Set<BandwidthUsage> forbidden) {
        PacketGroupDeltas groups = new PacketGroupDeltas();
        TrendlineEstimator trendline = new TrendlineEstimator();
        OveruseDetector detector = new OveruseDetector();
        Set<BandwidthUsage> seen = EnumSet.noneOf(BandwidthUsage.class);
        double queueMs = 500;                              // room to drain for the negative ramp
        for (int i = 0; i < 150; i++) {
            long send = i * 10 * MS;
            queueMs = Math.max(0, queueMs + rampMs);
            double jitter = (i % 2 == 0 ? 1 : -1) * jitterMs;
            long arrival = send + 20 * MS + (long) ((queueMs + jitter) * MS);
            if (groups.add(send, arrival)) {
                trendline.update(groups.arrivalDeltaNanos(), groups.sendDeltaNanos(), groups.lastGroupArrivalNanos());
                seen.add(detector.detect(trendline.modifiedTrend(), trendline.trend(),
                        groups.sendDeltaNanos() / 1e6, trendline.numDeltas(), groups.lastGroupArrivalNanos()));
            }
        }
        assertThat(seen).containsAll(expected).doesNotContainAnyElementsOf(forbidden);
    }

    static Stream<Arguments> groupings() {
        return Stream.of(
                // send offsets (ms), arrival offsets (ms), how many of them fall in the first group
                Arguments.of(new long[] {0, 2, 4}, new long[] {20, 22, 24}, 3),  // within 5 ms of the first send
                Arguments.of(new long[] {0, 6}, new long[] {20, 26}, 1),         // 6 ms later: a new group
                Arguments.of(new long[] {0, 8}, new long[] {20, 21}, 2));        // arrived in a burst: merged
    }

    @ParameterizedTest(name = "sends {0} arrivals {1} -> {2} in the first group")
    @MethodSource("groupings")
    void packetsSentWithinFiveMillisecondsOrArrivingInABurstFormOneGroup(long[] sendMs, long[] arrivalMs, int grouped) {
        PacketGroupDeltas groups = new PacketGroupDeltas();
        for (int i = 0; i < sendMs.length; i++) {
            groups.add(sendMs[i] * MS, arrivalMs[i] * MS);
        }
        // Two more groups, 50 ms apart: the second closes the first group, the third yields its delta.
        groups.add(50 * MS, 100 * MS);
        boolean produced = groups.add(100 * MS, 150 * MS);
        assertThat(produced).isTrue();
        // That delta runs from the group holding the last listed packet to the group at 50 ms;
        // a group's send time is its last packet's.
        assertThat(groups.sendDeltaNanos()).isEqualTo(50 * MS - sendMs[sendMs.length - 1] * MS);
        if (grouped < sendMs.length) {
            // Split: the first group closed when the next packet came, so the listed packets
            // alone produced a delta already; check it by replaying them.
            PacketGroupDeltas replay = new PacketGroupDeltas();
            for (int i = 0; i < sendMs.length; i++) {
                replay.add(sendMs[i] * MS, arrivalMs[i] * MS);
            }
            assertThat(replay.add(50 * MS, 100 * MS)).as("two groups closed, one delta").isTrue();
            assertThat(replay.sendDeltaNanos()).isEqualTo((sendMs[grouped] - sendMs[grouped - 1]) * MS);
        }
    }
}
