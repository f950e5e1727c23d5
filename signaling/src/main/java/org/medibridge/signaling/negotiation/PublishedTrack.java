package org.medibridge.signaling.negotiation;

import java.util.List;

import org.medibridge.sdp.MediaKind;

/**
 * A track the browser sends on its publisher connection, as its offer declares it.
 *
 * @param ssrc      the primary SSRC, -1 when the offer declares none (simulcast with rids)
 * @param rtxSsrc   the RTX SSRC (RFC 4588) of an {@code a=ssrc-group:FID}, -1 when none, when
 *                  RTX is not negotiated, or with simulcast (then each layer's is learnt from RTP)
 * @param channels  rtpmap channels with the default of 1 applied
 * @param streamId  from a=msid (or the ssrc msid attribute), null when absent; "-" means no stream
 * @param trackId   likewise, null when absent
 * @param cname     from {@code a=ssrc:<ssrc> cname:}, null when absent
 * @param rtxPayloadType the negotiated {@code rtx} format repairing this track's codec, -1 when none
 * @param nack      whether the browser takes Generic NACKs for this track ({@code a=rtcp-fb:<pt> nack})
 */
public record PublishedTrack(String mid, MediaKind kind, long ssrc, long rtxSsrc, int payloadType, String codecName,
                             int clockRate, int channels, String streamId, String trackId, String cname, List<String> rids,
                             int rtxPayloadType, boolean nack) {
    public PublishedTrack {
        rids = rids == null ? List.of() : List.copyOf(rids);
    }

    /** Whether the track arrives as rid simulcast (SSRCs learnt from RTP). */
    public boolean simulcast() {
        return !rids.isEmpty();
    }
}
