package org.medibridge.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;

/**
 * Runs one load test: the floor, then rooms joined over the ramp, a warm-up once every
 * subscriber receives every track, the measured hold (or, in ramp mode, one window per step
 * until loss or latency passes its limit), and a clean teardown (leave, close sockets).
 */
final class LoadGen {
    /** Everything a run produced. */
    record Result(Floor.Result floor, List<Measurement> steps, int lastGoodStep, List<String> errors,
                  long serverPid, String stopReason) {
        Measurement main() {
            if (steps.isEmpty()) {
                return null;
            }
            return lastGoodStep >= 0 ? steps.get(lastGoodStep) : steps.get(steps.size() - 1);
        }
    }

    private final LoadGenOptions o;
    private final PrintStream log;
    private final List<Participant> participants = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private int tokenIndex;

    LoadGen(LoadGenOptions options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    Result run() throws Exception {
        long deadline = System.nanoTime() + (long) (o.maxSeconds * 1e9);
        SrtpCrypto.initialize();
        long serverPid = o.serverPid > 0 ? o.serverPid : ProcessCpu.findServer().orElse(-1);
        boolean inProcess = serverPid == ProcessHandle.current().pid();
        log.printf("loadgen: server %s, pid %s%s, %d CPUs on this machine%n", o.url,
                serverPid > 0 ? Long.toString(serverPid) : "unknown (no CPU figures)", inProcess ? " (in this process)" : "",
                Runtime.getRuntime().availableProcessors());
        Floor.Result floor = null;
        if (o.floor) {
            floor = Floor.measure(SrtpProfile.AEAD_AES_128_GCM, 120, 1200, 100_000);
            log.printf("loadgen: floor (%s) per packet: %d B %.2f µs (UDP %.2f + SRTP %.2f), %d B %.2f µs (UDP %.2f + SRTP %.2f)%n",
                    floor.srtpProfile(), floor.small().bytes(), floor.small().totalNanos() / 1000,
                    floor.small().udpNanos() / 1000, floor.small().srtpNanos() / 1000,
                    floor.large().bytes(), floor.large().totalNanos() / 1000,
                    floor.large().udpNanos() / 1000, floor.large().srtpNanos() / 1000);
        }
        List<Measurement> steps = new ArrayList<>();
        if (o.floorOnly) {
            return new Result(floor, steps, -1, errors, serverPid, "floor only");
        }
        int lastGood = -1;
        String stop;
        ExecutorService httpExecutor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "loadgen-signaling");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(httpExecutor).connectTimeout(Duration.ofSeconds(5)).build();
        try (LoadGenContext ctx = new LoadGenContext(o.ioThreads, o.media, o.renderSize)) {
            try {
                if (!o.rampMode()) {
                    addRooms(ctx, http, 0, o.rooms, o.rampSeconds);
                    awaitMedia(deadline);
                    sleep(o.warmupSeconds);
                    steps.add(measure(o.rooms, o.durationSeconds, serverPid, inProcess, http));
                    lastGood = 0;
                    stop = "hold complete";
                } else {
                    int rooms = 0;
                    stop = "max rooms reached";
                    while (rooms < o.maxRooms) {
                        int next = Math.min(o.maxRooms, rooms + o.stepRooms);
                        double stepBudget = o.rampSeconds + o.warmupSeconds + o.stepSeconds + o.connectTimeoutSeconds;
                        if (System.nanoTime() + (long) (stepBudget * 1e9) > deadline) {
                            stop = "time bound (--max-seconds) reached";
                            break;
                        }
                        addRooms(ctx, http, rooms, next, o.rampSeconds);
                        rooms = next;
                        awaitMedia(deadline);
                        sleep(o.warmupSeconds);
                        Measurement m = measure(rooms, o.stepSeconds, serverPid, inProcess, http);
                        steps.add(m);
                        double loss = m.lossPercent(null);
                        double p99 = m.latency(null).percentileMicros(0.99) / 1000.0;
                        log.printf("loadgen: step %d rooms: loss %.3f %%, p99 %.2f ms, server %.2f cores, loadgen %.2f cores%n",
                                rooms, loss, p99, m.serverCores(), m.loadgenCores());
                        boolean lossOver = o.rampUntilLossPercent >= 0 && loss > o.rampUntilLossPercent;
                        boolean p99Over = o.rampUntilP99Millis >= 0 && p99 > o.rampUntilP99Millis;
                        if (lossOver || p99Over) {
                            stop = (lossOver ? "loss " + Measurement.round(loss) + " % > " + o.rampUntilLossPercent + " %" : "")
                                    + (lossOver && p99Over ? " and " : "")
                                    + (p99Over ? "p99 " + Measurement.round(p99) + " ms > " + o.rampUntilP99Millis + " ms" : "")
                                    + " at " + rooms + " rooms";
                            break;
                        }
                        lastGood = steps.size() - 1;
                    }
                }
            } catch (IOException e) {
                stop = "failed: " + e.getMessage();
                errors.add(stop);
            } finally {
                teardown();
            }
        } finally {
            httpExecutor.shutdownNow();
        }
        for (Participant p : participants) {
            for (String e : p.errors) {
                errors.add(p.name + ": " + e);
            }
        }
        return new Result(floor, steps, lastGood, errors, serverPid, stop);
    }

