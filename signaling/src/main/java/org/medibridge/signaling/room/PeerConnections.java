package org.medibridge.signaling.room;

import java.util.List;
import org.medibridge.sdp.SdpParseException;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.signaling.SignalingException;
import org.medibridge.signaling.negotiation.LocalTransportParameters;

/**
 * What a participant's publisher and subscriber connection negotiate alike: reading the
 * browser's SDP, our transport's ICE and DTLS parameters, the browser's candidates (in its SDP or
 * trickled) and the ICE restart rate limit. No state of its own; called on the room's thread.
 */
final class PeerConnections {
    static final long ICE_RESTART_MIN_INTERVAL_NANOS = 1_000_000_000L;

    private PeerConnections() {
    }

    /** Our side of a connection, as its offer or answer states it. */
    static LocalTransportParameters local(RoomContext context, PeerTransport t, long sessionId) {
        return new LocalTransportParameters(t.localUfrag(), t.localPassword(), "sha-256",
                context.fingerprint(), t.localCandidates(), sessionId);
    }

    static SessionDescription parse(String sdpText) {
        try {
            return SdpParser.parse(sdpText);
        } catch (SdpParseException e) {
            throw new SignalingException("sdp_invalid", e.getMessage());
        }
    }

    static void addCandidates(PeerTransport t, List<String> candidates) {
        for (String c : candidates) {
            try {
                t.addRemoteCandidate(c);
            } catch (IllegalArgumentException ignored) {
                // A candidate in the SDP we cannot use (mDNS, TCP) is skipped; checks still find a pair.
            }
        }
    }

    /** A trickled candidate ({@code candidate} message) for either connection. */
    static void onCandidate(Participant p, String pc, String candidate) {
        PeerTransport t = "publisher".equals(pc) ? p.publisherTransport : p.subscriberTransport;
        if (candidate == null || candidate.isBlank()) {
            return; // end-of-candidates
        }
        try {
            if (t == null) {
                // A connection not negotiated yet: still tell the sender when the line is malformed.
                org.medibridge.ice.IceCandidateInfo.parse(candidate);
                return;
            }
            t.addRemoteCandidate(candidate);
        } catch (IllegalArgumentException e) {
            throw new SignalingException("bad_candidate", "Could not use the ICE candidate: " + e.getMessage());
        }
    }

    /** An ICE restart makes an ice4j agent and a new check list: at most one per connection per second. */
    static void checkIceRestartRate(Participant p, boolean publisher) {
        long now = System.nanoTime();
        long last = publisher ? p.lastPublisherIceRestartNanos : p.lastSubscriberIceRestartNanos;
        if (last != 0 && now - last < ICE_RESTART_MIN_INTERVAL_NANOS) {
            throw new SignalingException("too_many_requests", "ICE restarts come at most once a second");
        }
        if (publisher) {
            p.lastPublisherIceRestartNanos = now;
        } else {
            p.lastSubscriberIceRestartNanos = now;
        }
    }
}
