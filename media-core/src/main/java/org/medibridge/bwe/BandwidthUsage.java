package org.medibridge.bwe;

/**
 * The over-use detector's hypothesis about the bottleneck, named as in
 * draft-ietf-rmcat-gcc-02 section 5.4: "overuse", "underuse" or "normal".
 */
public enum BandwidthUsage {
    /** Queuing delay is stable: the rate controller may increase. */
    NORMAL,
    /** Queuing delay grows: the send rate exceeds the bottleneck, decrease. */
    OVERUSING,
    /** Queuing delay shrinks: a queue is draining, hold the rate until it is empty. */
    UNDERUSING
}
