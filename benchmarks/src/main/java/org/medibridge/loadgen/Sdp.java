package org.medibridge.loadgen;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.medibridge.sdp.Codec;
import org.medibridge.sdp.Connection;
import org.medibridge.sdp.Direction;
import org.medibridge.sdp.ExtMap;
import org.medibridge.sdp.Fingerprint;
import org.medibridge.sdp.Group;
import org.medibridge.sdp.MediaDescription;
import org.medibridge.sdp.Msid;
import org.medibridge.sdp.Origin;
import org.medibridge.sdp.Rid;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.sdp.Setup;
import org.medibridge.sdp.SsrcAttribute;

/**
 * The SDP the emulated client writes, shaped like Chromium's (see the fixtures in
 * signaling/src/test/resources/sdp): a publisher offer with a sendonly audio and a sendonly VP8
 * simulcast m-line, and answers to the server's subscriber offers.
 */
final class Sdp {
    static final String PROTO = "UDP/TLS/RTP/SAVPF";
    static final int OPUS_PT = 111;
    static final int VP8_PT = 96;
    static final int RTX_PT = 97;
    /** Header extension ids as Chromium numbers them (one-byte form, RFC 8285). */
    static final int AUDIO_LEVEL_ID = 1;
    static final int ABS_SEND_TIME_ID = 2;
    static final int TRANSPORT_CC_ID = 3;
    static final int MID_ID = 4;
    static final int RID_ID = 10;
    static final int REPAIRED_RID_ID = 11;
    static final String[] RIDS = {"q", "h", "f"};

    private Sdp() {
    }

    /** Identity of what a publisher sends, to put in its offer. */
    record PublisherIdentity(String streamId, String audioTrackId, String videoTrackId, String cname, long audioSsrc) {
    }

