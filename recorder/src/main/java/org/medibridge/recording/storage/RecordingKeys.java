package org.medibridge.recording.storage;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The recording key from {@code MEDIBRIDGE_RECORDING_KEY}: 32 bytes (AES-256) written as 64 hex
 * digits or as base64 (standard or URL-safe alphabet, padding optional). Generate one with
 * {@code openssl rand -base64 32} or {@code openssl rand -hex 32}. Error messages never echo the key.
 */
public final class RecordingKeys {
    public static final String ENV = "MEDIBRIDGE_RECORDING_KEY";

    private RecordingKeys() { }

    public static byte[] parse(String base64OrHex) {
        if (base64OrHex == null || base64OrHex.isBlank()) {
            throw new IllegalArgumentException(ENV + " is empty");
        }
        String s = base64OrHex.strip();
        byte[] key;
        if (s.length() == 64 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            key = HexFormat.of().parseHex(s);
        } else {
            try {
                key = (s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV + " is neither 64 hex digits nor base64");
            }
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(ENV + " must encode 32 bytes (AES-256), it encodes " + key.length);
        }
        return key;
    }
}
