package org.medibridge.srtp;

import org.jitsi.srtp.SrtpPolicy;

/**
 * jitsi-srtp policies for each negotiated profile. AES-CM uses HMAC-SHA1 with a 160-bit auth key
 * and an 80-bit tag for both SRTP and SRTCP (RFC 5764 §4.1.2: SRTP_AES128_CM_HMAC_SHA1_80 uses
 * the 80-bit tag for SRTCP too); the AEAD profiles authenticate inside GCM with a 16-byte tag
 * (RFC 7714 §12).
 */
final class SrtpPolicies {
    private SrtpPolicies() {
    }

    static SrtpPolicy create(SrtpProfile profile, boolean replayCheck) {
        SrtpPolicy policy;
        switch (profile) {
            case AES_CM_128_HMAC_SHA1_80:
                policy = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.keyLength,
                        SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, profile.tagLength, profile.saltLength);
                break;
            case AEAD_AES_128_GCM:
            case AEAD_AES_256_GCM:
                policy = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.keyLength,
                        SrtpPolicy.NULL_AUTHENTICATION, 0, profile.tagLength, profile.saltLength);
                break;
            default:
                throw new IllegalArgumentException("unsupported profile " + profile);
        }
        // Send side: retransmissions reuse a sequence number and are legitimate.
        policy.setSendReplayEnabled(replayCheck);
        policy.setReceiveReplayEnabled(replayCheck);
        return policy;
    }
}
