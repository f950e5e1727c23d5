package org.medibridge.signaling.negotiation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medibridge.sdp.Codec;
import org.medibridge.sdp.Direction;
import org.medibridge.sdp.ExtMap;
import org.medibridge.sdp.Fingerprint;
import org.medibridge.sdp.Group;
import org.medibridge.sdp.MediaDescription;
import org.medibridge.sdp.MediaKind;
import org.medibridge.sdp.Msid;
import org.medibridge.sdp.SdpParseException;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.sdp.Setup;
import org.medibridge.sdp.SsrcGroup;

/**
 * Answers the offer of a browser's publisher connection (JSEP, RFC 8829 §5.3.1).
 * <p>
 * Decisions:
 * <ul>
 * <li>audio and video m-lines must use UDP/TLS/RTP/SAVPF, else {@code sdp_unsupported}; other
 *     m-lines (data channel, unknown media) are rejected with port 0, as are m-lines the offer
 *     itself rejects. An offer with no audio or video m-line left is {@code sdp_unsupported}.</li>
 * <li>an m-line that sends (sendonly or sendrecv) is answered recvonly and becomes a
 *     {@link PublishedTrack}; one that does not send (recvonly, inactive) is answered inactive: the
 *     publisher connection carries nothing towards the browser.</li>
 * <li>every accepted m-line needs Opus (audio) or VP8 (video), else {@code sdp_no_common_codec};
 *     the answer has that codec with the offer's payload type and, for VP8, the offer's
 *     {@code rtx} format whose {@code apt} is VP8's (RFC 4588 §8.6), so the browser answers the
 *     server's NACKs with RTX. The RTX SSRC of a plain track comes from
 *     {@code a=ssrc-group:FID} (RFC 5576 §4); a simulcast layer's from the
 *     {@code repaired-rtp-stream-id} of its RTX packets.</li>
 * <li>the server takes the DTLS server role ({@code a=setup:passive}) when the browser offers
 *     actpass or active (or nothing: RFC 4145's default is active); for {@code passive} it answers
 *     active; {@code holdconn} is {@code sdp_unsupported}.</li>
 * <li>the answer carries {@code a=ice-options:trickle}: the server accepts trickled browser
 *     candidates. Its own candidate(s) and {@code a=end-of-candidates} go in the BUNDLE-tag m-line:
 *     it does not trickle.</li>
 * </ul>
 */
public final class PublisherNegotiation {
    private PublisherNegotiation() {
    }

    /** Parses and answers; a parse failure is {@code sdp_invalid}. */
    public static PublisherAnswer answer(String offerSdp, LocalTransportParameters local) throws NegotiationException {
        return answer(parse(offerSdp), local);
    }

    public static PublisherAnswer answer(SessionDescription offer, LocalTransportParameters local)
            throws NegotiationException {
        return answer(offer, local, 1);
    }

    /** @param sessionVersion the answer's o= version; increase it when answering a re-offer */
    public static PublisherAnswer answer(SessionDescription offer, LocalTransportParameters local, long sessionVersion)
            throws NegotiationException {
        List<MediaDescription> accepted = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            if (accepts(m)) {
                accepted.add(m);
            }
        }
        if (accepted.isEmpty()) {
            throw new NegotiationException(NegotiationException.SDP_UNSUPPORTED, "the offer has no audio or video m-line");
        }
        RemoteTransport remote = RemoteTransport.check(offer, accepted);
        boolean serverIsDtlsServer = serverIsDtlsServer(remote.setup());
        Map<String, Integer> extensions = headerExtensions(accepted);

        SessionDescription answer = new SessionDescription(MediaProfile.origin(local, sessionVersion));
        answer.iceOptions("trickle");
        answer.extmapAllowMixed(offer.extmapAllowMixed() || accepted.stream().anyMatch(MediaDescription::extmapAllowMixed));
        List<String> bundleMids = new ArrayList<>();
        for (String mid : offer.bundleGroup().orElseThrow().mids()) {
            if (accepted.stream().anyMatch(m -> mid.equals(m.mid()))) {
                bundleMids.add(mid);
            }
        }
        answer.groups().add(new Group(Group.BUNDLE, bundleMids));

