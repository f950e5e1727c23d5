package org.medibridge.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One media description: an {@code m=} line (RFC 8866 §5.14) and the lines up to the next one, as
 * JSEP uses them (RFC 8829 §5.2). A mutable value; every list getter returns the live list.
 * <p>
 * Transport attributes (ICE, DTLS) are kept per media description as browsers write them; under
 * BUNDLE only those of the BUNDLE-tag m-line count (RFC 8843 §7.1.3).
 */
public final class MediaDescription {
    private String media;
    private int port;
    private String proto;
    private final List<String> formats = new ArrayList<>();
    private Connection connection;
    private final List<String> bandwidths = new ArrayList<>();
    private final List<String> otherLines = new ArrayList<>();

    private String mid;
    private Direction direction;
    private String iceUfrag;
    private String icePwd;
    private String iceOptions;
    private final List<Fingerprint> fingerprints = new ArrayList<>();
    private Setup setup;
    private boolean rtcpMux;
    private boolean rtcpRsize;
    private boolean extmapAllowMixed;
    private boolean bundleOnly;
    private boolean endOfCandidates;
    private final LinkedHashMap<Integer, Codec> codecs = new LinkedHashMap<>();
    private final List<String> wildcardFeedback = new ArrayList<>();
    private final List<ExtMap> extMaps = new ArrayList<>();
    private final List<SsrcAttribute> ssrcs = new ArrayList<>();
    private final List<SsrcGroup> ssrcGroups = new ArrayList<>();
    private final List<Rid> rids = new ArrayList<>();
    private String simulcast;
    private final List<Msid> msids = new ArrayList<>();
    private final List<String> candidates = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();

    public MediaDescription(String media, int port, String proto) {
        this.media = Objects.requireNonNull(media, "media");
        this.port = port;
        this.proto = Objects.requireNonNull(proto, "proto");
    }

    /** The {@code <media>} token ("audio", "video", "application", ...). */
    public String media() {
        return media;
    }

    public Optional<MediaKind> kind() {
        return MediaKind.fromSdp(media);
    }

    public int port() {
        return port;
    }

    public MediaDescription port(int port) {
        this.port = port;
        return this;
    }

    /** "UDP/TLS/RTP/SAVPF", "UDP/DTLS/SCTP", ... */
    public String proto() {
        return proto;
    }

    public MediaDescription proto(String proto) {
        this.proto = Objects.requireNonNull(proto);
        return this;
    }

    /** True for an RTP profile, whose formats are payload types 0..127. */
    public boolean isRtp() {
        return isRtpProto(proto);
    }

    static boolean isRtpProto(String proto) {
        return proto.contains("RTP/");
    }

    /**
     * Rejected per RFC 3264 §6: port zero without {@code a=bundle-only} (a bundle-only m-line has
     * port zero in an offer but is accepted into the BUNDLE group, RFC 8843 §6).
     */
    public boolean isRejected() {
        return port == 0 && !bundleOnly;
    }

    /** The {@code <fmt>} list of the m= line, in order. */
    public List<String> formats() {
        return formats;
    }

    /** The c= line; null when absent. */
    public Connection connection() {
        return connection;
    }

    public MediaDescription connection(Connection connection) {
        this.connection = connection;
        return this;
    }

    /** b= values ("AS:2000", "TIAS:64000"), in order. */
    public List<String> bandwidths() {
        return bandwidths;
    }

    /** Whole lines of other types (i=, k=, unknown letters) as written, in order. */
    public List<String> otherLines() {
        return otherLines;
    }

    public String mid() {
        return mid;
    }

    public MediaDescription mid(String mid) {
        this.mid = mid;
        return this;
    }

    /** The direction attribute; null when the description has none (then sendrecv is meant). */
    public Direction direction() {
        return direction;
    }

    public Direction effectiveDirection() {
        return direction == null ? Direction.SENDRECV : direction;
    }

    public MediaDescription direction(Direction direction) {
        this.direction = direction;
        return this;
    }

    public String iceUfrag() {
        return iceUfrag;
    }

    public MediaDescription iceUfrag(String iceUfrag) {
        this.iceUfrag = iceUfrag;
        return this;
    }

    public String icePwd() {
        return icePwd;
    }

    public MediaDescription icePwd(String icePwd) {
        this.icePwd = icePwd;
        return this;
    }

    /** Raw {@code a=ice-options} value ("trickle"), null when absent. */
    public String iceOptions() {
        return iceOptions;
    }

    public MediaDescription iceOptions(String iceOptions) {
        this.iceOptions = iceOptions;
        return this;
    }

    /** RFC 8122 allows several fingerprints (one per certificate or hash function). */
    public List<Fingerprint> fingerprints() {
        return fingerprints;
    }

    public Setup setup() {
        return setup;
    }

    public MediaDescription setup(Setup setup) {
        this.setup = setup;
        return this;
    }

    public boolean rtcpMux() {
        return rtcpMux;
    }

    public MediaDescription rtcpMux(boolean rtcpMux) {
        this.rtcpMux = rtcpMux;
        return this;
    }

