package org.medibridge.bwe;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What {@link BandwidthAllocator} remembers of its last run, per video track, so that it steps
 * down at once but up only reluctantly. Every spatial switch costs the publisher a keyframe and
 * the viewer a visible jump in quality; a track that goes down and up again on every small
 * change of the estimate, or of a layer's measured bitrate (keyframes make those jump), looks
 * worse than one that stays on the lower layer.
 *
 * <ul>
 *   <li><b>Keeping</b> the layer of the last run (or any lower one) needs only its bitrate.</li>
 *   <li><b>Going above</b> it, or resuming a paused track, needs {@link #UPGRADE_MARGIN} of the
 *       whole budget to stay unused after the step. The margin is relative to the budget, not to
 *       the layer: the estimate's noise is a share of the whole estimate, and with nine tracks
 *       a margin of 10 % of one layer is 1 % of the budget, inside that noise.</li>
 *   <li>After a track stepped down for lack of bitrate it goes up again (or resumes) only once
 *       {@link #HOLD_AFTER_DOWN_STEP_NANOS} have passed, whatever the estimate does meanwhile.</li>
 * </ul>
 * A down-step that is not for bitrate (the viewer shrank the video, the publisher stopped a
 * layer) starts no hold. Single-threaded: the room's worker, like the allocator. Time is passed in.
 */
final class LayerHysteresis {
    /**
     * Share of the budget an upgrade must leave spare. An estimate that wobbles by ±5 % moves the
     * budget by a factor of 1.05 / 0.95 ≈ 1.105 between its low and its high; an allocation that
     * stepped down at the low then fits again at the high only with less than 10 % to spare, so
     * the wobble cannot bring the layer back. (libwebrtc asks 10 % more to resume a paused
     * stream; jitsi-videobridge ignores estimate increases below a threshold.)
     */
    static final double UPGRADE_MARGIN = 0.10;
    /**
     * How long a track stays below the layer it stepped down from. Longer than the probe the
     * estimator sends one second after the allocation became limited (a probe result that an
     * upgrade then overshoots would start the cycle again), short enough that a link that
     * recovered is used within seconds.
     */
    static final long HOLD_AFTER_DOWN_STEP_NANOS = 4_000_000_000L;
    /** The layer key of a paused track (below every real layer). */
    static final int PAUSED = -1;

    private static final class TrackState {
        int layer = PAUSED;
        boolean steppedDown;
        long lastDownStepNanos;
        long seenInRun;
    }

    private final Map<String, TrackState> tracks = new HashMap<>();
    private long run;

    /** (spatial, temporal) as one number that orders layers the way the allocator steps through them. */
    static int layerKey(int spatial, int temporal) {
        return spatial << 8 | temporal;
    }

    /** Bitrate an upgrade must leave unused: {@link #UPGRADE_MARGIN} of the budget. */
    static long upgradeMarginBps(long budgetBps) {
        return (long) (UPGRADE_MARGIN * Math.max(0, budgetBps));
    }

    /** Starts a run: tracks not {@link #record recorded} until {@link #endRun} are forgotten. */
    void beginRun() {
        run++;
    }

    /** The layer key the track had after the last run, or {@link #PAUSED} (also when unknown). */
    int previousLayer(String trackId) {
        TrackState s = tracks.get(trackId);
        return s == null ? PAUSED : s.layer;
    }

    /** True while the track may not go above its previous layer: too soon after a down-step. */
    boolean holding(String trackId, long nowNanos) {
        TrackState s = tracks.get(trackId);
        return s != null && s.steppedDown && nowNanos - s.lastDownStepNanos < HOLD_AFTER_DOWN_STEP_NANOS;
    }

    /**
     * The layer this run chose for the track.
     *
     * @param forLackOfBitrate the track ended below what it could have had (its preferred layer,
     *                         or the best its publisher sends) because a step did not fit
     */
    void record(String trackId, int layer, boolean forLackOfBitrate, long nowNanos) {
        TrackState s = tracks.computeIfAbsent(trackId, id -> new TrackState());
        if (layer < s.layer && forLackOfBitrate) {
            s.steppedDown = true;
            s.lastDownStepNanos = nowNanos;
        }
        s.layer = layer;
        s.seenInRun = run;
    }

    /** Forgets the tracks this run did not see (unsubscribed, or their publisher left). */
    void endRun() {
        for (Iterator<TrackState> it = tracks.values().iterator(); it.hasNext(); ) {
            if (it.next().seenInRun != run) {
                it.remove();
            }
        }
    }
}