    /** Joins rooms [from, to) spread over {@code overSeconds}, all participants of a room together. */
    private void addRooms(LoadGenContext ctx, HttpClient http, int from, int to, double overSeconds) throws IOException {
        int n = to - from;
        long gapNanos = n <= 1 ? 0 : (long) (overSeconds * 1e9 / n);
        long next = System.nanoTime();
        List<Participant> added = new ArrayList<>();
        for (int r = from; r < to; r++) {
            String room = o.roomPrefix + "-" + r;
            for (int i = 0; i < o.participants; i++) {
                String token = tokenIndex < o.tokens.size() ? o.tokens.get(tokenIndex++) : null;
                Participant p = new Participant(room, room + "-p" + i, participants.size(), token, ctx);
                participants.add(p);
                added.add(p);
                p.start(http, o.url);
            }
            next += gapNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(wait / 1e9);
            }
        }
        for (Participant p : added) {
            try {
                p.publishing.get((long) (o.connectTimeoutSeconds * 1000), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IOException(p.name + " could not publish: " + e.getMessage() + " " + p.errors, e);
            }
        }
    }

    /**
     * Waits until every participant receives packets on each of the 2 (P − 1) tracks of the
     * others (audio and video of each): the protocol works end to end before anything is measured.
     */
    private void awaitMedia(long deadline) throws IOException {
        long until = Math.min(deadline, System.nanoTime() + (long) (o.connectTimeoutSeconds * 1e9));
        int expected = 2 * (o.participants - 1);
        while (true) {
            Participant missing = null;
            for (Participant p : participants) {
                List<TrackReceiver> tracks = p.activeTracks();
                boolean all = tracks.size() >= expected && tracks.stream().allMatch(t -> t.snapshot().packets() > 0);
                if (!all) {
                    missing = p;
                    break;
                }
            }
            if (missing == null) {
                return;
            }
            if (System.nanoTime() > until) {
                throw new IOException(missing.name + " does not receive all " + expected + " tracks: "
                        + missing.activeTracks().size() + " offered, errors " + missing.errors);
            }
            sleep(0.1);
        }
    }

    private Measurement measure(int rooms, double seconds, long serverPid, boolean inProcess, HttpClient http) {
        Measurement.Mark start = new Measurement.Mark(participants, serverPid, http, o.metricsUrl());
        sleep(seconds);
        Measurement.Mark end = new Measurement.Mark(participants, serverPid, http, o.metricsUrl());
        return new Measurement(rooms, o.participants, participants, start, end, inProcess);
    }

    private void teardown() {
        for (Participant p : participants) {
            try {
                p.close();
            } catch (RuntimeException e) {
                errors.add(p.name + ": teardown: " + e);
            }
        }
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
