package org.medibridge.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerMetricsTest {
    private static final double[] BOUNDS = {0.00001, 0.00002, 0.00005, 0.0001};

    /** Cumulative bucket counts at BOUNDS, the +Inf count, a quantile, the expected upper bound. */
    static Stream<Arguments> quantiles() {
        return Stream.of(
                Arguments.of(new double[] {0, 0, 0, 0}, 0, 0.5, Double.NaN), // no samples
                Arguments.of(new double[] {100, 100, 100, 100}, 100, 0.99, 0.00001), // all in the first bucket
                Arguments.of(new double[] {50, 99, 100, 100}, 100, 0.5, 0.00001), // rank 50 reached at 10 µs
                Arguments.of(new double[] {49, 99, 100, 100}, 100, 0.5, 0.00002), // rank 50 only at 20 µs
                Arguments.of(new double[] {49, 98, 100, 100}, 100, 0.99, 0.00005), // rank 99 at 50 µs
                Arguments.of(new double[] {0, 0, 0, 1}, 1, 0.5, 0.0001), // one sample, rank ≥ 1
                Arguments.of(new double[] {90, 95, 98, 98}, 100, 0.99, Double.POSITIVE_INFINITY)); // above 100 µs
    }

    @ParameterizedTest
    @MethodSource("quantiles")
    void quantileIsTheUpperBoundOfTheBucketReachingTheRank(double[] cumulative, double count, double q, double expected) {
        ServerMetrics.HistogramDelta h = new ServerMetrics.HistogramDelta(BOUNDS, cumulative, count, 0);
        assertThat(Double.valueOf(h.quantileUpperBound(q))).isEqualTo(Double.valueOf(expected)); // boxed: NaN equals NaN
    }

    @Test
    void deltaOfTwoScrapesSubtractsEveryBucketAndOrdersBoundsNumerically() {
        String n = ServerMetrics.FORWARD_LATENCY;
        Map<String, Double> start = new TreeMap<>(Map.of(
                n + "_bucket{le=\"0.00002\"}", 5.0, n + "_bucket{le=\"0.0001\"}", 8.0,
                n + "_bucket{le=\"+Inf\"}", 10.0, n + "_count", 10.0, n + "_sum", 0.001));
        Map<String, Double> end = new TreeMap<>(Map.of(
                n + "_bucket{le=\"0.00002\"}", 55.0, n + "_bucket{le=\"0.0001\"}", 107.0,
                n + "_bucket{le=\"0.000005\"}", 1.0, // new in the end scrape: counts from zero
                n + "_bucket{le=\"+Inf\"}", 110.0, n + "_count", 110.0, n + "_sum", 0.004));
        ServerMetrics.HistogramDelta d = ServerMetrics.histogramDelta(start, end, n);
        assertThat(d.upperBounds()).containsExactly(0.000005, 0.00002, 0.0001);
        assertThat(d.cumulative()).containsExactly(1, 50, 99);
        assertThat(d.count()).isEqualTo(100);
        assertThat(d.quantileUpperBound(0.5)).isEqualTo(0.00002);
        assertThat(d.quantileUpperBound(0.99)).isEqualTo(0.0001);
        assertThat(d.quantileUpperBound(0.999)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(d.meanSeconds()).isCloseTo(0.00003, within(1e-12));
    }

    @Test
    void noHistogramInTheScrapeGivesNull() {
        assertThat(ServerMetrics.histogramDelta(Map.of(), Map.of("medibridge_other_total", 1.0),
                ServerMetrics.FORWARD_LATENCY)).isNull();
    }
}
