package org.medibridge.sdp;

import java.util.List;
import java.util.Map;

/**
 * Writes a {@link SessionDescription} as SDP text with CRLF line endings (RFC 8866 §5), in one
 * canonical order so that parse → write → parse gives an equal model:
 * <ul>
 * <li>session: v, o, s, [i u e p], [c], [b], t, [r z k, unknown letters], then a=group, extmap-allow-mixed,
 *     msid-semantic, ice-lite, ice-options, ice-ufrag, ice-pwd, fingerprint, other attributes;</li>
 * <li>media: m, [i], [c], [b], [k, unknown letters], then ice-ufrag, ice-pwd, ice-options, fingerprint,
 *     setup, mid, bundle-only, extmap, extmap-allow-mixed, direction, msid, rtcp-mux, rtcp-rsize, per codec
 *     rtpmap/rtcp-fb/fmtp, rtcp-fb:*, rid, simulcast, ssrc-group, ssrc, candidates, end-of-candidates,
 *     other attributes.</li>
 * </ul>
 * This is close to the order Chromium writes. Attributes the model has no field for keep their
 * relative order but move to the end of their section.
 */
public final class SdpWriter {
    private static final String CRLF = "\r\n";
    /** RFC 8866 §5: i=, u=, e=, p= come before c= at session level; i= before c= in a media section. */
    private static final String SESSION_EARLY = "iuep";
    private static final String MEDIA_EARLY = "i";

    private SdpWriter() {
    }

    public static String write(SessionDescription s) {
        StringBuilder b = new StringBuilder(2048);
        line(b, "v=0");
        Origin o = s.origin();
        line(b, "o=" + o.username() + " " + o.sessionId() + " " + o.sessionVersion() + " " + o.netType() + " "
                + o.addrType() + " " + o.address());
        line(b, "s=" + s.sessionName());
        otherLines(b, s.otherLines(), true, SESSION_EARLY);
        if (s.connection() != null) {
            connection(b, s.connection());
        }
        for (String bw : s.bandwidths()) {
            line(b, "b=" + bw);
        }
        line(b, "t=" + s.timing().start() + " " + s.timing().stop());
        otherLines(b, s.otherLines(), false, SESSION_EARLY);
        for (Group g : s.groups()) {
            line(b, "a=group:" + g.semantics() + (g.mids().isEmpty() ? "" : " " + String.join(" ", g.mids())));
        }
        flag(b, s.extmapAllowMixed(), "extmap-allow-mixed");
        value(b, "msid-semantic", s.msidSemantic());
        flag(b, s.iceLite(), "ice-lite");
        value(b, "ice-options", s.iceOptions());
        value(b, "ice-ufrag", s.iceUfrag());
        value(b, "ice-pwd", s.icePwd());
        fingerprints(b, s.fingerprints());
        attributes(b, s.attributes());
        for (MediaDescription m : s.media()) {
            media(b, m);
        }
        return b.toString();
    }

    /** One media section (for logs and toString). */
    public static String writeMedia(MediaDescription m) {
        StringBuilder b = new StringBuilder(1024);
        media(b, m);
        return b.toString();
    }

