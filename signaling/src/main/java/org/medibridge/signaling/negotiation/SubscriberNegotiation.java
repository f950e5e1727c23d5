package org.medibridge.signaling.negotiation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.medibridge.rtp.RtpHeaderExtensionUris;
import org.medibridge.sdp.Codec;
import org.medibridge.sdp.Direction;
import org.medibridge.sdp.ExtMap;
import org.medibridge.sdp.Fingerprint;
import org.medibridge.sdp.Group;
import org.medibridge.sdp.MediaDescription;
import org.medibridge.sdp.MediaKind;
import org.medibridge.sdp.Msid;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.sdp.Setup;
import org.medibridge.sdp.SsrcAttribute;
import org.medibridge.sdp.SsrcGroup;

/**
 * Offers of the server's subscriber connection and the checks on the browser's answers.
 * <p>
 * Every offer lists all tracks ever offered on the connection, in the order they were added
 * (JSEP §5.2.2: m-lines are never removed or reordered). An ended track's m-line is rejected with
 * port 0 and carries only its a=mid; setting such an offer stops the browser's transceiver and
 * ends its remote track.
 */
public final class SubscriberNegotiation {
    private SubscriberNegotiation() {
    }

    /**
     * @param sessionVersion the o= version: increase it for every re-offer (RFC 3264 §8); the o=
     *                       session id stays {@link LocalTransportParameters#sessionId()}
     * @param tracks         all tracks of the connection in m-line order, ended ones inactive
     */
    public static SessionDescription offer(LocalTransportParameters local, long sessionVersion, List<OutgoingTrack> tracks) {
        Set<String> mids = new HashSet<>();
        List<String> bundleMids = new ArrayList<>();
        for (OutgoingTrack t : tracks) {
            if (!mids.add(t.mid())) {
                throw new IllegalArgumentException("duplicate mid " + t.mid());
            }
            if (t.active()) {
                bundleMids.add(t.mid());
            }
        }
        SessionDescription offer = new SessionDescription(MediaProfile.origin(local, sessionVersion));
        offer.iceOptions("trickle");
        offer.msidSemantic("WMS *");
        if (!bundleMids.isEmpty()) {
            offer.groups().add(new Group(Group.BUNDLE, bundleMids));
        }
        for (OutgoingTrack t : tracks) {
            offer.media().add(t.active() ? active(local, t, t.mid().equals(bundleMids.get(0))) : rejected(t));
        }
        return offer;
    }

    private static MediaDescription active(LocalTransportParameters local, OutgoingTrack t, boolean bundleTag) {
        MediaDescription m = new MediaDescription(t.kind().sdpName(), MediaProfile.DUMMY_PORT, MediaProfile.PROTO)
                .connection(MediaProfile.dummyConnection())
                .iceUfrag(local.iceUfrag())
                .icePwd(local.icePwd())
                .setup(Setup.ACTPASS)
                .mid(t.mid())
                .direction(t.isAnchor() ? Direction.INACTIVE : Direction.SENDONLY)
                .rtcpMux(true)
                .rtcpRsize(true);
        m.fingerprints().add(new Fingerprint(local.fingerprintAlgorithm(), local.fingerprint()));
        if (t.kind() == MediaKind.AUDIO) {
            m.extMaps().add(new ExtMap(SubscriberRtpParameters.AUDIO_LEVEL_ID, RtpHeaderExtensionUris.AUDIO_LEVEL));
        }
        m.extMaps().add(new ExtMap(SubscriberRtpParameters.ABS_SEND_TIME_ID, RtpHeaderExtensionUris.ABS_SEND_TIME));
        m.extMaps().add(new ExtMap(SubscriberRtpParameters.TRANSPORT_CC_ID, RtpHeaderExtensionUris.TRANSPORT_CC));
        m.extMaps().add(new ExtMap(SubscriberRtpParameters.MID_ID, RtpHeaderExtensionUris.MID));
        m.addCodec(codec(t.kind()));
        if (t.hasRtx()) {
            // RFC 4588 §8.6: rtx with the payload type it repairs; paired by SSRC (RFC 5576 §4.2 FID).
            m.addCodec(new Codec(SubscriberRtpParameters.RTX_PAYLOAD_TYPE, SubscriberRtpParameters.RTX_ENCODING, 90000, 0)
                    .fmtp("apt", Integer.toString(SubscriberRtpParameters.VP8_PAYLOAD_TYPE)));
        }
        if (!t.isAnchor()) {
            m.msids().add(new Msid(t.streamId(), t.trackId()));
            if (t.hasRtx()) {
                m.ssrcGroups().add(new SsrcGroup("FID", List.of(t.ssrc(), t.rtxSsrc())));
            }
            m.ssrcs().add(new SsrcAttribute(t.ssrc(), "cname", t.cname()));
            m.ssrcs().add(new SsrcAttribute(t.ssrc(), "msid", t.streamId() + " " + t.trackId()));
            if (t.hasRtx()) {
                m.ssrcs().add(new SsrcAttribute(t.rtxSsrc(), "cname", t.cname()));
                m.ssrcs().add(new SsrcAttribute(t.rtxSsrc(), "msid", t.streamId() + " " + t.trackId()));
            }
        }
        if (bundleTag) {
            m.candidates().addAll(local.candidates());
            m.endOfCandidates(true);
        }
        return m;
    }

