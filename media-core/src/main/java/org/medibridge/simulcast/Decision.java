package org.medibridge.simulcast;

/**
 * What {@link LayerSelector#onPacket} decided for one packet: forward it, or drop it for one
 * named reason (each counted by the selector).
 */
public enum Decision {
    /** Forward: the packet belongs to the current layers. */
    FORWARD,
    /**
     * Forward: this key frame's first packet makes its spatial layer the current one (a switch,
     * the first packet ever, or a resume). The rewriter re-anchors its output on this packet.
     */
    SWITCH,
    /** Drop: the target is paused (bandwidth, hidden video); takes effect between frames. */
    DROP_PAUSED,
    /** Drop: nothing is current yet; waiting for a key frame of a layer up to the target. */
    DROP_WAITING_FOR_KEYFRAME,
    /** Drop: a spatial layer (simulcast encoding) other than the current one. */
    DROP_OTHER_LAYER,
    /** Drop: a temporal layer (TID) above the current one. */
    DROP_TEMPORAL_LAYER;

    /** True for {@link #FORWARD} and {@link #SWITCH}. */
    public boolean forwards() {
        return this == FORWARD || this == SWITCH;
    }
}
