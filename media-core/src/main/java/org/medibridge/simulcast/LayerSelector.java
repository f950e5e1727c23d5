package org.medibridge.simulcast;

/**
 * Chooses, packet by packet, what one subscriber receives of one simulcast video track. Three
 * sets of layers are kept apart, for the spatial layer (simulcast encoding: 0 low, 1 mid, 2 high)
 * and the temporal layer (VP8 TID):
 * <ul>
 *   <li><b>preferred</b> — what the subscriber can use: from the size it renders the video at, or
 *       an explicit request; {@link #NONE} when the video is hidden.
 *   <li><b>target</b> — what the bandwidth allocator grants, never above preferred;
 *       {@link #NONE} pauses the video.
 *   <li><b>current</b> — what is being forwarded. It moves toward the target only where the
 *       subscriber's decoder can follow.
 * </ul>
 * The rules:
 * <ol>
 *   <li>A frame whose first packet was forwarded is forwarded to its end (RTP marker), whatever
 *       changed meanwhile: pause and temporal changes take effect at the next frame start.
 *   <li>The current spatial layer changes only at the first packet of a key frame of a layer
 *       between the current and the target layer (the target included; from nothing, any layer
 *       up to the target, to show video sooner). Until then {@link #needsKeyframe} asks for a key
 *       frame of the target layer. The key frame resets the temporal layer to the target's.
 *       <br>NOTE: simulcast encodings arrive interleaved, so the old layer may be in the middle
 *       of a frame when the new layer's key frame starts. Without buffering the only choices are
 *       to cut that frame or to let the key frame go by; waiting for a moment when both line up
 *       can starve forever (a paced sender interleaves every frame the same way). So the switch
 *       happens and the unfinished frame is left incomplete ({@link #abandonedFrames}). That is
 *       harmless to the decoder: the next frame it gets is a key frame, which refers to nothing,
 *       and the sequence numbers have no hole to NACK. Temporal switches and pause never cut a
 *       frame.
 *   <li>Temporal down-switch: at any frame start of the current layer; frames with TID above the
 *       current temporal layer are dropped whole.
 *   <li>Temporal up-switch, one layer at a time: at the start of a frame with Y = 1 (layer sync,
 *       RFC 7741 §4.2: it depends only on the base layer) and TID = current + 1, or at a key
 *       frame. One step at a time because a Y frame of TID 2 does not make the TID 1 frames that
 *       follow decodable: they may refer to TID 1 frames that were dropped. TID 0 frames are
 *       always forwarded, so they are no switch point of their own.
 *   <li>Paused: everything is dropped (after the frame in progress); resuming needs a key frame.
 *   <li>While a spatial down-switch waits for its key frame, the current layer is cut to its
 *       base temporal layer (a temporal down-switch, rule 3): relief for a congested link now,
 *       without waiting for the key frame.
 * </ol>
 * Owned by the room's worker thread; allocates nothing.
 */
public final class LayerSelector {
    public static final int NONE = -1;
    public static final int MAX_SPATIAL_LAYERS = 3;
    /** TID has 2 bits (RFC 7741 §4.2). */
    public static final int MAX_TEMPORAL_LAYERS = 4;

    private int preferredSpatial = MAX_SPATIAL_LAYERS - 1;
    private int preferredTemporal = MAX_TEMPORAL_LAYERS - 1;
    private int allocatedSpatial = NONE;
    private int allocatedTemporal = NONE;
    /** Allocation capped by the preference. */
    private int targetSpatial = NONE;
    private int targetTemporal = NONE;
    private int currentSpatial = NONE;
    private int currentTemporal = NONE;
    /** The current layer's last forwarded frame has not reached its marker yet. */
    private boolean frameInProgress;

    private final long[] decisions = new long[Decision.values().length];
    private long abandonedFrames;
    private long spatialSwitches;

    /** Starts with the highest preference and a paused target (nothing sent before allocation). */
    public LayerSelector() {
    }

    /** What the subscriber can use; {@link #NONE} (either) when it does not show the video. */
    public void setPreferred(int spatial, int temporal) {
        preferredSpatial = clamp(spatial, MAX_SPATIAL_LAYERS);
        preferredTemporal = clamp(temporal, MAX_TEMPORAL_LAYERS);
        updateTarget();
    }

    /** What the allocator grants; {@link #NONE} (either) pauses. Capped by the preference. */
    public void setTarget(int spatial, int temporal) {
        allocatedSpatial = clamp(spatial, MAX_SPATIAL_LAYERS);
        allocatedTemporal = clamp(temporal, MAX_TEMPORAL_LAYERS);
        updateTarget();
    }

    public void pause() {
        setTarget(NONE, NONE);
    }

    private void updateTarget() {
        int s = Math.min(allocatedSpatial, preferredSpatial);
        int t = Math.min(allocatedTemporal, preferredTemporal);
        boolean paused = allocatedSpatial == NONE || preferredSpatial == NONE || t == NONE;
        targetSpatial = paused ? NONE : s;
        targetTemporal = paused ? NONE : t;
    }

    private static int clamp(int layer, int count) {
        return layer < 0 ? NONE : Math.min(layer, count - 1);
    }

