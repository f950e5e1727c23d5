package org.medibridge.demux;

/**
 * Demultiplexes STUN, DTLS, TURN channel data and RTP/RTCP arriving on one socket, by the
 * first byte as RFC 7983 §7 prescribes:
 *
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--&gt; forward to STUN
 *                  |                |
 *                  |      [16..19] -+--&gt; forward to ZRTP      (unused here: UNKNOWN)
 *                  |                |
 *      packet --&gt;  |      [20..63] -+--&gt; forward to DTLS
 *                  |                |
 *                  |      [64..79] -+--&gt; forward to TURN Channel
 *                  |                |
 *                  |    [128..191] -+--&gt; forward to RTP/RTCP
 *                  +----------------+
 * </pre>
 *
 * <p>RTP and RTCP share the port with rtcp-mux; RFC 5761 §4 separates them by the second byte:
 * RTCP packet types 192–223 fall where an RTP header carries the marker bit plus payload type
 * 64–95, a range RTP payload types must avoid when multiplexed.
 *
 * <p>Pure function: no allocation, safe on the receive thread.
 */
public final class DatagramClassifier {
    /** A STUN header is 20 bytes; a DTLS record header 13; RTP 12; RTCP 8. Below 2 we cannot tell RTP from RTCP. */
    private static final int MIN_RTP_RTCP = 2;

    private DatagramClassifier() {
    }

    public static DatagramKind classify(byte[] buf, int off, int len) {
        if (buf == null || len < 1 || off < 0 || off + len > buf.length) {
            return DatagramKind.UNKNOWN;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 <= 3) {
            return DatagramKind.STUN;
        }
        if (b0 >= 20 && b0 <= 63) {
            return DatagramKind.DTLS;
        }
        if (b0 >= 64 && b0 <= 79) {
            return DatagramKind.TURN_CHANNEL;
        }
        if (b0 >= 128 && b0 <= 191) {
            if (len < MIN_RTP_RTCP) {
                return DatagramKind.UNKNOWN;
            }
            int pt = buf[off + 1] & 0xFF;
            return pt >= 192 && pt <= 223 ? DatagramKind.RTCP : DatagramKind.RTP;
        }
        return DatagramKind.UNKNOWN;
    }
}