    private static void media(StringBuilder b, MediaDescription m) {
        line(b, "m=" + m.media() + " " + m.port() + " " + m.proto()
                + (m.formats().isEmpty() ? "" : " " + String.join(" ", m.formats())));
        otherLines(b, m.otherLines(), true, MEDIA_EARLY);
        if (m.connection() != null) {
            connection(b, m.connection());
        }
        for (String bw : m.bandwidths()) {
            line(b, "b=" + bw);
        }
        otherLines(b, m.otherLines(), false, MEDIA_EARLY);
        value(b, "ice-ufrag", m.iceUfrag());
        value(b, "ice-pwd", m.icePwd());
        value(b, "ice-options", m.iceOptions());
        fingerprints(b, m.fingerprints());
        if (m.setup() != null) {
            line(b, "a=setup:" + m.setup().sdpName());
        }
        value(b, "mid", m.mid());
        flag(b, m.bundleOnly(), "bundle-only");
        for (ExtMap e : m.extMaps()) {
            line(b, "a=extmap:" + e.id() + (e.direction() == null ? "" : "/" + e.direction().sdpName()) + " " + e.uri()
                    + (e.attributes() == null ? "" : " " + e.attributes()));
        }
        flag(b, m.extmapAllowMixed(), "extmap-allow-mixed");
        if (m.direction() != null) {
            line(b, "a=" + m.direction().sdpName());
        }
        for (Msid msid : m.msids()) {
            line(b, "a=msid:" + msid.streamId() + (msid.trackId() == null ? "" : " " + msid.trackId()));
        }
        flag(b, m.rtcpMux(), "rtcp-mux");
        flag(b, m.rtcpRsize(), "rtcp-rsize");
        for (Codec c : m.codecs().values()) {
            codec(b, c);
        }
        for (String fb : m.wildcardFeedback()) {
            line(b, "a=rtcp-fb:* " + fb);
        }
        for (Rid rid : m.rids()) {
            line(b, "a=rid:" + rid.id() + " " + rid.direction() + (rid.params() == null ? "" : " " + rid.params()));
        }
        value(b, "simulcast", m.simulcast());
        for (SsrcGroup g : m.ssrcGroups()) {
            StringBuilder l = new StringBuilder("a=ssrc-group:").append(g.semantics());
            for (long ssrc : g.ssrcs()) {
                l.append(' ').append(ssrc);
            }
            line(b, l.toString());
        }
        for (SsrcAttribute a : m.ssrcs()) {
            line(b, "a=ssrc:" + a.ssrc() + " " + a.name() + (a.value() == null ? "" : ":" + a.value()));
        }
        for (String c : m.candidates()) {
            line(b, "a=" + c);
        }
        flag(b, m.endOfCandidates(), "end-of-candidates");
        attributes(b, m.attributes());
    }

    private static void codec(StringBuilder b, Codec c) {
        if (c.name() != null) {
            line(b, "a=rtpmap:" + c.payloadType() + " " + c.name() + "/" + c.clockRate()
                    + (c.channels() > 0 ? "/" + c.channels() : ""));
        }
        for (String fb : c.feedback()) {
            line(b, "a=rtcp-fb:" + c.payloadType() + " " + fb);
        }
        if (!c.fmtp().isEmpty()) {
            StringBuilder l = new StringBuilder("a=fmtp:").append(c.payloadType()).append(' ');
            boolean first = true;
            for (Map.Entry<String, String> p : c.fmtp().entrySet()) {
                if (!first) {
                    l.append(';');
                }
                first = false;
                l.append(p.getKey());
                if (p.getValue() != null) {
                    l.append('=').append(p.getValue());
                }
            }
            line(b, l.toString());
        }
    }

    private static void connection(StringBuilder b, Connection c) {
        line(b, "c=" + c.netType() + " " + c.addrType() + " " + c.address());
    }

    private static void fingerprints(StringBuilder b, List<Fingerprint> fingerprints) {
        for (Fingerprint f : fingerprints) {
            line(b, "a=fingerprint:" + f.algorithm() + " " + f.value());
        }
    }

    private static void attributes(StringBuilder b, List<Attribute> attributes) {
        for (Attribute a : attributes) {
            line(b, "a=" + a.name() + (a.value() == null ? "" : ":" + a.value()));
        }
    }

    /** Other lines that belong before c= ({@code early}) or after b=/t=, keeping their order. */
    private static void otherLines(StringBuilder b, List<String> lines, boolean early, String earlyTypes) {
        for (String l : lines) {
            if ((earlyTypes.indexOf(l.charAt(0)) >= 0) == early) {
                line(b, l);
            }
        }
    }

    private static void flag(StringBuilder b, boolean set, String name) {
        if (set) {
            line(b, "a=" + name);
        }
    }

    private static void value(StringBuilder b, String name, String value) {
        if (value != null) {
            line(b, "a=" + name + ":" + value);
        }
    }

    private static void line(StringBuilder b, String line) {
        b.append(line).append(CRLF);
    }
}