        List<PublishedTrack> tracks = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            if (!accepted.contains(m)) {
                answer.media().add(rejected(m));
                continue;
            }
            MediaKind kind = m.kind().orElseThrow();
            Codec offered = commonCodec(m, kind);
            MediaDescription a = new MediaDescription(m.media(), MediaProfile.DUMMY_PORT, MediaProfile.PROTO)
                    .connection(MediaProfile.dummyConnection())
                    .mid(m.mid())
                    .iceUfrag(local.iceUfrag())
                    .icePwd(local.icePwd())
                    .setup(serverIsDtlsServer ? Setup.PASSIVE : Setup.ACTIVE)
                    .direction(m.effectiveDirection().sends() ? Direction.RECVONLY : Direction.INACTIVE)
                    .rtcpMux(true)
                    .rtcpRsize(m.rtcpRsize());
            a.fingerprints().add(new Fingerprint(local.fingerprintAlgorithm(), local.fingerprint()));
            a.addCodec(answerCodec(offered, kind));
            Codec rtx = kind == MediaKind.VIDEO ? rtxFor(m, offered) : null;
            if (rtx != null) {
                a.addCodec(new Codec(rtx.payloadType(), rtx.name(), rtx.clockRate(), rtx.channels())
                        .fmtp(APT, Integer.toString(offered.payloadType())));
            }
            for (ExtMap e : m.extMaps()) {
                if (receivable(e)) {
                    // RFC 8285 §6: an extension the browser only sends is answered recvonly.
                    Direction dir = e.direction() == Direction.SENDONLY ? Direction.RECVONLY : null;
                    a.extMaps().add(new ExtMap(e.id(), dir, e.uri(), null));
                }
            }
            List<String> rids = sendRids(m);
            if (!rids.isEmpty()) {
                // RFC 8853 §5.3: only an answer that receives every rid makes the browser send
                // all its simulcast encodings (otherwise Chromium sends the first one only).
                for (String rid : rids) {
                    a.rids().add(new org.medibridge.sdp.Rid(rid, "recv", null));
                }
                a.simulcast("recv " + String.join(";", rids));
            }
            if (m.mid().equals(bundleMids.get(0))) {
                a.candidates().addAll(local.candidates());
                a.endOfCandidates(true);
            }
            answer.media().add(a);
            if (m.effectiveDirection().sends()) {
                tracks.add(track(m, kind, offered, rtx));
            }
        }
        return new PublisherAnswer(answer, remote.iceUfrag(), remote.icePwd(), remote.fingerprint(), serverIsDtlsServer,
                remote.candidates(), extensions, tracks);
    }

    static SessionDescription parse(String sdp) throws NegotiationException {
        try {
            return SdpParser.parse(sdp);
        } catch (SdpParseException e) {
            throw new NegotiationException(NegotiationException.SDP_INVALID, e.getMessage(), e);
        }
    }

    private static boolean accepts(MediaDescription m) throws NegotiationException {
        Optional<MediaKind> kind = m.kind();
        if (m.isRejected() || kind.isEmpty() || kind.get() == MediaKind.APPLICATION) {
            return false;
        }
        if (!m.proto().equals(MediaProfile.PROTO)) {
            throw new NegotiationException(NegotiationException.SDP_UNSUPPORTED,
                    "m=" + m.media() + " uses " + m.proto() + ", only " + MediaProfile.PROTO + " is supported");
        }
        return true;
    }

    /** RFC 5763 §5: the answerer picks the role the offerer left open. */
    private static boolean serverIsDtlsServer(Setup offered) throws NegotiationException {
        if (offered == null || offered == Setup.ACTPASS || offered == Setup.ACTIVE) {
            return true;
        }
        if (offered == Setup.PASSIVE) {
            return false;
        }
        throw new NegotiationException(NegotiationException.SDP_UNSUPPORTED, "a=setup:" + offered.sdpName());
    }

    private static Codec commonCodec(MediaDescription m, MediaKind kind) throws NegotiationException {
        String name = kind == MediaKind.AUDIO ? MediaProfile.OPUS : MediaProfile.VP8;
        return m.firstCodecNamed(name).orElseThrow(() -> new NegotiationException(
                NegotiationException.SDP_NO_COMMON_CODEC, "m-line " + m.mid() + " (" + m.media() + ") offers no " + name));
    }

    private static Codec answerCodec(Codec offered, MediaKind kind) {
        Codec c = new Codec(offered.payloadType(), offered.name(), offered.clockRate(), offered.channels());
        if (kind == MediaKind.AUDIO) {
            for (String key : MediaProfile.OPUS_ANSWER_FMTP) {
                if (offered.fmtp().containsKey(key)) {
                    c.fmtp(key, offered.fmtp().get(key));
                }
            }
        } else {
            for (String fb : MediaProfile.VP8_PUBLISHER_FEEDBACK) {
                if (offered.feedback().contains(fb)) {
                    c.feedback(fb);
                }
            }
            c.fmtp("x-google-start-bitrate", MediaProfile.VP8_START_BITRATE);
        }
        return c;
    }

    private static final String RTX = "rtx";
    private static final String APT = "apt";
    private static final String NACK = "nack";

    /**
     * The offer's first {@code rtx} format (RFC 4588 §8.6) whose {@code apt} is {@code media}'s
     * payload type, with the same clock rate; null when it offers none.
     */
    static Codec rtxFor(MediaDescription m, Codec media) {
        String pt = Integer.toString(media.payloadType());
        for (Codec c : m.codecs().values()) {
            if (c.isNamed(RTX) && pt.equals(c.fmtp().get(APT)) && c.clockRate() == media.clockRate()) {
                return c;
            }
        }
        return null;
    }

    /**
     * RFC 8843 §9.1.1: within a BUNDLE group an extension URI has one id, and an id one URI.
     */
    private static Map<String, Integer> headerExtensions(List<MediaDescription> accepted) throws NegotiationException {
        Map<String, Integer> byUri = new LinkedHashMap<>();
        Map<Integer, String> byId = new HashMap<>();
        for (MediaDescription m : accepted) {
            for (ExtMap e : m.extMaps()) {
                if (!receivable(e)) {
                    continue;
                }
                Integer id = byUri.putIfAbsent(e.uri(), e.id());
                String uri = byId.putIfAbsent(e.id(), e.uri());
                if ((id != null && id != e.id()) || (uri != null && !uri.equals(e.uri()))) {
                    throw new NegotiationException(NegotiationException.SDP_UNSUPPORTED,
                            "conflicting a=extmap ids within the BUNDLE group for " + e.uri());
                }
            }
        }
        return byUri;
    }

    /** One of ours, and not offered recvonly/inactive (then the browser would never send it). */
    private static boolean receivable(ExtMap e) {
        return MediaProfile.HEADER_EXTENSIONS.contains(e.uri())
                && (e.direction() == null || e.direction().sends());
    }

    private static MediaDescription rejected(MediaDescription offered) {
        MediaDescription r = new MediaDescription(offered.media(), 0, offered.proto())
                .connection(MediaProfile.dummyConnection())
                .mid(offered.mid());
        r.formats().addAll(offered.formats());
        return r;
    }

    /**
     * The rids a video m-line sends with simulcast (RFC 8851/8853), in the offer's simulcast
     * order, which the client lists from the lowest to the highest encoding; empty without
     * simulcast. Paused ({@code ~}) and alternative ({@code ,}) rids are not used.
     */
    static List<String> sendRids(MediaDescription m) {
        if (m.simulcast() == null || m.rids().isEmpty()) {
            return List.of();
        }
        String[] parts = m.simulcast().strip().split("\\s+");
        if (parts.length < 2 || !parts[0].equals("send")) {
            return List.of();
        }
        List<String> rids = new ArrayList<>();
        for (String alt : parts[1].split(";")) {
            String rid = alt.split(",")[0];
            boolean declared = m.rids().stream().anyMatch(r -> r.id().equals(rid) && r.direction().equals("send"));
            if (!rid.startsWith("~") && declared && rids.size() < MediaProfile.MAX_SIMULCAST_LAYERS) {
                rids.add(rid);
            }
        }
        return rids;
    }

    private static PublishedTrack track(MediaDescription m, MediaKind kind, Codec codec, Codec rtxCodec) {
        long ssrc = -1;
        long rtx = -1;
        for (SsrcGroup g : m.ssrcGroups()) {
            if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
                ssrc = g.ssrcs().get(0);
                rtx = g.ssrcs().get(1);
                break;
            }
        }
        if (ssrc < 0 && !m.ssrcs().isEmpty()) {
            ssrc = m.ssrcs().get(0).ssrc();
        }
        String streamId = null;
        String trackId = null;
        if (!m.msids().isEmpty()) {
            Msid msid = m.msids().get(0);
            streamId = msid.streamId();
            trackId = msid.trackId();
        } else if (ssrc >= 0 && m.ssrcAttribute(ssrc, "msid") != null) {
            String[] t = m.ssrcAttribute(ssrc, "msid").strip().split(" +");
            streamId = t[0];
            trackId = t.length > 1 ? t[1] : null;
        }
        String cname = ssrc >= 0 ? m.ssrcAttribute(ssrc, "cname") : null;
        List<String> rids = sendRids(m);
        if (!rids.isEmpty() || rtxCodec == null) {
            // With rid simulcast the SSRCs are learnt from the rtp-stream-id (RTX: the
            // repaired-rtp-stream-id) of the RTP packets; without the rtx format nothing comes on it.
            rtx = -1;
        }
        if (!rids.isEmpty()) {
            ssrc = -1;
        }
        // RFC 4585 §4.2: "nack" in the answer, which keeps what the offer has of it.
        boolean nack = kind == MediaKind.VIDEO && codec.feedback().contains(NACK);
        return new PublishedTrack(m.mid(), kind, ssrc, rtx, codec.payloadType(), codec.name(), codec.clockRate(),
                codec.effectiveChannels(), streamId, trackId, cname, rids,
                rtxCodec != null ? rtxCodec.payloadType() : -1, nack);
    }
}