    /**
     * Decides one packet of the track.
     *
     * @param spatialLayer  the simulcast encoding the packet belongs to: 0 low, 1 mid, 2 high
     * @param temporalLayer TID from the VP8 descriptor, 0 when absent
     * @param layerSync     Y from the VP8 descriptor (false when absent)
     * @param keyFrameStart first packet of a key frame
     * @param frameStart    first packet of a frame (S = 1, PID = 0)
     * @param endOfFrame    RTP marker: last packet of a frame
     */
    public Decision onPacket(int spatialLayer, int temporalLayer, boolean layerSync, boolean keyFrameStart,
                             boolean frameStart, boolean endOfFrame) {
        Decision d = decide(spatialLayer, temporalLayer, layerSync, keyFrameStart, frameStart, endOfFrame);
        decisions[d.ordinal()]++;
        return d;
    }

    private Decision decide(int s, int t, boolean sync, boolean keyStart, boolean frameStart, boolean end) {
        boolean onCurrent = s == currentSpatial;
        if (onCurrent && frameInProgress) {
            if (!frameStart) {
                // Rule 1: finish what was started.
                frameInProgress = !end;
                return Decision.FORWARD;
            }
            // A new frame began without the marker of the last one (it was lost): that frame is over.
            frameInProgress = false;
        }
        if (targetSpatial == NONE) {
            // Rule 5, once the current layer is between frames.
            if (!frameInProgress) {
                currentSpatial = NONE;
                currentTemporal = NONE;
            }
            return Decision.DROP_PAUSED;
        }
        if (keyStart && !onCurrent && movesTowardTarget(s)) {
            // Rule 2.
            if (frameInProgress) {
                abandonedFrames++;
            }
            spatialSwitches++;
            currentSpatial = s;
            currentTemporal = targetTemporal;
            frameInProgress = !end;
            return Decision.SWITCH;
        }
        if (!onCurrent) {
            return currentSpatial == NONE ? Decision.DROP_WAITING_FOR_KEYFRAME : Decision.DROP_OTHER_LAYER;
        }
        if (frameStart) {
            // Rules 3 and 4 (and 6: only the base layer while a down-switch waits).
            int allowed = temporalAllowedOnCurrent();
            if (keyStart || allowed < currentTemporal) {
                currentTemporal = allowed;
            } else if (allowed > currentTemporal && sync && t == currentTemporal + 1) {
                currentTemporal = t;
            }
            if (t > currentTemporal) {
                return Decision.DROP_TEMPORAL_LAYER;
            }
            frameInProgress = !end;
            return Decision.FORWARD;
        }
        // A frame whose first packet was lost: its TID still decides.
        return t <= currentTemporal ? Decision.FORWARD : Decision.DROP_TEMPORAL_LAYER;
    }

    /**
     * Rule 6: the target temporal layer, except while a spatial down-switch waits for its key
     * frame; then only the current layer's base temporal layer goes on. The down-switch means the
     * link cannot carry the current layer: dropping its upper temporal layers cuts the rate at
     * once (TID 1 and 2 are about 60 % of an L1T3 stream) at the next frame start, with no key
     * frame needed, so the congested queue drains while the lower layer's key frame is on its way.
     */
    private int temporalAllowedOnCurrent() {
        return downSwitchPending() ? 0 : targetTemporal;
    }

    /** A spatial down-switch waits for the lower layer's key frame. */
    public boolean downSwitchPending() {
        return currentSpatial != NONE && targetSpatial != NONE && targetSpatial < currentSpatial;
    }

    /**
     * A spatial down-switch waits for its key frame because the link cannot carry the current
     * layer: the allocator's target is below both the current layer and what the subscriber's
     * screen would use (the preferred layer), rather than the screen having asked for less.
     */
    public boolean congestedDownSwitchPending() {
        return downSwitchPending() && targetSpatial < preferredSpatial;
    }

    private boolean movesTowardTarget(int s) {
        if (currentSpatial == NONE) {
            return s <= targetSpatial;
        }
        if (currentSpatial < targetSpatial) {
            return s > currentSpatial && s <= targetSpatial;
        }
        return s < currentSpatial && s >= targetSpatial;
    }

    /**
     * True while a key frame of {@code spatialLayer} is wanted: it is the target and not yet
     * current. The caller sends the (throttled) keyframe request to that layer's SSRC.
     */
    public boolean needsKeyframe(int spatialLayer) {
        return targetSpatial != NONE && spatialLayer == targetSpatial && currentSpatial != targetSpatial;
    }

    /** The layer whose key frame is wanted ({@link #needsKeyframe}), or {@link #NONE}. */
    public int keyframeLayerWanted() {
        return targetSpatial != NONE && currentSpatial != targetSpatial ? targetSpatial : NONE;
    }

    public int preferredSpatial() { return preferredSpatial; }
    public int preferredTemporal() { return preferredTemporal; }
    public int targetSpatial() { return targetSpatial; }
    public int targetTemporal() { return targetTemporal; }
    public int currentSpatial() { return currentSpatial; }
    public int currentTemporal() { return currentTemporal; }
    public boolean isPaused() { return targetSpatial == NONE; }

    /** How many packets got {@code d}. */
    public long count(Decision d) { return decisions[d.ordinal()]; }

    /** Frames of an old layer left unfinished by a switch (see rule 2). */
    public long abandonedFrames() { return abandonedFrames; }

    public long spatialSwitches() { return spatialSwitches; }
}