    private static Codec codec(MediaKind kind) {
        if (kind == MediaKind.AUDIO) {
            return new Codec(SubscriberRtpParameters.OPUS_PAYLOAD_TYPE, MediaProfile.OPUS, 48000, 2)
                    .fmtp("minptime", "10").fmtp("useinbandfec", "1");
        }
        return new Codec(SubscriberRtpParameters.VP8_PAYLOAD_TYPE, MediaProfile.VP8, 90000, 0)
                .feedback("goog-remb").feedback("transport-cc").feedback("ccm fir")
                .feedback("nack").feedback("nack pli");
    }

    /** RFC 3264 §6 / JSEP §5.2.2: port 0, the mid kept so the m-line stays identifiable. */
    private static MediaDescription rejected(OutgoingTrack t) {
        MediaDescription m = new MediaDescription(t.kind().sdpName(), 0, MediaProfile.PROTO)
                .connection(MediaProfile.dummyConnection())
                .mid(t.mid());
        m.formats().add(Integer.toString(t.kind() == MediaKind.AUDIO
                ? SubscriberRtpParameters.OPUS_PAYLOAD_TYPE : SubscriberRtpParameters.VP8_PAYLOAD_TYPE));
        return m;
    }

    /** Parses and checks; a parse failure is {@code sdp_invalid}. */
    public static SubscriberAnswer acceptAnswer(SessionDescription ourOffer, String answerSdp) throws NegotiationException {
        return acceptAnswer(ourOffer, PublisherNegotiation.parse(answerSdp));
    }

