package org.medibridge.sdp;

import java.util.ArrayList;
import java.util.List;

/** Parses media-level {@code a=} lines for {@link SdpParser}. */
final class MediaAttributes {
    private static final long MAX_SSRC = 0xFFFF_FFFFL;

    private MediaAttributes() {
    }

    static void parse(SdpParser p, MediaDescription m, String text) throws SdpParseException {
        Attribute a = SessionAttributes.split(p, text);
        String name = a.name();
        Direction direction = Direction.fromSdp(name);
        if (direction != null) {
            if (a.value() != null) {
                throw p.error("a=" + name + " takes no value");
            }
            if (m.direction() != null) {
                throw p.error("more than one direction attribute");
            }
            m.direction(direction);
            return;
        }
        if (!m.isRtp() && (name.equals("rtpmap") || name.equals("fmtp") || name.equals("rtcp-fb"))) {
            m.attributes().add(a); // e.g. a legacy a=fmtp:webrtc-datachannel on an SCTP m-line
            return;
        }
        switch (name) {
            case "mid" -> {
                String mid = SessionAttributes.word(p, a, m.mid());
                if (!SdpParser.isToken(mid)) {
                    throw p.error("bad a=mid '" + mid + "'");
                }
                p.registerMid(mid);
                m.mid(mid);
            }
            case "ice-ufrag" -> m.iceUfrag(SessionAttributes.word(p, a, m.iceUfrag()));
            case "ice-pwd" -> m.icePwd(SessionAttributes.word(p, a, m.icePwd()));
            case "ice-options" -> m.iceOptions(SessionAttributes.single(p, a, m.iceOptions()));
            case "fingerprint" -> m.fingerprints().add(SessionAttributes.fingerprint(p, a));
            case "setup" -> {
                String v = SessionAttributes.single(p, a, m.setup() == null ? null : "");
                Setup setup = Setup.fromSdp(v);
                if (setup == null) {
                    throw p.error("unknown a=setup value '" + v + "'");
                }
                m.setup(setup);
            }
            case "rtcp-mux" -> m.rtcpMux(SessionAttributes.flag(p, a, m.rtcpMux()));
            case "rtcp-rsize" -> m.rtcpRsize(SessionAttributes.flag(p, a, m.rtcpRsize()));
            case "extmap-allow-mixed" -> m.extmapAllowMixed(SessionAttributes.flag(p, a, m.extmapAllowMixed()));
            case "bundle-only" -> m.bundleOnly(SessionAttributes.flag(p, a, m.bundleOnly()));
            case "end-of-candidates" -> m.endOfCandidates(SessionAttributes.flag(p, a, m.endOfCandidates()));
            case "rtpmap" -> rtpmap(p, m, a);
            case "fmtp" -> fmtp(p, m, a);
            case "rtcp-fb" -> rtcpFb(p, m, a);
            case "extmap" -> extmap(p, m, a);
            case "ssrc" -> ssrc(p, m, a);
            case "ssrc-group" -> {
                String[] t = p.tokens(SessionAttributes.required(p, a), "a=ssrc-group");
                if (t.length < 2 || !SdpParser.isToken(t[0])) {
                    throw p.error("a=ssrc-group needs <semantics> <ssrc-id> ...");
                }
                List<Long> ssrcs = new ArrayList<>();
                for (int i = 1; i < t.length; i++) {
                    ssrcs.add(p.parseLong(t[i], MAX_SSRC, "ssrc"));
                }
                m.ssrcGroups().add(new SsrcGroup(t[0], ssrcs));
            }
            case "rid" -> rid(p, m, a);
            case "simulcast" -> m.simulcast(SessionAttributes.single(p, a, m.simulcast()));
            case "msid" -> {
                String[] t = p.tokens(SessionAttributes.required(p, a), "a=msid");
                if (t.length > 2) {
                    throw p.error("a=msid needs <stream id> [<track id>]");
                }
                m.msids().add(new Msid(t[0], t.length == 2 ? t[1] : null));
            }
            case "candidate" -> {
                candidate(p, SessionAttributes.required(p, a));
                m.candidates().add(text.strip());
            }
            default -> m.attributes().add(a);
        }
    }

    /** {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]}. */
    private static void rtpmap(SdpParser p, MediaDescription m, Attribute a) throws SdpParseException {
        String[] t = p.tokens(SessionAttributes.required(p, a), "a=rtpmap");
        if (t.length != 2) {
            throw p.error("a=rtpmap needs <payload type> <encoding name>/<clock rate>[/<channels>]");
        }
        int pt = payloadType(p, m, t[0], "a=rtpmap");
        String[] enc = t[1].split("/", -1);
        if (enc.length < 2 || enc.length > 3 || !SdpParser.isToken(enc[0])) {
            throw p.error("a=rtpmap needs <encoding name>/<clock rate>[/<channels>]");
        }
        int clockRate = p.parseInt(enc[1], 1, Integer.MAX_VALUE, "clock rate");
        int channels = enc.length == 3 ? p.parseInt(enc[2], 1, 255, "channels") : 0;
        if (!p.firstRtpmap(pt)) {
            throw p.error("duplicate a=rtpmap for payload type " + pt);
        }
        codec(m, pt).rtpmap(enc[0], clockRate, channels);
    }

