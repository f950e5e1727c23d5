package org.medibridge.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