    /**
     * Checks the browser's answer against the offer it answers: same m-lines and mids in the same
     * order, nothing accepted that the offer rejected, BUNDLE, rtcp-mux, ICE, fingerprint, a DTLS
     * role, our codec on every accepted m-line, and only offered header extension ids.
     * When the browser accepted no m-line at all, the transport fields of the result are null.
     */
    public static SubscriberAnswer acceptAnswer(SessionDescription ourOffer, SessionDescription answer)
            throws NegotiationException {
        List<MediaDescription> offered = ourOffer.media();
        List<MediaDescription> answered = answer.media();
        if (offered.size() != answered.size()) {
            throw invalid("the answer has " + answered.size() + " m-lines, the offer " + offered.size());
        }
        List<MediaDescription> accepted = new ArrayList<>();
        List<String> acceptedMids = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            MediaDescription o = offered.get(i);
            MediaDescription a = answered.get(i);
            if (!o.media().equals(a.media())) {
                throw invalid("m-line " + i + " is " + a.media() + " in the answer, " + o.media() + " in the offer");
            }
            if (a.isRejected()) {
                if (a.mid() != null && !a.mid().equals(o.mid())) {
                    throw invalid("m-line " + i + " has mid " + a.mid() + ", the offer " + o.mid());
                }
                continue;
            }
            if (o.isRejected()) {
                throw invalid("the answer accepts m-line " + o.mid() + " that the offer rejected");
            }
            if (!Objects.equals(o.mid(), a.mid())) {
                throw invalid("m-line " + i + " has mid " + a.mid() + ", the offer " + o.mid());
            }
            if (!a.proto().equals(MediaProfile.PROTO)) {
                throw new NegotiationException(NegotiationException.SDP_UNSUPPORTED, "m-line " + a.mid() + " uses " + a.proto());
            }
            if (a.effectiveDirection().sends()) {
                throw invalid("m-line " + a.mid() + " answers a sendonly offer with " + a.effectiveDirection().sdpName());
            }
            accepted.add(a);
            acceptedMids.add(a.mid());
        }
        RemoteTransport remote = RemoteTransport.check(answer, accepted);
        boolean serverIsDtlsServer = false;
        if (!accepted.isEmpty()) {
            if (remote.setup() == Setup.ACTIVE) {
                serverIsDtlsServer = true;
            } else if (remote.setup() != Setup.PASSIVE) {
                throw new NegotiationException(NegotiationException.SDP_UNSUPPORTED, "an answer to a=setup:actpass must say"
                        + " active or passive, not " + (remote.setup() == null ? "nothing" : remote.setup().sdpName()));
            }
        }
        Map<String, Integer> extensions = new LinkedHashMap<>();
        List<String> rtxMids = new ArrayList<>();
        for (MediaDescription a : accepted) {
            MediaDescription o = ourOffer.mediaByMid(a.mid()).orElseThrow();
            Codec ours = o.codecs().values().iterator().next();
            Codec theirs = a.codec(ours.payloadType());
            if (theirs == null || !theirs.isNamed(ours.name())) {
                throw new NegotiationException(NegotiationException.SDP_NO_COMMON_CODEC,
                        "m-line " + a.mid() + " does not accept " + ours.name() + "/" + ours.payloadType());
            }
            if (acceptsRtx(o, a)) {
                rtxMids.add(a.mid());
            }
            for (ExtMap e : a.extMaps()) {
                if (o.extMapId(e.uri()) != e.id()) {
                    throw invalid("m-line " + a.mid() + " answers a=extmap:" + e.id() + " " + e.uri() + " that was not offered");
                }
                extensions.put(e.uri(), e.id());
            }
        }
        return new SubscriberAnswer(remote.iceUfrag(), remote.icePwd(), remote.fingerprint(), serverIsDtlsServer,
                remote.candidates(), extensions, acceptedMids, rtxMids);
    }

    /**
     * Whether the answer kept the rtx format we offered on this m-line, still repairing our VP8
     * (RFC 4588 §8.6). A browser that drops it (or changes its apt) gets plain retransmissions.
     */
    private static boolean acceptsRtx(MediaDescription offered, MediaDescription answered) {
        Codec ours = offered.codec(SubscriberRtpParameters.RTX_PAYLOAD_TYPE);
        if (ours == null || !ours.isNamed(SubscriberRtpParameters.RTX_ENCODING)) {
            return false;
        }
        Codec theirs = answered.codec(SubscriberRtpParameters.RTX_PAYLOAD_TYPE);
        return theirs != null && theirs.isNamed(SubscriberRtpParameters.RTX_ENCODING) && theirs.clockRate() == ours.clockRate()
                && Integer.toString(SubscriberRtpParameters.VP8_PAYLOAD_TYPE).equals(theirs.fmtp().get("apt"));
    }

    private static NegotiationException invalid(String message) {
        return new NegotiationException(NegotiationException.SDP_INVALID, message);
    }
}
