package org.medibridge.bwe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medibridge.router.MediaKind;

/**
 * Spreads one subscriber's bandwidth estimate over its tracks. Two phases, no I/O: this only
 * decides; the caller applies the returned {@link Allocation} once (sets each track's target
 * layer, pauses and resumes), which keeps it replayable from traces and unit-testable.
 *
 * <ol>
 *   <li>Audio first, always (cheap and the one thing a call cannot lose), then the lowest layer of
 *       each wanted video track in order: priority, then larger rendered size (higher preferred
 *       spatial layer), then track id. A track whose lowest layer does not fit is paused.</li>
 *   <li>Round robin in the same order: each pass offers every track its next step (spatial-major:
 *       (0,0), (0,1), … (1,0), …, only layers with a measured bitrate, each costing more than the
 *       last); a track whose next step does not fit stops there. Steps never go past the
 *       preferred layer.</li>
 * </ol>
 *
 * <p>Hysteresis: going above the layer a track had in the previous allocation (or resuming a
 * paused track) needs the new layer to fit with {@link #UPGRADE_HEADROOM} (10 %) of its bitrate to
 * spare; keeping or lowering a layer needs only its bitrate. A small estimate wobble therefore
 * never flips a track up and down. Downgrades are immediate: overshooting a bottleneck is what
 * freezes video.
 *
 * <p>Holds the previous allocation's layers; one instance per subscriber, single-threaded.
 */
public final class BandwidthAllocator {
    static final double UPGRADE_HEADROOM = 0.10;
    private static final int PAUSED = -1;

    /** (spatial << 8 | temporal) of the previous allocation, or PAUSED. */
    private Map<String, Integer> previous = new HashMap<>();

    public Allocation allocate(long estimateBps, List<AllocatableTrack> tracks) {
        int n = tracks.size();
        TrackAllocation[] out = new TrackAllocation[n];
        List<Candidate> video = new ArrayList<>();
        long remaining = estimateBps;
        long desired = 0;
        boolean limited = false;

        // Phase 1a: audio.
        for (int i = 0; i < n; i++) {
            AllocatableTrack t = tracks.get(i);
            if (t.kind() != MediaKind.AUDIO) {
                continue;
            }
            if (!t.wanted()) {
                out[i] = TrackAllocation.paused(t.trackId(), TrackAllocation.Reason.NOT_WANTED);
                continue;
            }
            long bps = t.bitrateBps(0, 0);
            out[i] = new TrackAllocation(t.trackId(), 0, 0, bps, TrackAllocation.Reason.FORWARDED);
            remaining -= bps;
            desired += bps;
        }
        for (int i = 0; i < n; i++) {
            AllocatableTrack t = tracks.get(i);
            if (t.kind() != MediaKind.VIDEO) {
                continue;
            }
            if (!t.wanted()) {
                out[i] = TrackAllocation.paused(t.trackId(), TrackAllocation.Reason.NOT_WANTED);
                continue;
            }
            long[][] steps = steps(t);
            if (steps.length == 0) {
                out[i] = TrackAllocation.paused(t.trackId(), TrackAllocation.Reason.NO_LAYERS);
                continue;
            }
            desired += steps[steps.length - 1][2];
            video.add(new Candidate(i, t, steps, previous.getOrDefault(t.trackId(), PAUSED)));
        }
        video.sort(ORDER);

        // Phase 1b: the lowest layer of each video track.
        for (Candidate c : video) {
            long cost = c.steps[0][2];
            if (cost + headroom(c, 0) <= remaining) {
                c.step = 0;
                remaining -= cost;
            } else {
                c.done = true;
                limited = true;
            }
        }

        // Phase 2: one step at a time, round robin, while bitrate remains.
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (Candidate c : video) {
                if (c.done || c.step < 0) {
                    continue;
                }
                if (c.step + 1 >= c.steps.length) {
                    c.done = true;
                    continue;
                }
                long increment = c.steps[c.step + 1][2] - c.steps[c.step][2];
                if (increment + headroom(c, c.step + 1) <= remaining) {
                    c.step++;
                    remaining -= increment;
                    progressed = true;
                } else {
                    c.done = true;
                    limited = true;
                }
            }
        }

        long total = 0;
        Map<String, Integer> next = new HashMap<>();
        for (Candidate c : video) {
            if (c.step < 0) {
                out[c.index] = TrackAllocation.paused(c.track.trackId(), TrackAllocation.Reason.NO_BANDWIDTH);
                next.put(c.track.trackId(), PAUSED);
            } else {
                long[] s = c.steps[c.step];
                out[c.index] = new TrackAllocation(c.track.trackId(), (int) s[0], (int) s[1], s[2],
                        TrackAllocation.Reason.FORWARDED);
                next.put(c.track.trackId(), layerKey((int) s[0], (int) s[1]));
            }
        }
        for (TrackAllocation a : out) {
            total += a.bitrateBps();
        }
        previous = next;
        return new Allocation(List.of(out), total, desired, limited);
    }

    /** Extra bitrate a step must leave spare: 10 % of it when it is above the previous layer. */
    private static long headroom(Candidate c, int step) {
        long[] s = c.steps[step];
        boolean upgrade = c.previousLayer == PAUSED || layerKey((int) s[0], (int) s[1]) > c.previousLayer;
        return upgrade ? (long) (UPGRADE_HEADROOM * s[2]) : 0;
    }

    /** {spatial, temporal, bitrate} up to the preferred layer, spatial-major, strictly increasing cost. */
    static long[][] steps(AllocatableTrack t) {
        List<long[]> steps = new ArrayList<>();
        long last = 0;
        for (int s = 0; s <= t.preferredSpatial() && s < t.layerBitratesBps().length; s++) {
            for (int tl = 0; tl <= t.preferredTemporal(); tl++) {
                long bps = t.bitrateBps(s, tl);
                if (bps > last) {
                    steps.add(new long[] {s, tl, bps});
                    last = bps;
                }
            }
        }
        return steps.toArray(new long[0][]);
    }

    private static int layerKey(int spatial, int temporal) {
        return spatial << 8 | temporal;
    }

    private static final Comparator<Candidate> ORDER = Comparator
            .comparingInt((Candidate c) -> c.track.priority())
            .thenComparing(Comparator.comparingInt((Candidate c) -> c.track.preferredSpatial()).reversed())
            .thenComparing(c -> c.track.trackId());

    private static final class Candidate {
        final int index;
        final AllocatableTrack track;
        final long[][] steps;
        final int previousLayer;
        int step = -1;
        boolean done;

        Candidate(int index, AllocatableTrack track, long[][] steps, int previousLayer) {
            this.index = index;
            this.track = track;
            this.steps = steps;
            this.previousLayer = previousLayer;
        }

        @Override
        public String toString() {
            return track.trackId() + Arrays.deepToString(steps);
        }
    }
}