    /** {@code a=fmtp:<format> <format specific parameters>}, parameters "k=v;k=v" (RFC 8866 §6.15). */
    private static void fmtp(SdpParser p, MediaDescription m, Attribute a) throws SdpParseException {
        String v = SessionAttributes.required(p, a);
        int space = firstSpace(v);
        if (space < 0) {
            throw p.error("a=fmtp needs <payload type> <parameters>");
        }
        int pt = payloadType(p, m, v.substring(0, space), "a=fmtp");
        if (!p.firstFmtp(pt)) {
            throw p.error("duplicate a=fmtp for payload type " + pt);
        }
        Codec c = codec(m, pt);
        int before = c.fmtp().size();
        for (String param : v.substring(space + 1).split(";")) {
            String kv = param.strip();
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String key = (eq < 0 ? kv : kv.substring(0, eq)).strip();
            if (key.isEmpty()) {
                throw p.error("a=fmtp parameter without a name");
            }
            c.fmtp().put(key, eq < 0 ? null : kv.substring(eq + 1).strip());
        }
        if (c.fmtp().size() == before) {
            throw p.error("a=fmtp without parameters");
        }
    }

    /** {@code a=rtcp-fb:<payload type>|* <type> [<parameters>]}, RFC 4585 §4.2. */
    private static void rtcpFb(SdpParser p, MediaDescription m, Attribute a) throws SdpParseException {
        String[] t = p.tokens(SessionAttributes.required(p, a), "a=rtcp-fb");
        if (t.length < 2) {
            throw p.error("a=rtcp-fb needs <payload type> <feedback type>");
        }
        String fb = String.join(" ", SessionAttributes.list(t, 1));
        if (t[0].equals("*")) {
            m.wildcardFeedback().add(fb);
        } else {
            codec(m, payloadType(p, m, t[0], "a=rtcp-fb")).feedback().add(fb);
        }
    }

    /** {@code a=extmap:<id>[/<direction>] <URI> [<attributes>]}, RFC 8285 §5. */
    private static void extmap(SdpParser p, MediaDescription m, Attribute a) throws SdpParseException {
        String v = SessionAttributes.required(p, a);
        String[] t = p.tokens(v, "a=extmap");
        if (t.length < 2) {
            throw p.error("a=extmap needs <id>[/<direction>] <URI>");
        }
        String[] idDir = t[0].split("/", -1);
        if (idDir.length > 2) {
            throw p.error("bad a=extmap id '" + t[0] + "'");
        }
        int id = p.parseInt(idDir[0], 1, 255, "a=extmap id");
        Direction dir = null;
        if (idDir.length == 2) {
            dir = Direction.fromSdp(idDir[1]);
            if (dir == null) {
                throw p.error("bad a=extmap direction '" + idDir[1] + "'");
            }
        }
        for (ExtMap e : m.extMaps()) {
            if (e.id() == id) {
                throw p.error("duplicate a=extmap id " + id);
            }
        }
        String attributes = t.length > 2 ? String.join(" ", SessionAttributes.list(t, 2)) : null;
        m.extMaps().add(new ExtMap(id, dir, t[1], attributes));
    }

    /** {@code a=ssrc:<ssrc-id> <attribute>[:<value>]}, RFC 5576 §4.1. */
    private static void ssrc(SdpParser p, MediaDescription m, Attribute a) throws SdpParseException {
        String v = SessionAttributes.required(p, a);
        int space = firstSpace(v);
        if (space < 0) {
            throw p.error("a=ssrc needs <ssrc-id> <attribute>");
        }
        long ssrc = p.parseLong(v.substring(0, space), MAX_SSRC, "ssrc");
        String rest = v.substring(space + 1).strip();
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        if (!SdpParser.isToken(name)) {
            throw p.error("bad a=ssrc attribute '" + name + "'");
        }
        m.ssrcs().add(new SsrcAttribute(ssrc, name, colon < 0 ? null : rest.substring(colon + 1)));
    }

    /** {@code a=rid:<rid-id> <send|recv> [<params>]}, RFC 8851 §10. */
    private static void rid(SdpParser p, MediaDescription m, Attribute a) throws SdpParseException {
        String[] t = p.tokens(SessionAttributes.required(p, a), "a=rid");
        if (t.length < 2 || !SdpParser.isToken(t[0]) || !(t[1].equals("send") || t[1].equals("recv"))) {
            throw p.error("a=rid needs <rid-id> send|recv [<params>]");
        }
        String params = t.length > 2 ? String.join(" ", SessionAttributes.list(t, 2)) : null;
        m.rids().add(new Rid(t[0], t[1], params));
    }

    /**
     * RFC 8839 §5.1: {@code candidate:<foundation> <component-id> <transport> <priority>
     * <connection-address> <port> typ <cand-type> [...]}; kept as text, only the structure is checked.
     */
    private static void candidate(SdpParser p, String value) throws SdpParseException {
        String[] t = p.tokens(value, "a=candidate");
        if (t.length < 8 || !t[6].equals("typ")) {
            throw p.error("a=candidate needs <foundation> <component> <transport> <priority> <address> <port> typ <type>");
        }
        p.parseInt(t[1], 1, 256, "candidate component");
        p.parseLong(t[3], MAX_SSRC, "candidate priority");
        p.parseInt(t[5], 0, 65535, "candidate port");
    }

    private static int payloadType(SdpParser p, MediaDescription m, String s, String what) throws SdpParseException {
        int pt = p.parseInt(s, 0, 127, what + " payload type");
        if (!m.formats().contains(Integer.toString(pt))) {
            throw p.error(what + " for payload type " + pt + " which is not in the m= line");
        }
        return pt;
    }

    private static Codec codec(MediaDescription m, int pt) {
        return m.codecs().computeIfAbsent(pt, k -> new Codec(k, null, 0, 0));
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }
}
