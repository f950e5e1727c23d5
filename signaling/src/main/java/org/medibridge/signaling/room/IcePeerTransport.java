package org.medibridge.signaling.room;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;
import org.medibridge.ice.IceCandidateInfo;
import org.medibridge.ice.MediaPort;
import org.medibridge.ice.WebRtcTransport;
import org.medibridge.srtp.SrtpKeyingMaterial;

/** {@link PeerTransport} over the ice module's {@link WebRtcTransport} (ICE + DTLS + RFC 7983 demux). */
final class IcePeerTransport implements PeerTransport {
    private final WebRtcTransport transport;
    private final long createdNanos = System.nanoTime();

    IcePeerTransport(MediaPort port, DtlsCertificate certificate, DtlsHandshakePool dtlsPool,
                     boolean iceControlling, PeerTransportFactory.Listener listener) {
        try {
            this.transport = new WebRtcTransport(port, iceControlling, certificate, dtlsPool,
                    new WebRtcTransport.Listener() {
                        @Override public void onConnected(SrtpKeyingMaterial keys) { listener.onConnected(keys); }
                        @Override public void onMediaPacket(PacketBuffer packet) { listener.onMediaPacket(packet); }
                        @Override public void onClosed(String reason) { listener.onClosed(reason); }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public String localUfrag() { return transport.ice().localUfrag(); }
    @Override public String localPassword() { return transport.ice().localPassword(); }

    @Override
    public List<String> localCandidates() {
        return transport.ice().localCandidates().stream().map(IceCandidateInfo::toSdpAttribute).toList();
    }

    @Override
    public void start(String remoteUfrag, String remotePassword, String fingerprintAlgorithm, String fingerprint,
                      boolean dtlsServer) {
        transport.start(remoteUfrag, remotePassword, fingerprintAlgorithm, fingerprint, dtlsServer);
    }

    @Override
    public void restartIce() {
        try {
            transport.restartIce();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void startRestartedIce(String remoteUfrag, String remotePassword) {
        // False when the attempt was abandoned meanwhile (its checks failed): the browser retries.
        transport.startRestartedIce(remoteUfrag, remotePassword);
    }

    @Override
    public boolean hasIceSessionFor(String remoteUfrag) {
        return transport.hasSessionFor(remoteUfrag);
    }

    @Override
    public void addRemoteCandidate(String candidate) {
        transport.addRemoteCandidate(candidate);
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        transport.sendMedia(buf, off, len);
    }

    @Override
    public long lastActivityNanos() {
        return Math.max(createdNanos, transport.lastReceivedNanos());
    }

    @Override
    public void close() {
        transport.close();
    }
}
