package org.medibridge.signaling.room;

import java.util.List;

/**
 * One peer connection's transport as the room sees it: ICE on the shared media port, DTLS-SRTP
 * on top. Implemented over the {@code ice} module by {@link IcePeerTransport}.
 */
public interface PeerTransport {
    String localUfrag();

    String localPassword();

    /** Candidate attribute values for our SDP, e.g. {@code candidate:1 1 udp 2130706431 10.0.0.5 10000 typ host}. */
    List<String> localCandidates();

    /** The remote side is known (from its SDP): start ICE, then DTLS in the given role. */
    void start(String remoteUfrag, String remotePassword, String fingerprintAlgorithm, String fingerprint,
               boolean dtlsServer);

    /** A trickled (or SDP) candidate; {@link IllegalArgumentException} when malformed. */
    void addRemoteCandidate(String candidate);

    /**
     * Begins an ICE restart (RFC 8445 §9): new local credentials, which {@link #localUfrag()},
     * {@link #localPassword()} and {@link #localCandidates()} return from now on, for the SDP that
     * answers (publisher) or offers (subscriber) the restart. DTLS and SRTP carry on unchanged;
     * the old path keeps sending until the new one connects.
     */
    void restartIce();

    /** Whether a live ICE session (active, or a restart under way) uses this remote ufrag. */
    boolean hasIceSessionFor(String remoteUfrag);

    /** The browser's credentials for the restarted ICE session are known: start its checks. */
    void startRestartedIce(String remoteUfrag, String remotePassword);

    /** Sends one protected datagram (called on the room's media worker). */
    void send(byte[] buf, int off, int len);

    /** When anything (STUN consent, DTLS, media) last arrived, or when the transport was created. */
    long lastActivityNanos();

    void close();
}
