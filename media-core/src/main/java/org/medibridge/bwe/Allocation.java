package org.medibridge.bwe;

import java.util.List;

/**
 * The outcome of one allocation, in the order the tracks were given.
 *
 * @param tracks             one decision per input track
 * @param totalBps           sum of the allocated bitrates
 * @param desiredBps         what the tracks would use at their preferred layers
 * @param limitedByEstimate  some wanted track sits below its preferred layer (or is paused) for
 *                           lack of bitrate: the estimator should probe for more
 */
public record Allocation(List<TrackAllocation> tracks, long totalBps, long desiredBps, boolean limitedByEstimate) {

    public TrackAllocation track(String trackId) {
        for (TrackAllocation t : tracks) {
            if (t.trackId().equals(trackId)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no track " + trackId);
    }
}
