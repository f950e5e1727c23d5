package org.medibridge.signaling.negotiation;

import java.util.List;

import org.medibridge.sdp.MediaKind;

/**
 * A track the browser sends on its publisher connection, as its offer declares it.
 *
 * @param ssrc      the primary SSRC, -1 when the offer declares none (simulcast with rids)
 * @param rtxSsrc   the RTX SSRC of an {@code a=ssrc-group:FID}, -1 when none. RTX is not negotiated
 *                  (the answer has VP8 only), so the browser does not actually send it
 * @param channels  rtpmap channels with the default of 1 applied
 * @param streamId  from a=msid (or the ssrc msid attribute), null when absent; "-" means no stream
 * @param trackId   likewise, null when absent
 * @param cname     from {@code a=ssrc:<ssrc> cname:}, null when absent
 */
public record PublishedTrack(String mid, MediaKind kind, long ssrc, long rtxSsrc, int payloadType, String codecName,
                             int clockRate, int channels, String streamId, String trackId, String cname, List<String> rids) {
    public PublishedTrack {
        rids = rids == null ? List.of() : List.copyOf(rids);
    }

    /** Whether the track arrives as rid simulcast (SSRCs learnt from RTP). */
    public boolean simulcast() {
        return !rids.isEmpty();
    }
}
