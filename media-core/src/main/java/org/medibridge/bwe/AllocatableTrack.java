package org.medibridge.bwe;

import java.util.Objects;
import org.medibridge.router.MediaKind;

/**
 * One track a subscriber may receive, as the allocator sees it.
 *
 * @param trackId           stable id, also the deterministic last tie-break
 * @param kind              audio is always allocated first and never paused
 * @param priority          rank, lower first (0 = most important, e.g. the active speaker)
 * @param preferredSpatial  highest spatial layer worth sending for the rendered size;
 *                          -1 = hidden or not wanted (gets nothing)
 * @param preferredTemporal highest temporal layer wanted (-1 = not wanted)
 * @param layerBitratesBps  measured bitrate per [spatial][temporal] layer, in bit/s, of sending
 *                          that spatial layer up to that temporal layer; 0 (or a missing entry)
 *                          where the stream has no such layer. Audio: one entry [0][0].
 */
public record AllocatableTrack(
        String trackId, MediaKind kind, int priority,
        int preferredSpatial, int preferredTemporal, long[][] layerBitratesBps) {

    public AllocatableTrack {
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(layerBitratesBps, "layerBitratesBps");
    }

    public static AllocatableTrack audio(String trackId, long bitrateBps) {
        return new AllocatableTrack(trackId, MediaKind.AUDIO, 0, 0, 0, new long[][] {{bitrateBps}});
    }

    /** Measured bitrate of layer (s, t), 0 when the stream does not have it. */
    public long bitrateBps(int spatial, int temporal) {
        if (spatial < 0 || temporal < 0 || spatial >= layerBitratesBps.length) {
            return 0;
        }
        long[] row = layerBitratesBps[spatial];
        return row == null || temporal >= row.length ? 0 : row[temporal];
    }

    boolean wanted() {
        return preferredSpatial >= 0 && preferredTemporal >= 0;
    }
}
