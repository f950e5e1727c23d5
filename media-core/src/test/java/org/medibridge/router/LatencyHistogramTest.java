package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @ParameterizedTest(name = "{0} ns -> bucket {1}")
    @CsvSource({
        // nanos,       bucket  (upper bounds are inclusive, as Prometheus' le)
        "0,             0",
        "999,           0",
        "1000,          0",     // 1 µs
        "1001,          1",
        "2000,          1",     // 2 µs
        "2001,          2",
        "5000,          2",     // 5 µs
        "7500,          3",     // (5, 10] µs
        "150000,        7",     // (100, 200] µs
        "999999,        9",     // (500 µs, 1 ms]
        "1000000,       9",     // 1 ms: the target's bucket
        "1000001,       10",
        "100000000,     15",    // 100 ms: the last bounded bucket
        "100000001,     16",    // above: the +Inf bucket
        "9223372036854775807, 16",
    })
    void bucketOf(long nanos, int bucket) {
        assertThat(LatencyHistogram.bucketOf(nanos)).isEqualTo(bucket);
    }

    @Test
    void boundsAreOneTwoFivePerDecadeFromOneMicrosecondToOneHundredMilliseconds() {
        assertThat(LatencyHistogram.BUCKETS).isEqualTo(17);
        assertThat(LatencyHistogram.upperBoundNanos(0)).isEqualTo(1_000);
        assertThat(LatencyHistogram.upperBoundNanos(15)).isEqualTo(100_000_000);
        assertThat(LatencyHistogram.upperBoundNanos(16)).isEqualTo(Long.MAX_VALUE);
        for (int i = 1; i < LatencyHistogram.BOUNDS_NANOS.length; i++) {
            long ratio10 = LatencyHistogram.BOUNDS_NANOS[i] * 10 / LatencyHistogram.BOUNDS_NANOS[i - 1];
            assertThat(ratio10).as("bound %d / bound %d", i, i - 1).isIn(20L, 25L);
        }
    }

    @Test
    void recordCountsSumsAndCumulates() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(500);           // bucket 0
        h.record(1_500);         // bucket 1
        h.record(1_500);         // bucket 1
        h.record(3_000_000);     // bucket 11 (2, 5] ms
        h.record(-40);           // a clock that ran ahead counts as 0
        h.record(200_000_000);   // +Inf
        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.counts()).containsExactly(2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        assertThat(s.count()).isEqualTo(6);
        assertThat(s.sumNanos()).isEqualTo(500 + 1_500 + 1_500 + 3_000_000 + 200_000_000);
        assertThat(s.cumulative(0)).isEqualTo(2);
        assertThat(s.cumulative(1)).isEqualTo(4);
        assertThat(s.cumulative(10)).isEqualTo(4);
        assertThat(s.cumulative(15)).isEqualTo(5);
        assertThat(s.cumulative(16)).isEqualTo(s.count());

        LatencyHistogram.Snapshot twice = s.plus(s);
        assertThat(twice.count()).isEqualTo(12);
        assertThat(twice.sumNanos()).isEqualTo(2 * s.sumNanos());
        assertThat(twice.counts()[11]).isEqualTo(2);
        assertThat(s.counts()[11]).as("plus leaves its operands alone").isEqualTo(1);
    }
}
