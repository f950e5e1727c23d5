package org.medibridge.router;

/**
 * What a subscriber accepted for a video leg's retransmissions (RFC 4588): the RTX stream's SSRC
 * ({@code a=ssrc-group:FID <media> <rtx>}) and payload type ({@code a=fmtp:<pt> apt=<media pt>}),
 * or {@link #NONE}.
 */
public record Rtx(long ssrc, int payloadType) {
    public static final Rtx NONE = new Rtx(-1, -1);

    public Rtx {
        if (ssrc >= 0 && (ssrc > 0xFFFFFFFFL || payloadType < 0 || payloadType > 127)) {
            throw new IllegalArgumentException("bad RTX parameters: ssrc " + ssrc + ", pt " + payloadType);
        }
    }

    public static Rtx of(long ssrc, int payloadType) {
        return new Rtx(ssrc, payloadType);
    }
}
