package org.medibridge.signaling.negotiation;

import java.util.List;
import java.util.Objects;

/**
 * The server's side of one peer connection's transport, written into every answer and offer.
 *
 * @param fingerprintAlgorithm RFC 8122 hash function name, "sha-256"
 * @param fingerprint          upper-case hex pairs joined by ':'
 * @param candidates           candidate attribute values, e.g.
 *                             {@code candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host}
 * @param sessionId            the o= session id, fixed for the life of the peer connection
 */
public record LocalTransportParameters(String iceUfrag, String icePwd, String fingerprintAlgorithm,
                                       String fingerprint, List<String> candidates, long sessionId) {
    public LocalTransportParameters {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        Objects.requireNonNull(fingerprintAlgorithm, "fingerprintAlgorithm");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
        if (sessionId < 0) {
            throw new IllegalArgumentException("sessionId must not be negative");
        }
    }
}
