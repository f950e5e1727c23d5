package org.medibridge.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured window (the hold, or one ramp step): what every subscriber received per track,
 * and the CPU the SFU and the load generator spent meanwhile.
 */
final class Measurement {
    /** Cumulative state at one instant. */
    static final class Mark {
        final long nanos = System.nanoTime();
        final long serverCpuNanos;
        final long loadgenCpuNanos;
        final long packetsSent;
        final Map<TrackReceiver, TrackReceiver.Snapshot> tracks = new IdentityHashMap<>();
        final Map<String, Double> metrics;

        Mark(List<Participant> participants, long serverPid, HttpClient http, URI metricsUrl) {
            long sent = 0;
            for (Participant p : participants) {
                for (TrackReceiver r : p.byMid.values()) {
                    tracks.put(r, r.snapshot());
                }
                Publisher pub = p.publisher();
                if (pub != null) {
                    sent += pub.packetsSent.get();
                }
            }
            this.packetsSent = sent;
            this.serverCpuNanos = serverPid > 0 ? ProcessCpu.cpuNanos(serverPid) : -1;
            this.loadgenCpuNanos = ProcessCpu.cpuNanos(ProcessHandle.current().pid());
            this.metrics = ServerMetrics.scrape(http, metricsUrl);
        }
    }

    /** One subscriber's view of one remote track over the window. */
    record TrackRow(String subscriber, String room, String mid, String kind, String from,
                    TrackReceiver.Snapshot window) {
    }

    final int rooms;
    final int participantsPerRoom;
    final double seconds;
    final List<TrackRow> rows = new ArrayList<>();
    final long packetsSent;
    final long serverCpuNanos;
    final long loadgenCpuNanos;
    final boolean serverInProcess;
    final Map<String, Double> metricsDelta;
    /** The server's own receive → send latency histogram over the window; null without /metrics. */
    final ServerMetrics.HistogramDelta serverLatency;

    Measurement(int rooms, int participantsPerRoom, List<Participant> participants, Mark start, Mark end,
                boolean serverInProcess) {
        this.rooms = rooms;
        this.participantsPerRoom = participantsPerRoom;
        this.seconds = (end.nanos - start.nanos) / 1e9;
        for (Participant p : participants) {
            for (TrackReceiver r : p.activeTracks()) {
                TrackReceiver.Snapshot e = end.tracks.get(r);
                if (e != null) {
                    rows.add(new TrackRow(p.name, p.room, r.mid, r.kind, r.fromParticipant, e.minus(start.tracks.get(r))));
                }
            }
        }
        this.packetsSent = end.packetsSent - start.packetsSent;
        this.serverCpuNanos = start.serverCpuNanos >= 0 && end.serverCpuNanos >= 0 ? end.serverCpuNanos - start.serverCpuNanos : -1;
        this.loadgenCpuNanos = end.loadgenCpuNanos - start.loadgenCpuNanos;
        this.serverInProcess = serverInProcess;
        this.metricsDelta = ServerMetrics.delta(start.metrics, end.metrics);
        this.serverLatency = ServerMetrics.histogramDelta(start.metrics, end.metrics, ServerMetrics.FORWARD_LATENCY);
    }

    long packetsReceived() {
        return rows.stream().mapToLong(r -> r.window.packets()).sum();
    }

    long bytesReceived() {
        return rows.stream().mapToLong(r -> r.window.bytes()).sum();
    }

    /** Loss over all tracks of a kind (null = all): the worse of sequence and counter loss, pooled. */
    double lossPercent(String kind) {
        long seqExp = 0, seqGot = 0, cntExp = 0, cntGot = 0;
        for (TrackRow r : rows) {
            if (kind == null || kind.equals(r.kind)) {
                seqExp += r.window.seqExpected();
                seqGot += r.window.packets();
                cntExp += r.window.counterExpected();
                cntGot += r.window.stamped();
            }
        }
        double seq = seqExp <= 0 ? 0 : Math.max(0, seqExp - seqGot) * 100.0 / seqExp;
        double cnt = cntExp <= 0 ? 0 : Math.max(0, cntExp - cntGot) * 100.0 / cntExp;
        return Math.max(seq, cnt);
    }

    LatencyHistogram latency(String kind) {
        LatencyHistogram h = new LatencyHistogram();
        for (TrackRow r : rows) {
            if (kind == null || kind.equals(r.kind)) {
                h.add(r.window.latency());
            }
        }
        return h;
    }

    double serverCores() {
        return serverCpuNanos < 0 ? -1 : serverCpuNanos / 1e9 / seconds;
    }

    double loadgenCores() {
        return loadgenCpuNanos / 1e9 / seconds;
    }

    /** SFU CPU per forwarded packet (forwarded = received by all subscribers in the window), ns. */
    double serverCpuNanosPerForwardedPacket() {
        long n = packetsReceived();
        return serverCpuNanos < 0 || n == 0 ? -1 : serverCpuNanos / (double) n;
    }

