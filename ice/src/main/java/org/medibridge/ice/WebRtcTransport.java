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
 */
public final class WebRtcTransport implements AutoCloseable {

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

    private final IceSession ice;
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
        this.ice = port.createSession(iceControlling, new IceSessionListener() {
            @Override public void onConnected() {
                iceConnected.set(true);
                startDtlsIfReady();
            }
            @Override public void onFailed(String reason) { closeWith(reason); }
            @Override public void onDatagram(PacketBuffer packet) { onDatagramReceived(packet); }
        });
    }

    /** For our SDP (ufrag, password, candidates) and trickled remote candidates. */
    public IceSession ice() {
        return ice;
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
                ice::send, handshakePool, new DtlsListener() {
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

    public boolean isConnected() {
        return srtpReady && !closed.get();
    }

    /**
     * Closes with {@code consent_expired} (and tells the listener) if nothing, not even a STUN
     * consent check, came from the peer for {@code maxIdleNanos}. ice4j does not expire sessions
     * itself; the owner calls this periodically (RFC 7675 suggests 30 s).
     */
    public boolean closeIfIdle(long nowNanos, long maxIdleNanos) {
        if (nowNanos - ice.lastReceivedNanos() > maxIdleNanos) {
            closeWith("consent_expired");
            return true;
        }
        return false;
    }

    public Stats stats() {
        DtlsTransport d = dtls;
        return new Stats(mediaReceived.get(), drops.snapshot(), d == null ? 0 : d.droppedRecords(), ice.sendFailures(),
                ice.lastReceivedNanos());
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
        ice.close();
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
