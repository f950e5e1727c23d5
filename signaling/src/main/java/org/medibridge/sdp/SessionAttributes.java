package org.medibridge.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses session-level {@code a=} lines for {@link SdpParser}. */
final class SessionAttributes {
    /** Attributes that only make sense inside a media description. */
    private static final Set<String> MEDIA_ONLY = Set.of("rtpmap", "fmtp", "rtcp-fb", "ssrc", "ssrc-group", "mid",
            "rid", "simulcast", "msid", "candidate", "rtcp-mux", "rtcp-rsize", "bundle-only");
    /** RFC 8122 §5: hex pairs joined by ':'. */
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*");

    private SessionAttributes() {
    }

    static void parse(SdpParser p, SessionDescription s, String text) throws SdpParseException {
        Attribute a = split(p, text);
        String name = a.name();
        String value = a.value();
        if (MEDIA_ONLY.contains(name)) {
            throw p.error("a=" + name + " without an m= line");
        }
        switch (name) {
            case "group" -> {
                String[] t = p.tokens(required(p, a), "a=group");
                for (int i = 1; i < t.length; i++) {
                    if (!SdpParser.isToken(t[i])) {
                        throw p.error("bad identification tag '" + t[i] + "' in a=group");
                    }
                }
                s.groups().add(new Group(t[0], Arrays.asList(t).subList(1, t.length)));
            }
            case "msid-semantic" -> {
                if (s.msidSemantic() != null) {
                    throw p.error("duplicate a=msid-semantic");
                }
                s.msidSemantic(value == null ? "" : value.strip());
            }
            case "extmap-allow-mixed" -> s.extmapAllowMixed(flag(p, a, s.extmapAllowMixed()));
            case "ice-lite" -> s.iceLite(flag(p, a, s.iceLite()));
            case "ice-options" -> s.iceOptions(single(p, a, s.iceOptions()));
            case "ice-ufrag" -> s.iceUfrag(word(p, a, s.iceUfrag()));
            case "ice-pwd" -> s.icePwd(word(p, a, s.icePwd()));
            case "fingerprint" -> s.fingerprints().add(fingerprint(p, a));
            default -> s.attributes().add(a);
        }
    }

    /** Splits {@code name[:value]}; the name must be a token. */
    static Attribute split(SdpParser p, String text) throws SdpParseException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        if (!SdpParser.isToken(name)) {
            throw p.error("bad attribute name '" + name + "'");
        }
        return new Attribute(name, colon < 0 ? null : text.substring(colon + 1));
    }

    static String required(SdpParser p, Attribute a) throws SdpParseException {
        if (a.value() == null || a.value().isBlank()) {
            throw p.error("a=" + a.name() + " needs a value");
        }
        return a.value().strip();
    }

    /** A property attribute ({@code a=rtcp-mux}) that may appear once. */
    static boolean flag(SdpParser p, Attribute a, boolean already) throws SdpParseException {
        if (a.value() != null) {
            throw p.error("a=" + a.name() + " takes no value");
        }
        if (already) {
            throw p.error("duplicate a=" + a.name());
        }
        return true;
    }

    /** A value attribute that may appear once. */
    static String single(SdpParser p, Attribute a, String already) throws SdpParseException {
        String v = required(p, a);
        if (already != null) {
            throw p.error("duplicate a=" + a.name());
        }
        return v;
    }

    /** A single-word value attribute that may appear once (ice-ufrag, ice-pwd, mid). */
    static String word(SdpParser p, Attribute a, String already) throws SdpParseException {
        String v = single(p, a, already);
        if (p.tokens(v, "a=" + a.name()).length != 1) {
            throw p.error("a=" + a.name() + " must be one word");
        }
        return v;
    }

    static Fingerprint fingerprint(SdpParser p, Attribute a) throws SdpParseException {
        String[] t = p.tokens(required(p, a), "a=fingerprint");
        if (t.length != 2 || !SdpParser.isToken(t[0]) || !FINGERPRINT.matcher(t[1]).matches()) {
            throw p.error("a=fingerprint must be <hash-function> <hex pairs joined by ':'>");
        }
        return new Fingerprint(t[0], t[1]);
    }

    static List<String> list(String[] t, int from) {
        return new ArrayList<>(Arrays.asList(t).subList(from, t.length));
    }
}
