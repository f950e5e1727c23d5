package org.medibridge.router;

import java.util.Map;
import org.medibridge.rtp.RtpHeaderExtensionUris;

/**
 * The RTP header extension ids (RFC 8285) negotiated on one peer connection, for the extensions
 * the router understands; 0 means not negotiated.
 */
public record HeaderExtensionIds(int mid, int audioLevel, int absSendTime, int transportCc,
                                 int rtpStreamId, int repairedRtpStreamId) {

    public static final HeaderExtensionIds NONE = new HeaderExtensionIds(0, 0, 0, 0, 0, 0);

    public static HeaderExtensionIds fromUris(Map<String, Integer> idsByUri) {
        return new HeaderExtensionIds(
                idsByUri.getOrDefault(RtpHeaderExtensionUris.MID, 0),
                idsByUri.getOrDefault(RtpHeaderExtensionUris.AUDIO_LEVEL, 0),
                idsByUri.getOrDefault(RtpHeaderExtensionUris.ABS_SEND_TIME, 0),
                idsByUri.getOrDefault(RtpHeaderExtensionUris.TRANSPORT_CC, 0),
                idsByUri.getOrDefault(RtpHeaderExtensionUris.RTP_STREAM_ID, 0),
                idsByUri.getOrDefault(RtpHeaderExtensionUris.REPAIRED_RTP_STREAM_ID, 0));
    }

    /**
     * The translation table from this (publisher) side's ids to {@code out}'s ids, indexed by the
     * incoming id; 0 means "erase the element" (not negotiated on the subscriber leg, or, like
     * mid and rid, meaningful only on the publisher's connection).
     */
    byte[] translationTo(HeaderExtensionIds out) {
        byte[] table = new byte[256];
        put(table, audioLevel, out.audioLevel);
        put(table, absSendTime, out.absSendTime);
        put(table, transportCc, out.transportCc);
        return table;
    }

    private static void put(byte[] table, int in, int out) {
        if (in > 0 && in < 256) {
            table[in] = (byte) out;
        }
    }
}
