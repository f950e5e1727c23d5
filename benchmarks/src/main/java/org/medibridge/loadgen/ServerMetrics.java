package org.medibridge.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
}
