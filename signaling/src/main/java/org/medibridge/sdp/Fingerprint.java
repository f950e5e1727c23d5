package org.medibridge.sdp;

import java.util.Objects;

/** {@code a=fingerprint:<hash-func> <fingerprint>}, RFC 8122 §5 (e.g. "sha-256", "AB:CD:..."). */
public record Fingerprint(String algorithm, String value) {
    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
    }
}