    /**
     * SFU CPU per packet it handled: every packet publishers sent (received by the SFU, all
     * simulcast layers, forwarded or not) plus every packet it forwarded; ns.
     */
    double serverCpuNanosPerHandledPacket() {
        long n = packetsReceived() + packetsSent;
        return serverCpuNanos < 0 || n == 0 ? -1 : serverCpuNanos / (double) n;
    }

    double meanForwardedPacketBytes() {
        long n = packetsReceived();
        return n == 0 ? 0 : bytesReceived() / (double) n;
    }

    /** Everything, for the JSON file. */
    Map<String, Object> toJson(Floor.Result floor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rooms", rooms);
        m.put("participantsPerRoom", participantsPerRoom);
        m.put("seconds", round(seconds));
        m.put("packetsSentByPublishers", packetsSent);
        m.put("packetsReceivedBySubscribers", packetsReceived());
        m.put("meanForwardedPacketBytes", round(meanForwardedPacketBytes()));
        m.put("lossPercent", round(lossPercent(null)));
        m.put("audioLossPercent", round(lossPercent("audio")));
        m.put("videoLossPercent", round(lossPercent("video")));
        m.put("latencyMs", latencyJson(latency(null)));
        m.put("audioLatencyMs", latencyJson(latency("audio")));
        m.put("videoLatencyMs", latencyJson(latency("video")));
        m.put("serverForwardLatencyMicros", serverLatencyJson(serverLatency));
        m.put("serverInProcess", serverInProcess);
        m.put("serverCpuSeconds", serverCpuNanos < 0 ? null : round(serverCpuNanos / 1e9));
        m.put("serverCores", serverCpuNanos < 0 ? null : round(serverCores()));
        m.put("serverCoresPerCall", serverCpuNanos < 0 ? null : round(serverCores() / rooms));
        m.put("callsPerServerCore", serverCpuNanos <= 0 ? null : round(rooms / serverCores()));
        m.put("callsPerCpu", round(rooms / (double) Runtime.getRuntime().availableProcessors()));
        m.put("serverCpuMicrosPerForwardedPacket", serverCpuNanos < 0 ? null : round(serverCpuNanosPerForwardedPacket() / 1000));
        m.put("serverCpuMicrosPerHandledPacket", serverCpuNanos < 0 ? null : round(serverCpuNanosPerHandledPacket() / 1000));
        if (floor != null && serverCpuNanos >= 0) {
            double f = floor.nanosAt(meanForwardedPacketBytes());
            m.put("floorMicrosPerPacketAtMeanSize", round(f / 1000));
            m.put("serverCpuPerPacketOverFloor", round(serverCpuNanosPerForwardedPacket() / f));
            // The SFU also receives layers it does not forward: its workload floor is half a floor
            // (one receive + one unprotect, or one send + one protect) per packet in or out.
            double workloadFloor = (packetsSent + packetsReceived()) / 2.0 * f;
            m.put("serverCpuOverWorkloadFloor", workloadFloor <= 0 ? null : round(serverCpuNanos / workloadFloor));
        }
        m.put("loadgenCores", round(loadgenCores()));
        m.put("serverMetricsDelta", metricsDelta);
        List<Map<String, Object>> subs = new ArrayList<>();
        for (TrackRow r : rows) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("subscriber", r.subscriber);
            t.put("room", r.room);
            t.put("mid", r.mid);
            t.put("kind", r.kind);
            t.put("from", r.from);
            t.put("kbps", round(r.window.bitrateKbps()));
            t.put("packets", r.window.packets());
            t.put("seqLossPercent", round(r.window.seqLossPercent()));
            t.put("counterLossPercent", round(r.window.counterLossPercent()));
            t.put("latencyMs", latencyJson(r.window.latency()));
            subs.add(t);
        }
        m.put("tracks", subs);
        return m;
    }

    static Map<String, Object> latencyJson(LatencyHistogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", h.total());
        m.put("p50", round(h.percentileMicros(0.50) / 1000.0));
        m.put("p99", round(h.percentileMicros(0.99) / 1000.0));
        m.put("max", round(h.maxInWindowMicros() / 1000.0));
        return m;
    }

    /**
     * p50 / p99 are bucket upper bounds ("≤ X µs"); null when the quantile lies above the last
     * finite bound, which is given as lastFiniteBound.
     */
    static Map<String, Object> serverLatencyJson(ServerMetrics.HistogramDelta h) {
        if (h == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", (long) h.count());
        m.put("p50UpperBound", microsOrNull(h.quantileUpperBound(0.50)));
        m.put("p99UpperBound", microsOrNull(h.quantileUpperBound(0.99)));
        m.put("mean", microsOrNull(h.meanSeconds()));
        m.put("lastFiniteBound", h.upperBounds().length == 0 ? null : round(h.upperBounds()[h.upperBounds().length - 1] * 1e6));
        return m;
    }

    private static Double microsOrNull(double seconds) {
        return Double.isFinite(seconds) ? round(seconds * 1e6) : null;
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
