package org.medibridge.signaling.room;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.demux.DatagramClassifier;
import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;
import org.medibridge.dtls.DtlsListener;
import org.medibridge.dtls.DtlsTransport;
import org.medibridge.ice.IceCandidateInfo;
import org.medibridge.ice.IceSession;
import org.medibridge.ice.IceSessionListener;
import org.medibridge.ice.MediaPort;
import org.medibridge.srtp.SrtpKeyingMaterial;

/**
 * A peer connection's transport: an {@link IceSession} on the shared port, DTLS on top once ICE
 * connects, and the RFC 7983 §7 demultiplexer between them. Datagrams arrive on the port's
 * receive thread: DTLS records go to the DTLS queue, RTP/RTCP to the listener (which hands them
 * to the room's worker), anything else is dropped and counted.
 */
final class IcePeerTransport implements PeerTransport, IceSessionListener, DtlsListener {
    private final MediaPort port;
    private final DtlsCertificate certificate;
    private final DtlsHandshakePool dtlsPool;
    private final PeerTransportFactory.Listener listener;
    private final IceSession ice;
    private final long createdNanos = System.nanoTime();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean dtlsStarted = new AtomicBoolean();
    private volatile DtlsTransport dtls;
    private volatile boolean srtpReady;
    private volatile long otherDrops;

    IcePeerTransport(MediaPort port, DtlsCertificate certificate, DtlsHandshakePool dtlsPool,
                     boolean iceControlling, PeerTransportFactory.Listener listener) {
        this.port = port;
        this.certificate = certificate;
        this.dtlsPool = dtlsPool;
        this.listener = listener;
        try {
            this.ice = port.createSession(iceControlling, this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public String localUfrag() { return ice.localUfrag(); }
    @Override public String localPassword() { return ice.localPassword(); }

    @Override
    public List<String> localCandidates() {
        return ice.localCandidates().stream().map(IceCandidateInfo::toSdpAttribute).toList();
    }

    @Override
    public void start(String remoteUfrag, String remotePassword, String fingerprintAlgorithm, String fingerprint,
                      boolean dtlsServer) {
        dtls = new DtlsTransport(dtlsServer, certificate, fingerprintAlgorithm, fingerprint,
                ice::send, dtlsPool, this);
        ice.setRemoteCredentials(remoteUfrag, remotePassword);
        ice.start();
    }

    @Override
    public void addRemoteCandidate(String candidate) {
        ice.addRemoteCandidate(candidate);
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        ice.send(buf, off, len);
    }

    @Override
    public long lastActivityNanos() {
        return Math.max(createdNanos, ice.lastReceivedNanos());
    }

    // ---- ICE events ---------------------------------------------------------------------------

    @Override
    public void onConnected() {
        DtlsTransport d = dtls;
        if (d != null && dtlsStarted.compareAndSet(false, true)) {
            d.start();
        }
    }

    @Override
    public void onFailed(String reason) {
        closeWith("ice_failed: " + reason);
    }

    @Override
    public void onDatagram(PacketBuffer packet) {
        byte[] b = packet.getBuffer();
        switch (DatagramClassifier.classify(b, packet.getOffset(), packet.getLength())) {
            case DTLS -> {
                DtlsTransport d = dtls;
                if (d == null) {
                    otherDrops++;
                    packet.release();
                } else {
                    d.receive(packet);
                }
            }
            case RTP, RTCP -> {
                if (!srtpReady) {
                    otherDrops++; // media before DTLS finished: nothing can decrypt it
                    packet.release();
                } else {
                    listener.onMediaPacket(packet);
                }
            }
            default -> {
                otherDrops++;
                packet.release();
            }
        }
    }

    // ---- DTLS events --------------------------------------------------------------------------

    @Override
    public void onHandshakeComplete(SrtpKeyingMaterial keys) {
        srtpReady = true;
        listener.onConnected(keys);
    }

    @Override
    public void onFailure(String reason) {
        closeWith("dtls_" + reason);
    }

    @Override
    public void onClosed(String reason) {
        closeWith("dtls_closed: " + reason);
    }

    private void closeWith(String reason) {
        if (!closed.get()) {
            listener.onClosed(reason);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            DtlsTransport d = dtls;
            if (d != null) {
                d.close();
            }
            ice.close();
        }
    }
}
