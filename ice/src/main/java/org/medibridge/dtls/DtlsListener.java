package org.medibridge.dtls;

import org.medibridge.srtp.SrtpKeyingMaterial;

/**
 * Notifications of one {@link DtlsTransport}. All are called on a DTLS handshake-pool thread
 * (the timeout on the pool's timer thread; a rejected start on the caller of {@code start()}),
 * at most one of {@link #onHandshakeComplete} / {@link #onFailure}, and {@link #onClosed} only
 * after a completed handshake.
 */
public interface DtlsListener {
    /** The handshake finished and SRTP keys were exported (RFC 5764 §4.2). */
    void onHandshakeComplete(SrtpKeyingMaterial keys);

    /**
     * The handshake did not finish: {@code fingerprint_mismatch}, {@code handshake_timeout},
     * {@code handshake_rejected} (pool full), {@code handshake_failed: ...}.
     */
    void onFailure(String reason);

    /** After a completed handshake: {@code close_notify} or {@code fatal_alert: ...} from the peer, or a record-layer error. */
    void onClosed(String reason);
}
