package org.medibridge.signaling.negotiation;

import java.util.List;
import java.util.Map;
import org.medibridge.sdp.Fingerprint;
import org.medibridge.sdp.SessionDescription;

/**
 * The result of answering a publisher offer.
 *
 * @param answer             the answer to send back (write it with SdpWriter)
 * @param serverIsDtlsServer true when the answer says {@code a=setup:passive}
 * @param remoteCandidates   candidate attribute values found in the offer (often none: browsers trickle)
 * @param headerExtensions   negotiated header extension URI → id; one id per URI under BUNDLE
 * @param tracks             one entry per m-line the browser sends on, in m-line order
 */
public record PublisherAnswer(SessionDescription answer, String remoteIceUfrag, String remoteIcePwd,
                              Fingerprint remoteFingerprint, boolean serverIsDtlsServer, List<String> remoteCandidates,
                              Map<String, Integer> headerExtensions, List<PublishedTrack> tracks) {
    public PublisherAnswer {
        remoteCandidates = List.copyOf(remoteCandidates);
        headerExtensions = Map.copyOf(headerExtensions);
        tracks = List.copyOf(tracks);
    }
}
