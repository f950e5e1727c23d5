package org.medibridge.signaling.room;

import org.medibridge.router.OutgoingStream;

/**
 * One m-line of a subscriber connection. Slots are only ever appended; when their track ends
 * they stay as rejected (port 0) m-lines, as JSEP requires of m-lines once negotiated.
 */
final class SubscriberSlot {
    final String mid;
    final Track track;
    final long ssrc;
    /** Video: the SSRC of the RTX stream offered with it (RFC 4588); -1 for audio. */
    final long rtxSsrc;
    boolean active = true;
    /** The leg, created once the browser answered the offer that carries this slot. */
    OutgoingStream leg;

    SubscriberSlot(String mid, Track track, long ssrc, long rtxSsrc) {
        this.mid = mid;
        this.track = track;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
    }
}
