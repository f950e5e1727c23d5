package org.medibridge.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scrapes the server's Prometheus text at /metrics and sums each metric over its labels. */
final class ServerMetrics {
    private ServerMetrics() {
    }

    /** Metric name (with labels, and a "name" total) → value; empty when /metrics is unreachable. */
    static Map<String, Double> scrape(HttpClient http, URI metricsUrl) {
        Map<String, Double> out = new TreeMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return out;
            }
            for (String line : r.body().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                if (sp < 0) {
                    continue;
                }
                String key = line.substring(0, sp);
                double v;
                try {
                    v = Double.parseDouble(line.substring(sp + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                out.put(key, v);
                int brace = key.indexOf('{');
                if (brace > 0) {
                    out.merge(key.substring(0, brace), v, Double::sum);
                }
            }
        } catch (Exception e) {
            // best effort: the figures that need /metrics are reported as missing
        }
        return out;
    }

    /** end − start for every key of end (counters). */
    static Map<String, Double> delta(Map<String, Double> start, Map<String, Double> end) {
        Map<String, Double> d = new TreeMap<>();
        end.forEach((k, v) -> {
            double diff = v - start.getOrDefault(k, 0.0);
            if (diff != 0) {
                d.put(k, diff);
            }
        });
        return d;
    }

    /** The server-internal receive → send latency histogram (seconds, cumulative buckets). */
    static final String FORWARD_LATENCY = "medibridge_forward_latency_seconds";

    /**
     * The change of one Prometheus histogram over a window: finite upper bounds (seconds, ascending)
     * with the cumulative count at each, plus the +Inf count (= count) and the sum.
     */
    record HistogramDelta(double[] upperBounds, double[] cumulative, double count, double sum) {
        /**
         * Upper bound (seconds) of the bucket holding the q-quantile: the smallest le whose
         * cumulative count reaches ceil(q × count). +Inf when it lies above the last finite bound,
         * NaN when the window has no samples. Prometheus buckets only bound a value from above.
         */
        double quantileUpperBound(double q) {
            if (count <= 0) {
                return Double.NaN;
            }
            double rank = Math.max(1, Math.ceil(q * count));
            for (int i = 0; i < upperBounds.length; i++) {
                if (cumulative[i] >= rank) {
                    return upperBounds[i];
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        double meanSeconds() {
            return count <= 0 ? Double.NaN : sum / count;
        }
    }

    /** end − start of histogram {@code name} in two scrapes; null when end has no such histogram. */
    static HistogramDelta histogramDelta(Map<String, Double> start, Map<String, Double> end, String name) {
        String prefix = name + "_bucket{le=\"";
        TreeMap<Double, Double> buckets = new TreeMap<>();
        end.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.endsWith("\"}")) {
                String le = k.substring(prefix.length(), k.length() - 2);
                if (!le.equals("+Inf")) {
                    buckets.put(Double.parseDouble(le), v - start.getOrDefault(k, 0.0));
                }
            }
        });
        Double countEnd = end.get(name + "_count");
        if (countEnd == null) {
            return null;
        }
        List<Double> bounds = new ArrayList<>(buckets.keySet());
        double[] ub = new double[bounds.size()];
        double[] cum = new double[bounds.size()];
        for (int i = 0; i < ub.length; i++) {
            ub[i] = bounds.get(i);
            cum[i] = buckets.get(bounds.get(i));
        }
        return new HistogramDelta(ub, cum, countEnd - start.getOrDefault(name + "_count", 0.0),
                end.getOrDefault(name + "_sum", 0.0) - start.getOrDefault(name + "_sum", 0.0));
    }
}
