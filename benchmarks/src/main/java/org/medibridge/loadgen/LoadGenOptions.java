package org.medibridge.loadgen;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of the load generator (see {@link #USAGE}). */
final class LoadGenOptions {
    static final String USAGE = """
            Usage: java -jar medibridge-loadgen.jar [options]
              --url URL                 signaling URL (ws://127.0.0.1:8080 or ws://host:port/ws)   [ws://127.0.0.1:8080]
              --rooms R                 rooms to run (fixed mode)                                    [1]
              --participants P          participants per room (2 = a 1:1 visit)                      [2]
              --ramp-seconds S          spread the joins over S seconds                              [5]
              --warmup S                seconds after everyone receives everything, before the hold  [3]
              --duration S              hold: the measured window, seconds                            [30]
              --json FILE               write the results as JSON
              --server-pid PID          SFU process for CPU figures (default: a process running medibridge.jar)
              --tokens FILE             join tokens or join URLs (…?token=…), one per line, used in order (else --dev rooms)
              --room-prefix NAME        room names NAME-0, NAME-1, …                                  [lg]
              --io-threads N            receive threads                                               [2]
              --audio-bytes B           Opus payload per 20 ms packet                                 [100]
              --layers-kbps A,B,C       VP8 simulcast layer bitrates, lowest first                    [150,400,1200]
              --keyframe-interval-ms MS periodic keyframes                                            [10000]
              --render-size WxH         report every remote video as shown at WxH (render-size), e.g. 640x360
              --no-floor                skip the UDP + SRTP floor measurement
              --floor-only              measure the floor only (no server needed)
              Ramp mode (add rooms step by step until a limit is exceeded):
              --ramp-until-loss PCT     stop when loss exceeds PCT percent
              --ramp-until-p99-ms MS    stop when p99 one-way latency exceeds MS
              --step-rooms N            rooms added per step                                          [10]
              --step-seconds S          measured window per step                                      [10]
              --max-rooms N             upper bound of rooms                                          [1000]
              --max-seconds S           upper bound of the whole run                                  [900]
            """;

    URI url = URI.create("ws://127.0.0.1:8080/ws");
    int rooms = 1;
    int participants = 2;
    double rampSeconds = 5;
    double warmupSeconds = 3;
    double durationSeconds = 30;
    Path json;
    long serverPid = -1;
    List<String> tokens = new ArrayList<>();
    String roomPrefix = "lg";
    int ioThreads = 2;
    MediaProfile media = MediaProfile.defaults();
    boolean floor = true;
    int[] renderSize;
    boolean floorOnly;
    double rampUntilLossPercent = -1;
    double rampUntilP99Millis = -1;
    int stepRooms = 10;
    double stepSeconds = 10;
    int maxRooms = 1000;
    double maxSeconds = 900;
    double connectTimeoutSeconds = 30;

    boolean rampMode() {
        return rampUntilLossPercent >= 0 || rampUntilP99Millis >= 0;
    }

    static LoadGenOptions parse(String[] args) throws IOException {
        LoadGenOptions o = new LoadGenOptions();
        int audio = o.media.audioPayloadBytes();
        int[] layers = o.media.layerKbps();
        long keyMs = o.media.keyframeIntervalMillis();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--url" -> o.url = signalingUrl(args[++i]);
                case "--rooms" -> o.rooms = Integer.parseInt(args[++i]);
                case "--participants" -> o.participants = Integer.parseInt(args[++i]);
                case "--ramp-seconds" -> o.rampSeconds = Double.parseDouble(args[++i]);
                case "--warmup" -> o.warmupSeconds = Double.parseDouble(args[++i]);
                case "--duration" -> o.durationSeconds = Double.parseDouble(args[++i]);
                case "--json" -> o.json = Path.of(args[++i]);
                case "--server-pid" -> o.serverPid = Long.parseLong(args[++i]);
                case "--tokens" -> o.tokens = readTokens(Path.of(args[++i]));
                case "--room-prefix" -> o.roomPrefix = args[++i];
                case "--io-threads" -> o.ioThreads = Integer.parseInt(args[++i]);
                case "--audio-bytes" -> audio = Integer.parseInt(args[++i]);
                case "--layers-kbps" -> {
                    String[] t = args[++i].split(",");
                    if (t.length != 3) {
                        throw new IllegalArgumentException("--layers-kbps needs three values");
                    }
                    layers = new int[] {Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2])};
                }
                case "--keyframe-interval-ms" -> keyMs = Long.parseLong(args[++i]);
                case "--no-floor" -> o.floor = false;
                case "--render-size" -> {
                    String[] t = args[++i].toLowerCase().split("x");
                    o.renderSize = new int[] {Integer.parseInt(t[0]), Integer.parseInt(t[1])};
                }
                case "--floor-only" -> o.floorOnly = true;
                case "--ramp-until-loss" -> o.rampUntilLossPercent = Double.parseDouble(args[++i]);
                case "--ramp-until-p99-ms" -> o.rampUntilP99Millis = Double.parseDouble(args[++i]);
                case "--step-rooms" -> o.stepRooms = Integer.parseInt(args[++i]);
                case "--step-seconds" -> o.stepSeconds = Double.parseDouble(args[++i]);
                case "--max-rooms" -> o.maxRooms = Integer.parseInt(args[++i]);
                case "--max-seconds" -> o.maxSeconds = Double.parseDouble(args[++i]);
                case "--connect-timeout" -> o.connectTimeoutSeconds = Double.parseDouble(args[++i]);
                case "-h", "--help" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.participants < 2) {
            throw new IllegalArgumentException("--participants must be at least 2 (someone must receive)");
        }
        o.media = new MediaProfile(audio, layers, o.media.fps(), keyMs, o.media.maxRtpPacketBytes());
        return o;
    }

    /** http(s)://… or ws(s)://…, with /ws added when no path is given. */
    static URI signalingUrl(String s) {
        URI u = URI.create(s.replaceFirst("^http", "ws"));
        if (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/")) {
            u = u.resolve("/ws");
        }
        return u;
    }

    /** /metrics on the same host and port. */
    URI metricsUrl() {
        return URI.create(url.toString().replaceFirst("^ws", "http")).resolve("/metrics");
    }

    /** A token per line; a join URL contributes its {@code token} query parameter. */
    static List<String> readTokens(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int q = t.indexOf("token=");
            if (q >= 0) {
                t = t.substring(q + "token=".length());
                int amp = t.indexOf('&');
                t = amp >= 0 ? t.substring(0, amp) : t;
            }
            out.add(t);
        }
        return out;
    }
}
