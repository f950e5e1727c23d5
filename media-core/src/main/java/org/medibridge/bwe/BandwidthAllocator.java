package org.medibridge.bwe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
 * <p>Hysteresis ({@link LayerHysteresis}): both phases first hand out what the tracks had in the
 * previous run (lowest layers of the tracks that were forwarded, then their steps up to the
 * previous layer), needing only the layers' bitrates; a track whose step no longer fits goes down
 * at once, because overshooting a bottleneck is what freezes video. Only then come resumes of
 * paused tracks and steps above the previous layer: each must leave {@link
 * LayerHysteresis#UPGRADE_MARGIN} (10 %) of the budget unused, and none comes within {@link
 * LayerHysteresis#HOLD_AFTER_DOWN_STEP_NANOS} (4 s) of that track's last down-step for lack of
 * bitrate. Handing out the kept layers first also means an upgrade never takes bitrate another
 * track needs to keep its layer. An estimate that wobbles by a few percent therefore moves no layer
 * up and down.
 *
 * <p>One instance per subscriber, single-threaded (the room's worker); the caller passes the time.
 * Allocates per run (lists, records, the per-track steps): it runs every 100 ms, not per packet.
 */
public final class BandwidthAllocator {
    private final LayerHysteresis history = new LayerHysteresis();

    /**
     * @param budgetBps what the tracks may use together, in bit/s
     * @param tracks    the subscriber's tracks; the result lists them in this order
     * @param nowNanos  the caller's clock (monotonic), for the hold after a down-step
     */
    public Allocation allocate(long budgetBps, List<AllocatableTrack> tracks, long nowNanos) {
        int n = tracks.size();
        TrackAllocation[] out = new TrackAllocation[n];
        List<Candidate> video = new ArrayList<>();
        long remaining = budgetBps;
        long margin = LayerHysteresis.upgradeMarginBps(budgetBps);
        long desired = 0;
        boolean limited = false;
        history.beginRun();

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
            long[][] steps = t.wanted() ? steps(t) : new long[0][];
            if (steps.length == 0) {
                // Not for lack of bitrate: no hold starts (one that runs goes on).
                out[i] = TrackAllocation.paused(t.trackId(),
                        t.wanted() ? TrackAllocation.Reason.NO_LAYERS : TrackAllocation.Reason.NOT_WANTED);
                history.record(t.trackId(), LayerHysteresis.PAUSED, false, nowNanos);
                continue;
            }
            desired += steps[steps.length - 1][2];
            video.add(new Candidate(i, t, steps, keepStep(steps, history.previousLayer(t.trackId())),
                    !history.holding(t.trackId(), nowNanos)));
        }
        video.sort(ORDER);

        // Phase 1b: the lowest layer of each video track; first those that were forwarded, then resumes.
        for (int resume = 0; resume < 2; resume++) {
            for (Candidate c : video) {
                if ((c.keepStep >= 0) == (resume == 1)) {
                    continue;
                }
                long cost = c.steps[0][2];
                long spare = resume == 1 ? margin : 0;
                if (cost + spare <= remaining && (resume == 0 || c.mayUpgrade)) {
                    c.step = 0;
                    remaining -= cost;
                } else {
                    c.done = true;
                    c.heldBack = true;
                    limited = true;
                }
            }
        }

        // Phase 2: one step at a time, round robin, while bitrate remains; first back up to the
        // previous layers, then above them.
        for (int upgrade = 0; upgrade < 2; upgrade++) {
            boolean progressed = true;
            while (progressed) {
                progressed = false;
                for (Candidate c : video) {
                    if (c.done || c.step < 0 || (upgrade == 0 && c.step >= c.keepStep)) {
                        continue;
                    }
                    if (c.step + 1 >= c.steps.length) {
                        c.done = true;
                        continue;
                    }
                    long increment = c.steps[c.step + 1][2] - c.steps[c.step][2];
                    long spare = upgrade == 1 ? margin : 0;
                    if (increment + spare <= remaining && (upgrade == 0 || c.mayUpgrade)) {
                        c.step++;
                        remaining -= increment;
                        progressed = true;
                    } else {
                        c.done = true;
                        c.heldBack = true;
                        limited = true;
                    }
                }
            }
        }

        long total = 0;
        for (Candidate c : video) {
            if (c.step < 0) {
                out[c.index] = TrackAllocation.paused(c.track.trackId(), TrackAllocation.Reason.NO_BANDWIDTH);
                history.record(c.track.trackId(), LayerHysteresis.PAUSED, true, nowNanos);
            } else {
                long[] s = c.steps[c.step];
                out[c.index] = new TrackAllocation(c.track.trackId(), (int) s[0], (int) s[1], s[2],
                        TrackAllocation.Reason.FORWARDED);
                history.record(c.track.trackId(), LayerHysteresis.layerKey((int) s[0], (int) s[1]), c.heldBack,
                        nowNanos);
            }
        }
        history.endRun();
        for (TrackAllocation a : out) {
            total += a.bitrateBps();
        }
        return new Allocation(List.of(out), total, desired, limited);
    }

    /**
     * Index of the highest step at or below the previous layer (the steps change when measured
     * bitrates do: a layer that stopped may be gone), or -1 when the track was paused.
     */
    private static int keepStep(long[][] steps, int previousLayer) {
        int keep = -1;
        for (int i = 0; i < steps.length; i++) {
            if (LayerHysteresis.layerKey((int) steps[i][0], (int) steps[i][1]) <= previousLayer) {
                keep = i;
            }
        }
        return keep;
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

    private static final Comparator<Candidate> ORDER = Comparator
            .comparingInt((Candidate c) -> c.track.priority())
            .thenComparing(Comparator.comparingInt((Candidate c) -> c.track.preferredSpatial()).reversed())
            .thenComparing(c -> c.track.trackId());

    private static final class Candidate {
        final int index;
        final AllocatableTrack track;
        final long[][] steps;
        /** The step of the previous run's layer, -1 when the track was paused. */
        final int keepStep;
        /** No hold is running: the track may resume or go above keepStep. */
        final boolean mayUpgrade;
        int step = -1;
        boolean done;
        /** A step did not fit (or was held): the track ends below what it could have had. */
        boolean heldBack;

        Candidate(int index, AllocatableTrack track, long[][] steps, int keepStep, boolean mayUpgrade) {
            this.index = index;
            this.track = track;
            this.steps = steps;
            this.keepStep = keepStep;
            this.mayUpgrade = mayUpgrade;
        }

        @Override
        public String toString() {
            return track.trackId() + Arrays.deepToString(steps);
        }
    }
}
