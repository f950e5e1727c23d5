package org.medibridge.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Certificate fingerprints as SDP carries them (RFC 8122 §5):
 * {@code a=fingerprint:<hash-func> <upper-case hex pairs joined by ':'>}.
 */
final class Fingerprints {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Fingerprints() {
    }

    /** Fingerprint of DER bytes with the SDP hash function name (sha-1, sha-256, sha-384, sha-512). */
    static String of(String hashFunction, byte[] der) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(jcaName(hashFunction)).digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported fingerprint hash function " + hashFunction, e);
        }
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (byte b : digest) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        return sb.toString();
    }

    /**
     * Maps the SDP hash function token (RFC 8122 §5, IANA "Hash Function Textual Names") to JCA.
     * RFC 8122 says the token is case-insensitive.
     */
    static String jcaName(String hashFunction) {
        switch (hashFunction.toLowerCase(Locale.ROOT)) {
            case "sha-1": return "SHA-1";
            case "sha-224": return "SHA-224";
            case "sha-256": return "SHA-256";
            case "sha-384": return "SHA-384";
            case "sha-512": return "SHA-512";
            default: throw new IllegalArgumentException("unsupported fingerprint hash function " + hashFunction);
        }
    }

    /** Compares fingerprints ignoring hex case (RFC 8122: "upper-case" SHOULD, compare tolerant). */
    static boolean matches(String expected, String actual) {
        return expected.trim().equalsIgnoreCase(actual);
    }
}
