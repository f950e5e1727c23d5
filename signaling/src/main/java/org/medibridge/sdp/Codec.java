package org.medibridge.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One RTP payload format of a media description, gathered from {@code a=rtpmap} (RFC 8866 §6.6),
 * {@code a=fmtp} (§6.15) and {@code a=rtcp-fb} (RFC 4585 §4.2) lines with the same payload type.
 * <p>
 * A mutable value: {@link #fmtp()} and {@link #feedback()} are live, ordered collections.
 * A format with {@code a=fmtp}/{@code a=rtcp-fb} but no {@code a=rtpmap} (a static payload type)
 * has a null name and clock rate 0.
 */
public final class Codec {
    private final int payloadType;
    private String name;
    private int clockRate;
    private int channels;
    private final LinkedHashMap<String, String> fmtp = new LinkedHashMap<>();
    private final List<String> feedback = new ArrayList<>();

    /**
     * @param name     encoding name as written ("opus", "VP8"), null when there is no rtpmap
     * @param channels encoding parameters of the rtpmap; 0 when absent (then 1 is meant)
     */
    public Codec(int payloadType, String name, int clockRate, int channels) {
        this.payloadType = payloadType;
        this.name = name;
        this.clockRate = clockRate;
        this.channels = channels;
    }

    public int payloadType() {
        return payloadType;
    }

    public String name() {
        return name;
    }

    /** Encoding names are case-insensitive (RFC 8866 §6.6). */
    public boolean isNamed(String encodingName) {
        return name != null && name.equalsIgnoreCase(encodingName);
    }

    public int clockRate() {
        return clockRate;
    }

    /** Channels as written; 0 when the rtpmap had no encoding parameters. */
    public int channels() {
        return channels;
    }

    /** Channels with the RFC default of one applied. */
    public int effectiveChannels() {
        return channels == 0 ? 1 : channels;
    }

    Codec rtpmap(String name, int clockRate, int channels) {
        this.name = name;
        this.clockRate = clockRate;
        this.channels = channels;
        return this;
    }

    /**
     * Format parameters in order; a parameter without '=' (telephone-event's "0-15") has a null value.
     */
    public Map<String, String> fmtp() {
        return fmtp;
    }

    public Codec fmtp(String key, String value) {
        fmtp.put(key, value);
        return this;
    }

    /** {@code a=rtcp-fb} values after the payload type, e.g. "nack", "nack pli", "transport-cc". */
    public List<String> feedback() {
        return feedback;
    }

    public Codec feedback(String value) {
        feedback.add(value);
        return this;
    }

    public Codec copy() {
        Codec c = new Codec(payloadType, name, clockRate, channels);
        c.fmtp.putAll(fmtp);
        c.feedback.addAll(feedback);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Codec c && payloadType == c.payloadType && clockRate == c.clockRate
                && channels == c.channels && Objects.equals(name, c.name) && fmtp.equals(c.fmtp)
                && new ArrayList<>(fmtp.keySet()).equals(new ArrayList<>(c.fmtp.keySet()))
                && feedback.equals(c.feedback);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadType, name, clockRate, channels, fmtp, feedback);
    }

    @Override
    public String toString() {
        return payloadType + " " + name + "/" + clockRate + (channels > 0 ? "/" + channels : "")
                + " fmtp=" + fmtp + " fb=" + feedback;
    }
}
