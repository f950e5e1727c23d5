package org.medibridge.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.medibridge.e2e.BrowserPage.Inbound;
import org.medibridge.e2e.BrowserPage.StatsSample;

/** Shared media assertions on {@link BrowserPage} stats. */
final class MediaChecks {
    private MediaChecks() {
    }

    /** receiver should decode sender's video and hear sender's audio. */
    record Flow(BrowserPage receiver, BrowserPage sender) {
        @Override
        public String toString() {
            return sender.name() + " -> " + receiver.name();
        }
    }

    /**
     * Samples all receivers round-robin (every ~150 ms, generous timeout) until, for each flow, the
     * receiver decodes the sender's video (framesDecoded rising between two consecutive samples,
     * frameWidth &ge; minWidth) and hears its audio (totalAudioEnergy &gt; 0).
     *
     * @return per flow, the first sample that satisfied it (its {@code epochMs} is comparable with
     *         {@link BrowserPage#joinedAtEpochMs()})
     */
    static Map<Flow, StatsSample> awaitReceiving(List<Flow> flows, int minWidth, Duration timeout) {
        Map<Flow, StatsSample> done = new HashMap<>();
        Map<Flow, Long> lastFrames = new HashMap<>();
        Map<Flow, StatsSample> lastSeen = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.size() < flows.size()) {
            for (Flow f : flows) {
                if (done.containsKey(f)) {
                    continue;
                }
                StatsSample s = f.receiver().sample();
                String from = f.sender().participantId();
                Inbound v = s.from(from, "video").orElse(null);
                Inbound a = s.from(from, "audio").orElse(null);
                lastSeen.put(f, s);
                Long prev = lastFrames.put(f, v == null ? -1 : v.framesDecoded());
                if (v != null && a != null && prev != null && prev >= 0 && v.framesDecoded() > prev
                        && v.frameWidth() >= minWidth && a.totalAudioEnergy() > 0) {
                    done.put(f, s);
                }
            }
            if (done.size() == flows.size()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                List<String> missing = new ArrayList<>();
                for (Flow f : flows) {
                    if (!done.containsKey(f)) {
                        missing.add(f + " (sender " + f.sender().participantId() + "; receiver's inbound: "
                                + (lastSeen.get(f) == null ? null : lastSeen.get(f).inbound()) + ")");
                    }
                }
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for video (width >= "
                        + minWidth + ", frames rising) and audio (energy > 0): " + missing);
            }
            sleep(150);
        }
        return done;
    }

    /**
     * Polls (every ~200 ms) until the receiver decodes the sender's video with framesDecoded rising
     * between two consecutive samples and {@code condition} holding for the newer one.
     *
     * @param what describes the condition in the failure message (which also shows the last stats)
     * @return the inbound video stats that satisfied it
     */
    static Inbound awaitVideo(Flow f, String what, Predicate<Inbound> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long prevFrames = -1;
        Inbound last = null;
        while (true) {
            last = f.receiver().sample().from(f.sender().participantId(), "video").orElse(null);
            if (last != null && prevFrames >= 0 && last.framesDecoded() > prevFrames && condition.test(last)) {
                return last;
            }
            prevFrames = last == null ? -1 : last.framesDecoded();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + f + ": " + what
                        + " with frames decoding; last inbound video: " + last);
            }
            sleep(200);
        }
    }

    /**
     * Samples the sender's video at the receiver every ~250 ms for {@code window}: framesDecoded must
     * keep rising, never standing still for more than {@code maxStall} (a freeze), and every sample
     * must satisfy {@code condition}.
     *
     * @return the last sample
     */
    static Inbound assertVideoKeepsDecoding(Flow f, Duration window, Duration maxStall, String what,
            Predicate<Inbound> condition) {
        String from = f.sender().participantId();
        Inbound first = f.receiver().sample().from(from, "video")
                .orElseThrow(() -> new AssertionError(f + ": no inbound video"));
        long start = System.nanoTime();
        long lastProgress = start;
        long frames = first.framesDecoded();
        Inbound v = first;
        while (System.nanoTime() - start < window.toNanos()) {
            sleep(250);
            v = f.receiver().sample().from(from, "video").orElseThrow(() -> new AssertionError(f + ": inbound video gone"));
            long t = System.nanoTime();
            if (v.framesDecoded() > frames) {
                frames = v.framesDecoded();
                lastProgress = t;
            } else if (t - lastProgress > maxStall.toNanos()) {
                throw new AssertionError(f + ": video froze: framesDecoded stuck at " + frames + " for "
                        + (t - lastProgress) / 1_000_000 + " ms (allowed " + maxStall.toMillis() + " ms); " + v);
            }
            if (!condition.test(v)) {
                throw new AssertionError(f + ": expected " + what + " while decoding, got " + v);
            }
        }
        if (v.framesDecoded() <= first.framesDecoded()) {
            throw new AssertionError(f + ": no frames decoded in " + window.toMillis() + " ms: " + v);
        }
        return v;
    }

    /**
     * Waits (up to {@code settle}) until the receiver gets no more bytes of the sender's video, then
     * asserts that bytesReceived of that inbound-rtp stays exactly flat for {@code window}.
     *
     * @return the (constant) bytesReceived
     */
    static long awaitVideoStopped(Flow f, Duration settle, Duration window) {
        String from = f.sender().participantId();
        long deadline = System.nanoTime() + settle.toNanos();
        long bytes = f.receiver().sample().from(from, "video")
                .orElseThrow(() -> new AssertionError(f + ": no inbound video")).bytesReceived();
        // settled once bytesReceived did not move over 1 s
        while (true) {
            sleep(1000);
            long now = f.receiver().sample().from(from, "video").orElseThrow().bytesReceived();
            if (now == bytes) {
                break;
            }
            bytes = now;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(f + ": video still arriving " + settle.toMillis()
                        + " ms after it was hidden (bytesReceived " + now + ")");
            }
        }
        long start = System.nanoTime();
        while (System.nanoTime() - start < window.toNanos()) {
            sleep(500);
            Inbound v = f.receiver().sample().from(from, "video").orElseThrow();
            if (v.bytesReceived() != bytes) {
                throw new AssertionError(f + ": hidden video still receives bytes: " + bytes + " -> "
                        + v.bytesReceived() + " within " + (System.nanoTime() - start) / 1_000_000 + " ms; " + v);
            }
        }
        return bytes;
    }

    /** Milliseconds from the later of the two joins to the sample. */
    static double msSinceBothJoined(StatsSample s, Flow f) {
        return s.epochMs() - Math.max(f.receiver().joinedAtEpochMs(), f.sender().joinedAtEpochMs());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
