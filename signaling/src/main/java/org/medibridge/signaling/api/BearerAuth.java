package org.medibridge.signaling.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code Authorization: Bearer <key>} (RFC 6750) against the configured API key. Both sides are
 * hashed with SHA-256 first and compared with {@link MessageDigest#isEqual} (constant time), so
 * neither the key's bytes nor its length leak through timing. Neither key is ever logged.
 */
final class BearerAuth {
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"medibridge\"");

    private final byte[] keyHash;

    /** @param apiKey the configured key; null or blank closes the API */
    BearerAuth(String apiKey) {
        this.keyHash = apiKey == null || apiKey.isBlank() ? null : sha256(apiKey);
    }

    /** Throws a 401 {@link ApiException} unless {@code authorization} carries the key. */
    void check(String authorization) {
        if (keyHash == null) {
            throw new ApiException(401, "api_closed", "the API is closed: no API key is configured on the server "
                    + "(MEDIBRIDGE_API_KEY or --api-key)");
        }
        String presented = bearer(authorization);
        // Hash even when nothing usable was sent, so every path costs the same.
        boolean ok = MessageDigest.isEqual(keyHash, sha256(presented == null ? "" : presented));
        if (presented == null || !ok) {
            throw new ApiException(401, "unauthorized", "missing or wrong API key: send Authorization: Bearer <key>");
        }
    }

    /** The header every 401 carries (RFC 6750 section 3). */
    static Map<String, String> challenge() {
        return CHALLENGE;
    }

    private static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        String key = h.substring(7).strip();
        return key.isEmpty() ? null : key;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
