package org.medibridge.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medibridge.router.LatencyHistogram;

class PrometheusHistogramTest {
    @ParameterizedTest
    @CsvSource({"0, 0", "1000, 0.000001", "2000, 0.000002", "1000000, 0.001", "100000000, 0.1",
        "1500000000, 1.5", "123456789, 0.123456789"})
    void seconds(long nanos, String text) {
        assertThat(PrometheusHistogram.seconds(nanos)).isEqualTo(text);
    }

    @Test
    void bucketsAreCumulativeInSecondsAndCountEqualsInf() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(800);            // le 1 µs
        h.record(40_000);         // le 50 µs
        h.record(40_000);
        h.record(700_000_000);    // +Inf
        StringBuilder b = new StringBuilder();
        PrometheusHistogram.append(b, "medibridge_forward_latency_seconds", "Receive to send", h.snapshot());
        String text = b.toString();
        assertThat(text).startsWith("# HELP medibridge_forward_latency_seconds Receive to send\n"
                + "# TYPE medibridge_forward_latency_seconds histogram\n"
                + "medibridge_forward_latency_seconds_bucket{le=\"0.000001\"} 1\n"
                + "medibridge_forward_latency_seconds_bucket{le=\"0.000002\"} 1\n");
        assertThat(text).contains("medibridge_forward_latency_seconds_bucket{le=\"0.00002\"} 1\n"
                + "medibridge_forward_latency_seconds_bucket{le=\"0.00005\"} 3\n");
        assertThat(text).endsWith("medibridge_forward_latency_seconds_bucket{le=\"0.1\"} 3\n"
                + "medibridge_forward_latency_seconds_bucket{le=\"+Inf\"} 4\n"
                + "medibridge_forward_latency_seconds_sum 0.7000808\n"
                + "medibridge_forward_latency_seconds_count 4\n");
        assertThat(text.lines().filter(l -> l.contains("_bucket{")).count()).isEqualTo(LatencyHistogram.BUCKETS);
    }
}
