package org.medibridge.signaling;

import java.math.BigDecimal;
import org.medibridge.router.LatencyHistogram;

/**
 * Writes a {@link LatencyHistogram.Snapshot} in the Prometheus text exposition format (version
 * 0.0.4): cumulative {@code _bucket} series with {@code le} in seconds, the last {@code le="+Inf"},
 * then {@code _sum} (seconds) and {@code _count}, which equals the {@code +Inf} bucket.
 */
final class PrometheusHistogram {
    private PrometheusHistogram() {
    }

    static void append(StringBuilder b, String name, String help, LatencyHistogram.Snapshot s) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            long bound = LatencyHistogram.upperBoundNanos(i);
            String le = bound == Long.MAX_VALUE ? "+Inf" : seconds(bound);
            b.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(s.cumulative(i)).append('\n');
        }
        b.append(name).append("_sum ").append(seconds(s.sumNanos())).append('\n');
        b.append(name).append("_count ").append(s.count()).append('\n');
    }

    /** Nanoseconds as seconds, exactly and without an exponent: 1000 → "0.000001". */
    static String seconds(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