    static String publisherOffer(PeerConnection pc, String fingerprint, PublisherIdentity id) {
        SessionDescription s = new SessionDescription(origin(2));
        s.groups().add(new Group(Group.BUNDLE, List.of("0", "1")));
        s.extmapAllowMixed(true);
        s.msidSemantic("WMS " + id.streamId());

        MediaDescription audio = transport(new MediaDescription("audio", 9, PROTO), pc, fingerprint, Setup.ACTPASS, "0")
                .direction(Direction.SENDONLY);
        audio.extMaps().add(new ExtMap(AUDIO_LEVEL_ID, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"));
        audio.extMaps().add(new ExtMap(ABS_SEND_TIME_ID, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
        audio.extMaps().add(new ExtMap(TRANSPORT_CC_ID, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"));
        audio.extMaps().add(new ExtMap(MID_ID, "urn:ietf:params:rtp-hdrext:sdes:mid"));
        audio.msids().add(new Msid(id.streamId(), id.audioTrackId()));
        audio.addCodec(new Codec(OPUS_PT, "opus", 48000, 2).feedback("transport-cc")
                .fmtp("minptime", "10").fmtp("useinbandfec", "1"));
        audio.ssrcs().add(new SsrcAttribute(id.audioSsrc(), "cname", id.cname()));
        audio.ssrcs().add(new SsrcAttribute(id.audioSsrc(), "msid", id.streamId() + " " + id.audioTrackId()));
        s.media().add(audio);

        MediaDescription video = transport(new MediaDescription("video", 9, PROTO), pc, fingerprint, Setup.ACTPASS, "1")
                .direction(Direction.SENDONLY);
        video.extMaps().add(new ExtMap(ABS_SEND_TIME_ID, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
        video.extMaps().add(new ExtMap(TRANSPORT_CC_ID, "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"));
        video.extMaps().add(new ExtMap(MID_ID, "urn:ietf:params:rtp-hdrext:sdes:mid"));
        video.extMaps().add(new ExtMap(RID_ID, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"));
        video.extMaps().add(new ExtMap(REPAIRED_RID_ID, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"));
        video.msids().add(new Msid(id.streamId(), id.videoTrackId()));
        video.addCodec(new Codec(VP8_PT, "VP8", 90000, 0).feedback("goog-remb").feedback("transport-cc")
                .feedback("ccm fir").feedback("nack").feedback("nack pli"));
        video.addCodec(new Codec(RTX_PT, "rtx", 90000, 0).fmtp("apt", Integer.toString(VP8_PT)));
        for (String rid : RIDS) {
            video.rids().add(new Rid(rid, "send", null));
        }
        // Lowest first: the server relies on this order (medibridge.js SIMULCAST_ENCODINGS).
        video.simulcast("send " + String.join(";", RIDS));
        s.media().add(video);
        return org.medibridge.sdp.SdpWriter.write(s);
    }

    /**
     * Answers a subscriber offer as a browser does: every m-line in the offer's order, rejected
     * ones stay rejected, the anchor (a=inactive) is answered inactive, the others recvonly with
     * the offered codec and extension ids; we take the DTLS client role (a=setup:active).
     */
    static String subscriberAnswer(SessionDescription offer, PeerConnection pc, String fingerprint, long version) {
        SessionDescription s = new SessionDescription(origin(version));
        List<String> accepted = new ArrayList<>();
        for (MediaDescription o : offer.media()) {
            if (o.isRejected()) {
                MediaDescription r = new MediaDescription(o.media(), 0, o.proto()).connection(Connection.IN_IP4_ANY).mid(o.mid());
                r.formats().addAll(o.formats());
                s.media().add(r);
                continue;
            }
            Direction dir = o.effectiveDirection().sends() ? Direction.RECVONLY : Direction.INACTIVE;
            MediaDescription a = transport(new MediaDescription(o.media(), 9, PROTO), pc, fingerprint, Setup.ACTIVE, o.mid())
                    .direction(dir)
                    .rtcpRsize(o.rtcpRsize());
            for (Codec c : o.codecs().values()) {
                a.addCodec(c.copy());
            }
            for (ExtMap e : o.extMaps()) {
                a.extMaps().add(new ExtMap(e.id(), e.uri()));
            }
            s.media().add(a);
            accepted.add(o.mid());
        }
        if (!accepted.isEmpty()) {
            s.groups().add(new Group(Group.BUNDLE, accepted));
        }
        return org.medibridge.sdp.SdpWriter.write(s);
    }

    /** The server's candidate, from the first m-line that carries one (its BUNDLE tag). */
    static InetSocketAddress serverCandidate(SessionDescription d) {
        for (MediaDescription m : d.media()) {
            for (String line : m.candidates()) {
                String v = line.startsWith("a=") ? line.substring(2) : line;
                v = v.startsWith("candidate:") ? v.substring("candidate:".length()) : v;
                String[] t = v.strip().split("\\s+");
                if (t.length >= 8 && t[2].equalsIgnoreCase("udp")) {
                    return new InetSocketAddress(t[4], Integer.parseInt(t[5]));
                }
            }
        }
        throw new IllegalArgumentException("the server's SDP has no UDP candidate");
    }

    /** ICE and DTLS parameters: from the first accepted m-line (they are the same on all with BUNDLE). */
    static MediaDescription transportOf(SessionDescription d) {
        for (MediaDescription m : d.media()) {
            if (!m.isRejected() && m.iceUfrag() != null) {
                return m;
            }
        }
        throw new IllegalArgumentException("the server's SDP has no accepted m-line with ICE parameters");
    }

    static Fingerprint fingerprintOf(SessionDescription d) {
        MediaDescription m = transportOf(d);
        if (!m.fingerprints().isEmpty()) {
            return m.fingerprints().get(0);
        }
        if (!d.fingerprints().isEmpty()) {
            return d.fingerprints().get(0);
        }
        throw new IllegalArgumentException("the server's SDP has no a=fingerprint");
    }

    private static MediaDescription transport(MediaDescription m, PeerConnection pc, String fingerprint, Setup setup, String mid) {
        m.connection(Connection.IN_IP4_ANY)
                .iceUfrag(pc.localUfrag())
                .icePwd(pc.localPassword())
                .iceOptions("trickle")
                .setup(setup)
                .mid(mid)
                .rtcpMux(true)
                .rtcpRsize(true);
        m.fingerprints().add(new Fingerprint("sha-256", fingerprint));
        return m;
    }

    private static Origin origin(long version) {
        return new Origin("-", Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)), version,
                "IN", "IP4", "127.0.0.1");
    }
}
