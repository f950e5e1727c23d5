package org.medibridge.bwe;

/**
 * The allocator's decision for one track: the target layer, or paused with the reason.
 *
 * @param spatial     target spatial layer, -1 when paused
 * @param temporal    target temporal layer, -1 when paused
 * @param bitrateBps  the bitrate this allocation accounts for
 */
public record TrackAllocation(String trackId, int spatial, int temporal, long bitrateBps, Reason reason) {

    public enum Reason {
        /** Forwarded at (spatial, temporal). */
        FORWARDED,
        /** Hidden or not wanted by the subscriber (preferred layer -1). */
        NOT_WANTED,
        /** The publisher sends no layer we have a bitrate for (not started, or paused). */
        NO_LAYERS,
        /** Even the lowest layer does not fit in the estimate. */
        NO_BANDWIDTH
    }

    public boolean paused() {
        return reason != Reason.FORWARDED;
    }

    static TrackAllocation paused(String trackId, Reason reason) {
        return new TrackAllocation(trackId, -1, -1, 0, reason);
    }
}
