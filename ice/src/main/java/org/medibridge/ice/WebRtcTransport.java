package org.medibridge.ice;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.demux.DatagramClassifier;
import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;
import org.medibridge.dtls.DtlsListener;
import org.medibridge.dtls.DtlsTransport;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection's transport: ICE ({@link IceSession}) + DTLS-SRTP ({@link DtlsTransport})
 * + the RFC 7983 demultiplexer between them. Only wiring lives here.
 *
 * <pre>
 * receive thread: datagram ─ classify ─┬─ DTLS ─────────→ DtlsTransport.receive (copied, released)
 *                                      ├─ RTP / RTCP ───→ Listener.onMediaPacket (owner), or drop srtp_not_ready
 *                                      └─ TURN / other ─→ drop (counted)
 * ICE COMPLETED ─→ DTLS start (client sends ClientHello) ─→ keys ─→ Listener.onConnected
 * </pre>
 *
 * <h2>ICE restart (RFC 8445 §9)</h2>
 * A browser whose path died (a phone moving from Wi-Fi to cellular, a laptop changing networks)
 * restarts ICE with new credentials and keeps its DTLS association. {@link #restartIce()} opens a
 * second {@link IceSession} with new credentials while the first keeps carrying whatever still
 * gets through; {@link #startRestartedIce} starts its checks once the browser's new credentials
 * are known; when it connects, it becomes the active session, the old one is closed, and DTLS and
 * SRTP continue over it unchanged (same keys, same rollover counters).
 */
public final class WebRtcTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebRtcTransport.class);

    /** Notifications for the owner. */
    public interface Listener {
        /** DTLS finished: SRTP keys. On a DTLS handshake-pool thread. */
        void onConnected(SrtpKeyingMaterial keys);

        /** An SRTP/SRTCP datagram, on the port's receive thread: takes ownership, return fast, never throw. */
        void onMediaPacket(PacketBuffer packet);

        /**
         * Called once: {@code ice_failed}, {@code fingerprint_mismatch}, {@code handshake_timeout},
         * {@code handshake_failed: ...}, {@code close_notify}, {@code consent_expired}, ... On an
         * ice4j or DTLS thread, or the caller of {@link #closeIfIdle}. Not called for {@link #close()}.
         */
        void onClosed(String reason);
    }

    private final MediaPort port;
    private final boolean iceControlling;
    /** The session media and DTLS are sent on. */
    private volatile IceSession ice;
    /** During an ICE restart, the new session until it connects; else null. */
    private volatile IceSession restarting;
    private final AtomicLong iceRestarts = new AtomicLong();
    private final DtlsCertificate cert;
    private final DtlsHandshakePool handshakePool;
    private volatile DtlsTransport dtls;
    private final Listener listener;
    private final DropCounters<TransportDrop> drops = new DropCounters<>(TransportDrop.class);
    private final AtomicLong mediaReceived = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean iceConnected = new AtomicBoolean();
    private volatile boolean srtpReady;

    /**
     * Creates the ICE session, so that its ufrag, password and candidates can go into our SDP
     * before the remote side is known (the subscriber connection offers first).
     *
     * @param iceControlling false when the browser sent the offer
     */
    public WebRtcTransport(MediaPort port, boolean iceControlling, DtlsCertificate cert,
                           DtlsHandshakePool handshakePool, Listener listener) throws IOException {
        this.listener = listener;
        this.cert = cert;
        this.handshakePool = handshakePool;
        this.port = port;
        this.iceControlling = iceControlling;
        this.ice = newSession();
    }

    /**
     * For our SDP (ufrag, password, candidates) and trickled remote candidates: the newest
     * session, which is the restarting one while an ICE restart is under way.
     */
    public IceSession ice() {
        IceSession r = restarting;
        return r != null ? r : ice;
    }

    /**
     * Whether a live session (the active one, or a restart under way) is checking with these
     * remote credentials. A browser keeps the credentials of a restart it has not completed for
     * its later offers (JSEP §5.2.1); when our side of that restart was abandoned meanwhile, the
     * next offer must start a new one rather than be answered with the old session's credentials.
     */
    public boolean hasSessionFor(String remoteUfrag) {
        IceSession r = restarting;
        return remoteUfrag.equals(ice.remoteUfrag()) || (r != null && remoteUfrag.equals(r.remoteUfrag()));
    }

    /**
     * A remote candidate from the SDP or trickled. During a restart it is not used: the restarted
     * session learns the browser's address from the browser's own checks (peer-reflexive), and
     * with no candidates of its own to check it has no check list that could fail while the path
     * is still down (ice4j fails a check list 5 s after its last check failed, and a failed agent
     * answers nothing; the browser, meanwhile, keeps checking for half a minute).
     *
     * @return false when skipped
     * @throws IllegalArgumentException for a malformed candidate
     */
    public boolean addRemoteCandidate(String candidate) {
        IceSession r = restarting;
        if (r != null) {
            IceCandidateInfo.parse(candidate); // still tell the sender when it is malformed
            return false;
        }
        return ice.addRemoteCandidate(candidate);
    }

    /** ICE restarts begun on this transport. */
    public long iceRestarts() {
        return iceRestarts.get();
    }

    /**
     * Begins an ICE restart: a new session with new credentials, whose ufrag, password and
     * candidates {@link #ice()} now returns for our SDP. The current session keeps sending until
     * the new one connects. A restart begun while another is still connecting replaces it.
     *
     * @throws IOException when the media port cannot make a session (closed)
     */
    public void restartIce() throws IOException {
        if (closed.get()) {
            throw new IOException("transport closed");
        }
        IceSession next = newSession();
        IceSession replaced;
        synchronized (this) {
            replaced = restarting;
            restarting = next;
        }
        iceRestarts.incrementAndGet();
        if (replaced != null) {
            replaced.close();
        }
        if (closed.get()) {
            next.close();
        }
    }

    /**
     * The browser's credentials for the restarted session are known (its new offer or answer):
     * start checks. Returns false when no restart is under way (it was abandoned, or the
     * transport closed).
     */
    public boolean startRestartedIce(String remoteUfrag, String remotePwd) {
        IceSession next = restarting;
        if (next == null) {
            return false;
        }
        next.setRemoteCredentials(remoteUfrag, remotePwd);
        next.start();
        return true;
    }

    private IceSession newSession() throws IOException {
        IceSession[] self = new IceSession[1];
        self[0] = port.createSession(iceControlling, new IceSessionListener() {
            @Override public void onConnected() { onIceConnected(self[0]); }
            @Override public void onFailed(String reason) { onIceFailed(self[0], reason); }
            @Override public void onDatagram(PacketBuffer packet) { onDatagramReceived(packet); }
        });
        return self[0];
    }

    /** An ice4j thread. The first session's connection starts DTLS; a restarted one takes over. */
    private void onIceConnected(IceSession session) {
        IceSession old = null;
        synchronized (this) {
            if (closed.get()) {
                return; // closeParts closes both sessions
            }
            if (session == restarting) {
                old = ice;
                ice = session;
                restarting = null;
            } else if (session != ice) {
                return; // a replaced restart attempt
            }
        }
        if (old != null) {
            log.info("ICE restart connected (session {} replaces {}); DTLS and SRTP carry on", session.localUfrag(),
                    old.localUfrag());
            old.close();
        }
        iceConnected.set(true);
        startDtlsIfReady();
    }

    /**
     * An ice4j thread. Only the first session failing before it ever connected ends the transport.
     * A restart attempt that fails (the path is still down) is dropped: the browser tries again,
     * and a transport nobody revives ends by inactivity ({@link #closeIfIdle}).
     */
    private void onIceFailed(IceSession session, String reason) {
        boolean abandonedRestart = false;
        boolean fatal = false;
        synchronized (this) {
            if (session == restarting) {
                restarting = null;
                abandonedRestart = true;
            } else {
                // After COMPLETED ice4j does not fail a session; if it ever did, media would still
                // be the judge (closeIfIdle), not this event.
                fatal = session == ice && !iceConnected.get();
            }
        }
        if (abandonedRestart) {
            session.close();
        } else if (fatal) {
            closeWith(reason);
        }
    }

    /**
     * The remote SDP is known: starts ICE checks (add the SDP's candidates first or after; both
     * work) and, once ICE connects, DTLS in the given role. Call once.
     *
     * @param dtlsServer true when the remote SDP has {@code a=setup:active}
     * @throws IllegalArgumentException for an unsupported fingerprint hash function
     */
    public void start(String remoteUfrag, String remotePwd, String remoteFingerprintAlgorithm,
                      String remoteFingerprint, boolean dtlsServer) {
        if (dtls != null) {
            throw new IllegalStateException("transport already started");
        }
        dtls = new DtlsTransport(dtlsServer, cert, remoteFingerprintAlgorithm, remoteFingerprint,
                this::sendOnActiveSession, handshakePool, new DtlsListener() {
                    @Override public void onHandshakeComplete(SrtpKeyingMaterial keys) {
                        srtpReady = true;
                        listener.onConnected(keys);
                    }
                    @Override public void onFailure(String reason) { closeWith(reason); }
                    @Override public void onClosed(String reason) { closeWith(reason); }
                });
        ice.setRemoteCredentials(remoteUfrag, remotePwd);
        ice.start();
        startDtlsIfReady();
    }

    private final AtomicBoolean dtlsStarted = new AtomicBoolean();

    private void startDtlsIfReady() {
        DtlsTransport d = dtls;
        if (d != null && iceConnected.get() && !closed.get() && dtlsStarted.compareAndSet(false, true)) {
            d.start();
        }
    }

    /** Sends one already-protected SRTP/SRTCP datagram. Never throws; failures are counted by the ICE session. */
    public void sendMedia(byte[] buf, int off, int len) {
        ice.send(buf, off, len);
    }

    /** DTLS records go wherever media goes: after a restart, on the new session. */
    private void sendOnActiveSession(byte[] buf, int off, int len) {
        ice.send(buf, off, len);
    }

    /** When anything last arrived on either session (a restarting one counts: its checks are the peer). */
    public long lastReceivedNanos() {
        IceSession r = restarting;
        long active = ice.lastReceivedNanos();
        return r == null ? active : Math.max(active, r.lastReceivedNanos());
    }

    public boolean isConnected() {
        return srtpReady && !closed.get();
    }

    /**
     * Closes with {@code consent_expired} (and tells the listener) if nothing, not even a STUN
     * consent check, came from the peer for {@code maxIdleNanos}. ice4j does not expire sessions
     * itself; the owner calls this periodically (RFC 7675 suggests 30 s).
     */
    public boolean closeIfIdle(long nowNanos, long maxIdleNanos) {
        if (nowNanos - lastReceivedNanos() > maxIdleNanos) {
            closeWith("consent_expired");
            return true;
        }
        return false;
    }

    public Stats stats() {
        DtlsTransport d = dtls;
        return new Stats(mediaReceived.get(), drops.snapshot(), d == null ? 0 : d.droppedRecords(), ice.sendFailures(),
                lastReceivedNanos());
    }

    /** A snapshot of the counters. */
    public record Stats(long mediaReceived, Map<TransportDrop, Long> drops, long dtlsRecordsDropped,
                        long sendFailures, long lastReceivedNanos) {
    }

    /** Sends close_notify (if connected), frees ICE. No listener callback. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeParts();
        }
    }

    private void closeWith(String reason) {
        if (closed.compareAndSet(false, true)) {
            closeParts();
            listener.onClosed(reason);
        }
    }

    private void closeParts() {
        DtlsTransport d = dtls;
        if (d != null) {
            d.close();
        }
        IceSession r;
        IceSession active;
        synchronized (this) {
            r = restarting;
            restarting = null;
            active = ice;
        }
        if (r != null) {
            r.close();
        }
        active.close();
    }

    /** Receive thread: RFC 7983 demultiplexing. We own {@code packet} until handed on. */
    private void onDatagramReceived(PacketBuffer packet) {
        if (closed.get()) {
            drop(packet, TransportDrop.CLOSED);
            return;
        }
        switch (DatagramClassifier.classify(packet.getBuffer(), packet.getOffset(), packet.getLength())) {
            case DTLS -> {
                DtlsTransport d = dtls;
                if (d == null) {
                    drop(packet, TransportDrop.DTLS_BEFORE_START);
                } else {
                    d.receive(packet);
                }
            }
            case RTP, RTCP -> {
                if (srtpReady) {
                    mediaReceived.incrementAndGet();
                    listener.onMediaPacket(packet);
                } else {
                    drop(packet, TransportDrop.SRTP_NOT_READY);
                }
            }
            case TURN_CHANNEL -> drop(packet, TransportDrop.TURN_CHANNEL);
            case STUN -> drop(packet, TransportDrop.STUN);
            default -> drop(packet, TransportDrop.UNKNOWN);
        }
    }

    private void drop(PacketBuffer packet, TransportDrop reason) {
        drops.count(reason);
        packet.release();
    }
}
