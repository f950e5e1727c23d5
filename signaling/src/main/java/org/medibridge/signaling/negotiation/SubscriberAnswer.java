package org.medibridge.signaling.negotiation;

import java.util.List;
import java.util.Map;
import org.medibridge.sdp.Fingerprint;

/**
 * What the browser's answer to a subscriber offer tells the server.
 *
 * @param serverIsDtlsServer true when the browser answered {@code a=setup:active}
 * @param remoteCandidates   candidate attribute values found in the answer
 * @param headerExtensions   extension URI → id the browser accepted (ids are the offer's)
 * @param acceptedMids       mids of the m-lines the browser accepted, in m-line order
 * @param rtxMids            accepted video m-lines whose answer kept our rtx payload type (with
 *                           {@code apt} of our VP8): the server may send RTX there; on the others
 *                           it retransmits the original packets and sends no probe padding
 */
public record SubscriberAnswer(String remoteIceUfrag, String remoteIcePwd, Fingerprint remoteFingerprint,
                               boolean serverIsDtlsServer, List<String> remoteCandidates,
                               Map<String, Integer> headerExtensions, List<String> acceptedMids,
                               List<String> rtxMids) {
    public SubscriberAnswer {
        remoteCandidates = List.copyOf(remoteCandidates);
        headerExtensions = Map.copyOf(headerExtensions);
        acceptedMids = List.copyOf(acceptedMids);
        rtxMids = List.copyOf(rtxMids);
    }
}
