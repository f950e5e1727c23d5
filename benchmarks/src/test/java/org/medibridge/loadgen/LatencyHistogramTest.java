package org.medibridge.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyHistogramTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 63, 64, 65, 127, 128, 1000, 4095, 50_000, 123_456_789, 1L << 40})
    void aValueFallsInABucketWhoseLowerBoundIsWithinTwoPercentBelowIt(long v) {
        long lower = LatencyHistogram.lowerBound(LatencyHistogram.index(v));
        long cap = LatencyHistogram.lowerBound(LatencyHistogram.index(Long.MAX_VALUE));
        assertThat(lower).isLessThanOrEqualTo(v);
        if (v < cap) {
            assertThat((double) (v - lower)).isLessThanOrEqualTo(v / 64.0);
        }
    }

    @Test
    void bucketsAreContiguousAndIncreasing() {
        for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
            assertThat(LatencyHistogram.lowerBound(i)).isGreaterThan(LatencyHistogram.lowerBound(i - 1));
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i))).isEqualTo(i);
            assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(i) - 1)).isEqualTo(i - 1);
        }
    }

    @Test
    void percentilesOfOneToTenThousand() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 10_000; v++) {
            h.record(v);
        }
        assertThat((double) h.percentileMicros(0.5)).isCloseTo(5000, within(5000 / 64.0));
        assertThat((double) h.percentileMicros(0.99)).isCloseTo(9900, within(9900 / 64.0));
        assertThat(h.maxInWindowMicros()).isBetween(10_000L, 10_000L + 10_000 / 64);
    }

    @Test
    void aWindowIsTheDifferenceOfTwoCopies() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            h.record(10);
        }
        LatencyHistogram start = h.copy();
        for (int i = 0; i < 100; i++) {
            h.record(2000);
        }
        LatencyHistogram window = h.minus(start);
        assertThat(window.total()).isEqualTo(100);
        assertThat(window.percentileMicros(0.01)).isBetween(1984L, 2000L);
    }
}