    public boolean rtcpRsize() {
        return rtcpRsize;
    }

    public MediaDescription rtcpRsize(boolean rtcpRsize) {
        this.rtcpRsize = rtcpRsize;
        return this;
    }

    public boolean extmapAllowMixed() {
        return extmapAllowMixed;
    }

    public MediaDescription extmapAllowMixed(boolean extmapAllowMixed) {
        this.extmapAllowMixed = extmapAllowMixed;
        return this;
    }

    public boolean bundleOnly() {
        return bundleOnly;
    }

    public MediaDescription bundleOnly(boolean bundleOnly) {
        this.bundleOnly = bundleOnly;
        return this;
    }

    public boolean endOfCandidates() {
        return endOfCandidates;
    }

    public MediaDescription endOfCandidates(boolean endOfCandidates) {
        this.endOfCandidates = endOfCandidates;
        return this;
    }

    /** Codecs by payload type, in the order of the format list. */
    public Map<Integer, Codec> codecs() {
        return codecs;
    }

    /** Adds a codec and appends its payload type to the format list if it is not there yet. */
    public MediaDescription addCodec(Codec codec) {
        codecs.put(codec.payloadType(), codec);
        String pt = Integer.toString(codec.payloadType());
        if (!formats.contains(pt)) {
            formats.add(pt);
        }
        return this;
    }

    public Codec codec(int payloadType) {
        return codecs.get(payloadType);
    }

    /** The first codec (in format-list order) with this encoding name, compared case-insensitively. */
    public Optional<Codec> firstCodecNamed(String encodingName) {
        for (String f : formats) {
            Codec c = codecForFormat(f);
            if (c != null && c.isNamed(encodingName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    Codec codecForFormat(String format) {
        for (Codec c : codecs.values()) {
            if (Integer.toString(c.payloadType()).equals(format)) {
                return c;
            }
        }
        return null;
    }

    /** {@code a=rtcp-fb:* ...} values (RFC 4585 §4.2 wildcard). */
    public List<String> wildcardFeedback() {
        return wildcardFeedback;
    }

    public List<ExtMap> extMaps() {
        return extMaps;
    }

    /** The id negotiated for an extension URI, or -1. */
    public int extMapId(String uri) {
        for (ExtMap e : extMaps) {
            if (e.uri().equals(uri)) {
                return e.id();
            }
        }
        return -1;
    }

    /** {@code a=ssrc} lines in order. */
    public List<SsrcAttribute> ssrcs() {
        return ssrcs;
    }

    /** The value of the first {@code a=ssrc:<ssrc> <name>:...} line, or null. */
    public String ssrcAttribute(long ssrc, String name) {
        for (SsrcAttribute a : ssrcs) {
            if (a.ssrc() == ssrc && a.name().equals(name)) {
                return a.value();
            }
        }
        return null;
    }

    public List<SsrcGroup> ssrcGroups() {
        return ssrcGroups;
    }

    public List<Rid> rids() {
        return rids;
    }

    /** Raw {@code a=simulcast} value (RFC 8853), null when absent. */
    public String simulcast() {
        return simulcast;
    }

    public MediaDescription simulcast(String simulcast) {
        this.simulcast = simulcast;
        return this;
    }

    public List<Msid> msids() {
        return msids;
    }

    /** ICE candidates as attribute text without "a=": {@code candidate:1 1 udp ... typ host}. */
    public List<String> candidates() {
        return candidates;
    }

    /** Attributes without a field of their own, in order. */
    public List<Attribute> attributes() {
        return attributes;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MediaDescription m)) {
            return false;
        }
        return port == m.port && rtcpMux == m.rtcpMux && rtcpRsize == m.rtcpRsize
                && extmapAllowMixed == m.extmapAllowMixed && bundleOnly == m.bundleOnly
                && endOfCandidates == m.endOfCandidates && media.equals(m.media) && proto.equals(m.proto)
                && formats.equals(m.formats) && Objects.equals(connection, m.connection)
                && bandwidths.equals(m.bandwidths) && otherLines.equals(m.otherLines)
                && Objects.equals(mid, m.mid) && direction == m.direction
                && Objects.equals(iceUfrag, m.iceUfrag) && Objects.equals(icePwd, m.icePwd)
                && Objects.equals(iceOptions, m.iceOptions) && fingerprints.equals(m.fingerprints)
                && setup == m.setup && new ArrayList<>(codecs.values()).equals(new ArrayList<>(m.codecs.values()))
                && wildcardFeedback.equals(m.wildcardFeedback) && extMaps.equals(m.extMaps)
                && ssrcs.equals(m.ssrcs) && ssrcGroups.equals(m.ssrcGroups) && rids.equals(m.rids)
                && Objects.equals(simulcast, m.simulcast) && msids.equals(m.msids)
                && candidates.equals(m.candidates) && attributes.equals(m.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(media, port, proto, formats, mid, direction, codecs, extMaps, ssrcs, candidates);
    }

    @Override
    public String toString() {
        return SdpWriter.writeMedia(this);
    }
}
