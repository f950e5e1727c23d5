package org.medibridge.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Parses SDP text (RFC 8866) into a {@link SessionDescription}, strictly enough for JSEP
 * (RFC 8829 §5.8: "If the line is not well-formed ... the parser MUST stop with an error").
 * <p>
 * Accepted: CRLF or LF line ends; line types the model has no field for (i=, u=, e=, p=, k=, r=,
 * z= and unknown lower-case letters) are kept as raw lines; attributes the model has no field for
 * are kept in order. Rejected with {@link SdpParseException}: structurally broken lines, bad
 * numbers, missing v=/o=/s=/t=, duplicated single-valued attributes, media-level attributes before
 * the first m= line, rtpmap/fmtp/rtcp-fb for a payload type not in the m= line, more than
 * {@value #MAX_BYTES} bytes or more than {@value #MAX_MEDIA} m= lines.
 * <p>
 * Never throws anything but {@link SdpParseException} for any input string (fuzzed in tests).
 */
public final class SdpParser {
    /** A signaling message is at most 64 KiB; an SDP larger than that is refused before parsing. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Upper bound on m= lines: a room's subscriber connection stays far below it. */
    public static final int MAX_MEDIA = 64;

    private SessionDescription session;
    private MediaDescription media;
    private int lineNo;
    // Per media section: which payload types already had an rtpmap / fmtp line.
    private final Set<Integer> rtpmapSeen = new HashSet<>();
    private final Set<Integer> fmtpSeen = new HashSet<>();
    private final Set<String> mids = new HashSet<>();

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws SdpParseException {
        return new SdpParser().run(sdp);
    }

    private SessionDescription run(String sdp) throws SdpParseException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpParseException(0, "empty session description");
        }
        if (sdp.length() > MAX_BYTES || sdp.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new SdpParseException(0, "session description larger than " + MAX_BYTES + " bytes");
        }
        String[] lines = sdp.split("\n", -1);
        int count = lines.length;
        if (lines[count - 1].isEmpty()) {
            count--; // the terminating line end
        }
        boolean sawS = false;
        boolean sawT = false;
        for (int i = 0; i < count; i++) {
            lineNo = i + 1;
            String line = lines[i];
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            checkLine(line);
            char type = line.charAt(0);
            String value = line.substring(2);
            if (i == 0) {
                if (type != 'v' || !value.equals("0")) {
                    throw error("the first line must be v=0");
                }
                continue;
            }
            if (i == 1) {
                if (type != 'o') {
                    throw error("the second line must be o=");
                }
                session = new SessionDescription(origin(value));
                continue;
            }
            if (i == 2) {
                if (type != 's') {
                    throw error("the third line must be s=");
                }
                session.sessionName(value);
                sawS = true;
                continue;
            }
            switch (type) {
                case 'v', 'o', 's' -> throw error("duplicate " + type + "= line");
                case 't' -> {
                    if (media != null) {
                        throw error("t= inside a media description");
                    }
                    if (sawT) {
                        throw error("more than one t= line is not supported");
                    }
                    session.timing(timing(value));
                    sawT = true;
                }
                case 'm' -> {
                    if (!sawT) {
                        throw error("m= line before the t= line");
                    }
                    finishMedia();
                    if (session.media().size() == MAX_MEDIA) {
                        throw error("more than " + MAX_MEDIA + " m= lines");
                    }
                    media = mediaLine(value);
                    session.media().add(media);
                }
                case 'c' -> {
                    Connection c = connection(value);
                    if (media == null) {
                        if (session.connection() != null) {
                            throw error("duplicate c= line");
                        }
                        session.connection(c);
                    } else {
                        if (media.connection() != null) {
                            throw error("duplicate c= line");
                        }
                        media.connection(c);
                    }
                }
                case 'b' -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0 || colon == value.length() - 1) {
                        throw error("b= must be <bwtype>:<bandwidth>");
                    }
                    (media == null ? session.bandwidths() : media.bandwidths()).add(value);
                }
                case 'a' -> {
                    if (media == null) {
                        SessionAttributes.parse(this, session, value);
                    } else {
                        MediaAttributes.parse(this, media, value);
                    }
                }
                case 'u', 'e', 'p', 'r', 'z' -> {
                    if (media != null) {
                        throw error(type + "= inside a media description");
                    }
                    addOther(session.otherLines(), line, "iuep");
                }
                default -> {
                    if (media == null) {
                        addOther(session.otherLines(), line, "iuep");
                    } else {
                        addOther(media.otherLines(), line, "i");
                    }
                }
            }
        }
        if (session == null || !sawS) {
            throw new SdpParseException(0, "session description ends before the s= line");
        }
        if (!sawT) {
            throw new SdpParseException(0, "session description has no t= line");
        }
        finishMedia();
        return session;
    }

    /**
     * Keeps lines that the writer puts before c= (i=, u=, e=, p=) ahead of the others, so that the
     * list order is the order in which the writer emits them.
     */
    private static void addOther(List<String> lines, String line, String earlyTypes) {
        if (earlyTypes.indexOf(line.charAt(0)) < 0) {
            lines.add(line);
            return;
        }
        int i = 0;
        while (i < lines.size() && earlyTypes.indexOf(lines.get(i).charAt(0)) >= 0) {
            i++;
        }
        lines.add(i, line);
    }

    private void checkLine(String line) throws SdpParseException {
        if (line.isEmpty()) {
            throw error("empty line");
        }
        if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
            throw error("not a <type>=<value> line");
        }
        for (int i = 2; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\0') {
                throw error("CR or NUL inside a line");
            }
        }
    }

    /** Reorders the codecs of the finished media section to the order of its format list. */
    private void finishMedia() {
        if (media == null) {
            return;
        }
        LinkedHashMap<Integer, Codec> ordered = new LinkedHashMap<>();
        for (String f : media.formats()) {
            Codec c = media.codecForFormat(f);
            if (c != null) {
                ordered.put(c.payloadType(), c);
            }
        }
        media.codecs().clear();
        media.codecs().putAll(ordered);
        rtpmapSeen.clear();
        fmtpSeen.clear();
    }

    private Origin origin(String value) throws SdpParseException {
        String[] t = tokens(value, "o=");
        if (t.length != 6) {
            throw error("o= needs 6 fields, got " + t.length);
        }
        if (!isDigits(t[1], 20)) {
            throw error("o= session id is not a number: '" + t[1] + "'");
        }
        long version = parseLong(t[2], Long.MAX_VALUE, "o= session version");
        return new Origin(t[0], t[1], version, t[3], t[4], t[5]);
    }

    private Timing timing(String value) throws SdpParseException {
        String[] t = tokens(value, "t=");
        if (t.length != 2) {
            throw error("t= needs <start-time> <stop-time>");
        }
        return new Timing(parseLong(t[0], Long.MAX_VALUE, "t= start time"), parseLong(t[1], Long.MAX_VALUE, "t= stop time"));
    }

    private Connection connection(String value) throws SdpParseException {
        String[] t = tokens(value, "c=");
        if (t.length != 3) {
            throw error("c= needs <nettype> <addrtype> <connection-address>");
        }
        return new Connection(t[0], t[1], t[2]);
    }

    private MediaDescription mediaLine(String value) throws SdpParseException {
        String[] t = tokens(value, "m=");
        if (t.length < 4) {
            throw error("m= needs <media> <port> <proto> <fmt> ...");
        }
        if (!isToken(t[0])) {
            throw error("bad media type '" + t[0] + "'");
        }
        if (t[1].indexOf('/') >= 0) {
            throw error("m= port with a number of ports is not supported");
        }
        int port = parseInt(t[1], 0, 65535, "m= port");
        MediaDescription m = new MediaDescription(t[0], port, t[2]);
        boolean rtp = m.isRtp();
        Set<String> seen = new HashSet<>();
        for (int i = 3; i < t.length; i++) {
            if (rtp) {
                parseInt(t[i], 0, 127, "payload type");
                t[i] = Integer.toString(Integer.parseInt(t[i])); // canonical: "096" means 96
            } else if (!isToken(t[i])) {
                throw error("bad format '" + t[i] + "'");
            }
            if (!seen.add(t[i])) {
                throw error("duplicate format " + t[i] + " in m= line");
            }
            m.formats().add(t[i]);
        }
        return m;
    }

    // ---- helpers shared with the attribute parsers ----

    SdpParseException error(String problem) {
        return new SdpParseException(lineNo, problem);
    }

    /** Marks an rtpmap (or fmtp) for a payload type; false when one was already seen in this section. */
    boolean firstRtpmap(int pt) {
        return rtpmapSeen.add(pt);
    }

    /** RFC 5888 §4: an identification-tag is unique within the session description. */
    void registerMid(String mid) throws SdpParseException {
        if (!mids.add(mid)) {
            throw error("a=mid:" + mid + " is used by an earlier m= line");
        }
    }

    boolean firstFmtp(int pt) {
        return fmtpSeen.add(pt);
    }

    /** Splits on runs of spaces and tabs; fails when there is nothing but whitespace. */
    String[] tokens(String value, String what) throws SdpParseException {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && isBlank(value.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlank(value.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(value.substring(start, i));
            }
        }
        if (out.isEmpty()) {
            throw error(what + " has no value");
        }
        return out.toArray(new String[0]);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    int parseInt(String s, int min, int max, String what) throws SdpParseException {
        long v = parseLong(s, max, what);
        if (v < min) {
            throw error(what + " out of range: " + s);
        }
        return (int) v;
    }

    long parseLong(String s, long max, String what) throws SdpParseException {
        if (!isDigits(s, 19)) {
            throw error(what + " is not a number: '" + s + "'");
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error(what + " is not a number: '" + s + "'");
        }
        if (v > max) {
            throw error(what + " out of range: " + s);
        }
        return v;
    }

    static boolean isDigits(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8866 §9 token: visible ASCII except space and {@code "(),/:;<=>?@[\]}. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
                    || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
