package org.medibridge.srtp;

/**
 * SRTP protection profiles negotiated through DTLS use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2),
 * with the key and salt lengths of each (the exported keying block is
 * client key | server key | client salt | server salt).
 */
public enum SrtpProfile {
    /** SRTP_AES128_CM_HMAC_SHA1_80, RFC 5764. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10),
    /** SRTP_AEAD_AES_128_GCM, RFC 7714. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16),
    /** SRTP_AEAD_AES_256_GCM, RFC 7714. */
    AEAD_AES_256_GCM(0x0008, 32, 12, 16);

    /** The use_srtp protection profile id on the wire. */
    public final int id;
    public final int keyLength;
    public final int saltLength;
    /** Length of the SRTP authentication tag. */
    public final int tagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    public static SrtpProfile fromId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported SRTP protection profile " + id);
    }
}
