package org.medibridge.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The console table and the JSON file of a {@link LoadGen.Result}. */
final class Report {
    private Report() {
    }

    static void print(LoadGen.Result r, LoadGenOptions o, PrintStream out) {
        out.println();
        out.printf("%-6s %-5s %-7s %-9s %-9s %-8s %-8s %-8s %-8s %-8s %-9s %-9s %-10s %-10s %-10s %-9s%n",
                "rooms", "P", "secs", "recv pkts", "loss %", "p50 ms", "p99 ms", "max ms", "srv cores",
                "lg cores", "srv µs/pk", "x floor", "calls/core", "in-srv p50", "in-srv p99", "in-srv avg");
        for (int i = 0; i < r.steps().size(); i++) {
            Measurement m = r.steps().get(i);
            LatencyHistogram h = m.latency(null);
            double perPacket = m.serverCpuNanosPerForwardedPacket();
            double ratio = r.floor() != null && perPacket > 0 ? perPacket / r.floor().nanosAt(m.meanForwardedPacketBytes()) : -1;
            ServerMetrics.HistogramDelta sl = m.serverLatency;
            out.printf("%-6d %-5d %-7.1f %-9d %-9.3f %-8.2f %-8.2f %-8.2f %-9s %-8.2f %-9s %-9s %-10s %-10s %-10s %-9s%s%n",
                    m.rooms, m.participantsPerRoom, m.seconds, m.packetsReceived(), m.lossPercent(null),
                    h.percentileMicros(0.5) / 1000.0, h.percentileMicros(0.99) / 1000.0, h.maxInWindowMicros() / 1000.0,
                    fmt(m.serverCores()), m.loadgenCores(), fmt(perPacket / 1000), fmt(ratio),
                    m.serverCores() > 0 ? fmt(m.rooms / m.serverCores()) : "-",
                    upTo(sl, 0.5), upTo(sl, 0.99),
                    sl == null || Double.isNaN(sl.meanSeconds()) ? "-" : String.format("%.1fµs", sl.meanSeconds() * 1e6),
                    i == r.lastGoodStep() && r.steps().size() > 1 ? "  <- last good" : "");
        }
        Measurement main = r.main();
        if (main != null && main.rows.size() <= 40) {
            out.println();
            out.printf("%-14s %-4s %-6s %-14s %-9s %-8s %-9s %-9s %-8s %-8s %-8s%n",
                    "subscriber", "mid", "kind", "from", "kbps", "packets", "seqloss%", "cntloss%", "p50 ms", "p99 ms", "max ms");
            List<Measurement.TrackRow> rows = new ArrayList<>(main.rows);
            rows.sort(Comparator.comparing((Measurement.TrackRow t) -> t.subscriber()).thenComparing(t -> t.mid()));
            for (Measurement.TrackRow t : rows) {
                TrackReceiver.Snapshot w = t.window();
                out.printf("%-14s %-4s %-6s %-14s %-9.1f %-8d %-9.3f %-9.3f %-8.2f %-8.2f %-8.2f%n",
                        t.subscriber(), t.mid(), t.kind(), t.from(), w.bitrateKbps(), w.packets(), w.seqLossPercent(),
                        w.counterLossPercent(), w.latency().percentileMicros(0.5) / 1000.0,
                        w.latency().percentileMicros(0.99) / 1000.0, w.latency().maxInWindowMicros() / 1000.0);
            }
        }
        out.println();
        out.println("in-srv: the server's own receive → send latency per forwarded packet (/metrics "
                + ServerMetrics.FORWARD_LATENCY + "), p50/p99 as bucket upper bounds");
        out.println("stop: " + r.stopReason());
        if (main != null && main.serverInProcess) {
            out.println("note: the server runs in this process: its CPU figures include the load generator's");
        }
        if (!r.errors().isEmpty()) {
            out.println("errors (" + r.errors().size() + "), first ones:");
            r.errors().stream().limit(10).forEach(e -> out.println("  " + e));
        }
    }

    static void writeJson(LoadGen.Result r, LoadGenOptions o, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "medibridge-loadgen");
        root.put("time", Instant.now().toString());
        root.put("url", o.url.toString());
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("serverPid", r.serverPid());
        Map<String, Object> media = new LinkedHashMap<>();
        media.put("audioPayloadBytes", o.media.audioPayloadBytes());
        media.put("audioPacketsPerSecond", MediaProfile.AUDIO_PACKETS_PER_SECOND);
        media.put("layerKbps", o.media.layerKbps());
        media.put("fps", o.media.fps());
        media.put("keyframeIntervalMillis", o.media.keyframeIntervalMillis());
        media.put("renderSize", o.renderSize == null ? null : o.renderSize[0] + "x" + o.renderSize[1]);
        root.put("media", media);
        if (r.floor() != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("srtpProfile", r.floor().srtpProfile());
            for (Floor.Point p : List.of(r.floor().small(), r.floor().large())) {
                Map<String, Object> pt = new LinkedHashMap<>();
                pt.put("udpSendReceiveMicros", Measurement.round(p.udpNanos() / 1000));
                pt.put("srtpProtectUnprotectMicros", Measurement.round(p.srtpNanos() / 1000));
                pt.put("totalMicros", Measurement.round(p.totalNanos() / 1000));
                f.put(p.bytes() + "B", pt);
            }
            root.put("floorPerPacket", f);
        }
        List<Object> steps = new ArrayList<>();
        for (Measurement m : r.steps()) {
            steps.add(m.toJson(r.floor()));
        }
        root.put("steps", steps);
        root.put("lastGoodStep", r.lastGoodStep());
        root.put("stopReason", r.stopReason());
        root.put("errors", r.errors());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    /** A histogram quantile as "≤X µs" (its bucket's upper bound), or ">X µs" above the last finite bound. */
    static String upTo(ServerMetrics.HistogramDelta h, double q) {
        double seconds = h == null ? Double.NaN : h.quantileUpperBound(q);
        if (Double.isNaN(seconds)) {
            return "-";
        }
        if (Double.isInfinite(seconds)) {
            return h.upperBounds().length == 0 ? "-" : ">" + micros(h.upperBounds()[h.upperBounds().length - 1]);
        }
        return "≤" + micros(seconds);
    }

    private static String micros(double seconds) {
        return new BigDecimal(seconds * 1e6).round(new MathContext(6)).stripTrailingZeros().toPlainString() + "µs";
    }

    private static String fmt(double v) {
        return v < 0 ? "-" : String.format("%.2f", v);
    }
}
