package org.medibridge.dtls;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DTLS 1.2 with the use_srtp extension (RFC 5764) for one peer connection, on BouncyCastle.
 *
 * <p>Role (RFC 5763 §5): we are the DTLS server when the remote SDP says {@code a=setup:active},
 * the client when it says {@code a=setup:passive}. Both roles require extended_master_secret,
 * require the peer's certificate and compare it with the remote {@code a=fingerprint}.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>{@link #receive} runs on the network receive thread: it copies the record into a bounded
 *     queue and releases the buffer at once.</li>
 * <li>The blocking handshake runs on the {@link DtlsHandshakePool}; so do the drain tasks that
 *     feed BouncyCastle records arriving after the handshake (a retransmitted final flight when
 *     our Finished was lost, close_notify, alerts).</li>
 * <li>Listener callbacks run on a pool thread (see {@link DtlsListener}). None after {@link #close()}.</li>
 * </ul>
 */
public final class DtlsTransport implements AutoCloseable {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** How long a drain task waits for one more record before it gives the thread back. */
    private static final int DRAIN_WAIT_MILLIS = 2;

    private static final Logger log = LoggerFactory.getLogger(DtlsTransport.class);

    private enum State { NEW, HANDSHAKING, CONNECTED, FAILED, CLOSED }

    private final boolean server;
    private final DtlsHandshakePool pool;
    private final DtlsListener listener;
    private final Duration handshakeTimeout;
    private final RecordQueue records;
    private final java.util.concurrent.atomic.AtomicBoolean handshakeSubmitted = new java.util.concurrent.atomic.AtomicBoolean();
    private final DtlsPeerSupport support;
    private final DtlsServerPeer serverPeer;
    private final DtlsClientPeer clientPeer;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong drainsRejected = new AtomicLong();
    private final AtomicLong applicationRecordsIgnored = new AtomicLong();
    private volatile DTLSTransport dtls;
    private volatile SrtpKeyingMaterial keys;
    private volatile ScheduledFuture<?> timeoutTask;
    /** Only the drain task (one at a time) uses it. */
    private final byte[] drainBuffer = new byte[RecordQueue.RECEIVE_LIMIT];

    public DtlsTransport(boolean server, DtlsCertificate certificate,
                         String remoteFingerprintAlgorithm, String remoteFingerprint,
                         DatagramSender sender, DtlsHandshakePool pool, DtlsListener listener) {
        this(server, certificate, remoteFingerprintAlgorithm, remoteFingerprint, sender, pool, listener,
                DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * @param server true when the remote is {@code a=setup:active}
     * @param remoteFingerprintAlgorithm hash function of the remote {@code a=fingerprint}, e.g. "sha-256"
     * @param remoteFingerprint its value, "AB:CD:..."
     * @throws IllegalArgumentException for an unsupported fingerprint hash function
     */
    public DtlsTransport(boolean server, DtlsCertificate certificate,
                         String remoteFingerprintAlgorithm, String remoteFingerprint,
                         DatagramSender sender, DtlsHandshakePool pool, DtlsListener listener,
                         Duration handshakeTimeout) {
        this.server = server;
        this.pool = pool;
        this.listener = listener;
        this.handshakeTimeout = handshakeTimeout;
        this.records = new RecordQueue(sender);
        this.support = new DtlsPeerSupport(remoteFingerprintAlgorithm, remoteFingerprint,
                (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis()));
        BcTlsCrypto crypto = new BcTlsCrypto();
        this.serverPeer = server ? new DtlsServerPeer(crypto, certificate, support) : null;
        this.clientPeer = server ? null : new DtlsClientPeer(crypto, certificate, support);
    }

    /**
     * Starts the handshake on the pool (a client sends its ClientHello right away; a server waits
     * for the peer's first record before it takes a thread). Call once, when ICE is connected. If the pool is full the listener hears {@code handshake_rejected}
     * on this thread.
     */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            throw new IllegalStateException("DTLS transport already started or closed");
        }
        timeoutTask = pool.schedule(() -> fail("handshake_timeout"), handshakeTimeout.toMillis());
        // A server takes a pool thread only once the peer's first record (its ClientHello) is
        // here: a peer that finishes ICE and then stays silent must not hold one of the few
        // handshake threads, and with it every other join, for the whole timeout.
        if (!server || !records.isEmpty()) {
            submitHandshake();
        }
    }

    private void submitHandshake() {
        if (handshakeSubmitted.compareAndSet(false, true) && !pool.execute(this::handshake)) {
            fail("handshake_rejected");
        }
    }

    /**
     * A DTLS record from the network (RFC 7983 first byte 20–63). Takes ownership of
     * {@code record} and releases it before returning. Never blocks; drops (and counts) when the
     * per-transport queue is full or the transport is finished. Records that arrive before
     * {@link #start()} wait in the queue (a browser's ClientHello may beat our ICE "connected").
     */
    public void receive(PacketBuffer record) {
        try {
            State s = state.get();
            if (s == State.FAILED || s == State.CLOSED) {
                records.countDrop();
                return;
            }
            records.offer(record.getBuffer(), record.getOffset(), record.getLength());
        } finally {
            record.release();
        }
        State now = state.get();
        if (now == State.CONNECTED) {
            scheduleDrain();
        } else if (now == State.HANDSHAKING && server) {
            submitHandshake(); // the ClientHello we waited for (see start)
        }
    }

    /** The exported SRTP keys, or null before the handshake completes. */
    public SrtpKeyingMaterial keyingMaterial() {
        return keys;
    }

    public boolean isConnected() {
        return state.get() == State.CONNECTED;
    }

    public boolean isServer() {
        return server;
    }

    /** Records dropped: queue full or transport finished. */
    public long droppedRecords() {
        return records.dropped();
    }

    /** Drain tasks the pool refused (the next record retries). */
    public long drainsRejected() {
        return drainsRejected.get();
    }

    /** Application data records (we negotiate no data channel) that were read and discarded. */
    public long applicationRecordsIgnored() {
        return applicationRecordsIgnored.get();
    }

    /** Sends close_notify if connected and frees everything. No listener callbacks afterwards. Idempotent. */
    @Override
    public void close() {
        State prev = state.getAndSet(State.CLOSED);
        if (prev == State.CLOSED) {
            return;
        }
        cancelTimeout();
        DTLSTransport t = dtls;
        if (prev == State.CONNECTED && t != null) {
            try {
                t.close(); // sends close_notify (RFC 5246 §7.2.1)
            } catch (IOException | RuntimeException e) {
                log.debug("close_notify not sent: {}", e.toString());
            }
        }
        records.close();
        keys = null;
    }

    private void handshake() {
        try {
            DTLSTransport t;
            SrtpProfile profile;
            byte[] block;
            if (server) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // No HelloVerifyRequest cookie round trip: ICE connectivity checks already proved
                // the peer receives at this address (the DoS the cookie guards against).
                protocol.setVerifyRequests(false);
                t = protocol.accept(serverPeer, records);
                profile = serverPeer.selectedProfile();
                block = serverPeer.takeKeyingBlock();
            } else {
                t = new DTLSClientProtocol().connect(clientPeer, records);
                profile = clientPeer.selectedProfile();
                block = clientPeer.takeKeyingBlock();
            }
            SrtpKeyingMaterial k = SrtpKeyingMaterial.fromExportedBlock(profile, !server, block);
            Arrays.fill(block, (byte) 0);
            dtls = t;
            keys = k;
            if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
                // Timed out or closed while finishing: the owner has already been told.
                closeQuietly(t);
                keys = null;
                return;
            }
            cancelTimeout();
            log.debug("DTLS {} handshake complete, profile {}", server ? "server" : "client", profile);
            listener.onHandshakeComplete(k);
            if (!records.isEmpty()) {
                scheduleDrain();
            }
        } catch (Exception e) {
            fail(reasonFor(e));
        }
    }

    private String reasonFor(Exception e) {
        if (support.fingerprintMismatch) {
            return "fingerprint_mismatch";
        }
        if (e instanceof TlsTimeoutException) {
            return "handshake_timeout";
        }
        if (support.fatalAlertReceived != null) {
            return "handshake_failed: peer sent " + support.fatalAlertReceived;
        }
        return "handshake_failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Reports a handshake failure once, unless the handshake already completed or we were closed. */
    private void fail(String reason) {
        if (!state.compareAndSet(State.NEW, State.FAILED) && !state.compareAndSet(State.HANDSHAKING, State.FAILED)) {
            return;
        }
        cancelTimeout();
        // Unblocks a handshake thread still waiting in BouncyCastle's receive.
        records.close();
        log.info("DTLS {} handshake failed: {}", server ? "server" : "client", reason);
        listener.onFailure(reason);
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true) && !pool.execute(this::drain)) {
            drainScheduled.set(false);
            drainsRejected.incrementAndGet();
        }
    }

    /**
     * Lets BouncyCastle process records that arrive after the handshake: it retransmits our last
     * flight when the peer repeats its own, and notices close_notify and fatal alerts.
     */
    private void drain() {
        DTLSTransport t = dtls;
        try {
            while (state.get() == State.CONNECTED) {
                int n = t.receive(drainBuffer, 0, drainBuffer.length, DRAIN_WAIT_MILLIS);
                if (peerEnded()) {
                    return;
                }
                if (n >= 0) {
                    applicationRecordsIgnored.incrementAndGet();
                } else if (records.isEmpty()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!peerEnded()) {
                closedByPeer("dtls_error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return;
        } finally {
            drainScheduled.set(false);
        }
        // A record may have arrived between the last poll and clearing the flag.
        if (!records.isEmpty() && state.get() == State.CONNECTED) {
            scheduleDrain();
        }
    }

    private boolean peerEnded() {
        if (support.closeNotifyReceived) {
            closedByPeer("close_notify");
            return true;
        }
        String alert = support.fatalAlertReceived;
        if (alert != null) {
            closedByPeer("fatal_alert: " + alert);
            return true;
        }
        return false;
    }

    private void closedByPeer(String reason) {
        if (!state.compareAndSet(State.CONNECTED, State.CLOSED)) {
            return;
        }
        closeQuietly(dtls);
        records.close();
        keys = null;
        log.info("DTLS {} closed: {}", server ? "server" : "client", reason);
        listener.onClosed(reason);
    }

    private void cancelTimeout() {
        ScheduledFuture<?> f = timeoutTask;
        if (f != null) {
            f.cancel(false);
        }
    }

    private static void closeQuietly(DTLSTransport t) {
        if (t == null) {
            return;
        }
        try {
            t.close();
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the peer may be gone.
        }
    }
}
