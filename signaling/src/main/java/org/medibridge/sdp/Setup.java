package org.medibridge.sdp;

/** {@code a=setup} values, RFC 4145 §4 as used for DTLS by RFC 5763 §5 and RFC 8842. */
public enum Setup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String sdpName;

    Setup(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    /** The value for an {@code a=setup} token, or null when unknown. */
    public static Setup fromSdp(String token) {
        for (Setup s : values()) {
            if (s.sdpName.equals(token)) {
                return s;
            }
        }
        return null;
    }
}
