package org.medibridge.rtcp;

/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1). */
public final class RtcpPacketType {
    private RtcpPacketType() {
    }

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport layer feedback (NACK, transport-cc). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (PLI, FIR, REMB). */
    public static final int PSFB = 206;
}
