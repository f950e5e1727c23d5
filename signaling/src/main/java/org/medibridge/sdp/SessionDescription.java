package org.medibridge.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A session description (RFC 8866) as JSEP (RFC 8829) uses it: the session-level lines and the
 * media descriptions in order. A mutable value; every list getter returns the live list.
 * Parse with {@link SdpParser}, write with {@link SdpWriter}.
 */
public final class SessionDescription {
    private Origin origin;
    private String sessionName = "-";
    private Connection connection;
    private final List<String> bandwidths = new ArrayList<>();
    private Timing timing = Timing.UNBOUNDED;
    private final List<String> otherLines = new ArrayList<>();

    private final List<Group> groups = new ArrayList<>();
    private boolean extmapAllowMixed;
    private String msidSemantic;
    private boolean iceLite;
    private String iceOptions;
    private String iceUfrag;
    private String icePwd;
    private final List<Fingerprint> fingerprints = new ArrayList<>();
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>();

    public SessionDescription(Origin origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    public Origin origin() {
        return origin;
    }

    public SessionDescription origin(Origin origin) {
        this.origin = Objects.requireNonNull(origin);
        return this;
    }

    /** The s= value; JSEP writes "-". */
    public String sessionName() {
        return sessionName;
    }

    public SessionDescription sessionName(String sessionName) {
        this.sessionName = Objects.requireNonNull(sessionName);
        return this;
    }

    /** Session-level c= line, null when absent. */
    public Connection connection() {
        return connection;
    }

    public SessionDescription connection(Connection connection) {
        this.connection = connection;
        return this;
    }

    public List<String> bandwidths() {
        return bandwidths;
    }

    public Timing timing() {
        return timing;
    }

    public SessionDescription timing(Timing timing) {
        this.timing = Objects.requireNonNull(timing);
        return this;
    }

    /** Whole lines of other types (i=, u=, e=, p=, r=, z=, k=, unknown letters), in order. */
    public List<String> otherLines() {
        return otherLines;
    }

    /** {@code a=group} lines in order. */
    public List<Group> groups() {
        return groups;
    }

    /** The first BUNDLE group (RFC 8843); WebRTC with max-bundle has exactly one. */
    public Optional<Group> bundleGroup() {
        return groups.stream().filter(g -> g.semantics().equals(Group.BUNDLE)).findFirst();
    }

    public boolean extmapAllowMixed() {
        return extmapAllowMixed;
    }

    public SessionDescription extmapAllowMixed(boolean extmapAllowMixed) {
        this.extmapAllowMixed = extmapAllowMixed;
        return this;
    }

    /** Trimmed {@code a=msid-semantic} value ("WMS", "WMS *"), null when absent. */
    public String msidSemantic() {
        return msidSemantic;
    }

    public SessionDescription msidSemantic(String msidSemantic) {
        this.msidSemantic = msidSemantic;
        return this;
    }

    public boolean iceLite() {
        return iceLite;
    }

    public SessionDescription iceLite(boolean iceLite) {
        this.iceLite = iceLite;
        return this;
    }

    public String iceOptions() {
        return iceOptions;
    }

    public SessionDescription iceOptions(String iceOptions) {
        this.iceOptions = iceOptions;
        return this;
    }

    /** Session-level {@code a=ice-ufrag} (allowed by RFC 8839 §5.4; browsers write it per m-line). */
    public String iceUfrag() {
        return iceUfrag;
    }

    public SessionDescription iceUfrag(String iceUfrag) {
        this.iceUfrag = iceUfrag;
        return this;
    }

    public String icePwd() {
        return icePwd;
    }

    public SessionDescription icePwd(String icePwd) {
        this.icePwd = icePwd;
        return this;
    }

    /** Session-level fingerprints (Firefox writes its fingerprint here). */
    public List<Fingerprint> fingerprints() {
        return fingerprints;
    }

    /** Session-level attributes without a field of their own, in order. */
    public List<Attribute> attributes() {
        return attributes;
    }

    public List<MediaDescription> media() {
        return media;
    }

    /** The media description with this mid, if any. */
    public Optional<MediaDescription> mediaByMid(String mid) {
        return media.stream().filter(m -> mid.equals(m.mid())).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionDescription s)) {
            return false;
        }
        return extmapAllowMixed == s.extmapAllowMixed && iceLite == s.iceLite && origin.equals(s.origin)
                && sessionName.equals(s.sessionName) && Objects.equals(connection, s.connection)
                && bandwidths.equals(s.bandwidths) && timing.equals(s.timing) && otherLines.equals(s.otherLines)
                && groups.equals(s.groups) && Objects.equals(msidSemantic, s.msidSemantic)
                && Objects.equals(iceOptions, s.iceOptions) && Objects.equals(iceUfrag, s.iceUfrag)
                && Objects.equals(icePwd, s.icePwd) && fingerprints.equals(s.fingerprints)
                && attributes.equals(s.attributes) && media.equals(s.media);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, sessionName, timing, groups, media);
    }

    @Override
    public String toString() {
        return SdpWriter.write(this);
    }
}
