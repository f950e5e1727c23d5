package org.medibridge.signaling.negotiation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.medibridge.sdp.Fingerprint;
import org.medibridge.sdp.Group;
import org.medibridge.sdp.MediaDescription;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.sdp.Setup;

/**
 * The one (BUNDLE) transport a remote description asks for, checked the same way for publisher
 * offers and subscriber answers.
 *
 * @param setup null when the description has no a=setup
 */
record RemoteTransport(String iceUfrag, String icePwd, Fingerprint fingerprint, Setup setup, List<String> candidates) {
    /** When every m-line is rejected there is no transport to describe. */
    static final RemoteTransport NONE = new RemoteTransport(null, null, null, null, List.of());

    /**
     * Checks BUNDLE, rtcp-mux, ICE and DTLS parameters of the accepted m-lines, in that order.
     * RFC 8843 §7.1.3: the transport of a BUNDLE group is described by the BUNDLE-tag m-line, the
     * first m-line of the group; session-level ICE and fingerprint attributes are the fallback.
     */
    static RemoteTransport check(SessionDescription remote, List<MediaDescription> accepted) throws NegotiationException {
        if (accepted.isEmpty()) {
            return NONE;
        }
        Group bundle = remote.bundleGroup().orElse(null);
        for (MediaDescription m : accepted) {
            if (m.mid() == null) {
                throw new NegotiationException(NegotiationException.SDP_NO_BUNDLE, "m=" + m.media() + " line without a=mid");
            }
            if (bundle == null || !bundle.mids().contains(m.mid())) {
                throw new NegotiationException(NegotiationException.SDP_NO_BUNDLE,
                        "m-line " + m.mid() + " is not in a BUNDLE group (max-bundle is required)");
            }
        }
        for (MediaDescription m : accepted) {
            if (!m.rtcpMux()) {
                throw new NegotiationException(NegotiationException.SDP_NO_RTCP_MUX,
                        "m-line " + m.mid() + " has no a=rtcp-mux (rtcpMuxPolicy require is required)");
            }
        }
        MediaDescription tag = tag(bundle, accepted);
        String ufrag = tag.iceUfrag() != null ? tag.iceUfrag() : remote.iceUfrag();
        String pwd = tag.icePwd() != null ? tag.icePwd() : remote.icePwd();
        if (ufrag == null || pwd == null) {
            throw new NegotiationException(NegotiationException.SDP_MISSING_ICE,
                    "no a=ice-ufrag/a=ice-pwd for the BUNDLE transport (m-line " + tag.mid() + ")");
        }
        List<Fingerprint> fps = !tag.fingerprints().isEmpty() ? tag.fingerprints() : remote.fingerprints();
        if (fps.isEmpty()) {
            throw new NegotiationException(NegotiationException.SDP_MISSING_FINGERPRINT,
                    "no a=fingerprint for the BUNDLE transport (m-line " + tag.mid() + ")");
        }
        Set<String> candidates = new LinkedHashSet<>();
        for (MediaDescription m : accepted) {
            candidates.addAll(m.candidates());
        }
        return new RemoteTransport(ufrag, pwd, fps.get(0), tag.setup(), new ArrayList<>(candidates));
    }

    /** The first mid of the BUNDLE group that names an accepted m-line. */
    private static MediaDescription tag(Group bundle, List<MediaDescription> accepted) {
        for (String mid : bundle.mids()) {
            for (MediaDescription m : accepted) {
                if (mid.equals(m.mid())) {
                    return m;
                }
            }
        }
        throw new IllegalStateException("accepted m-lines are all in the group");
    }
}
