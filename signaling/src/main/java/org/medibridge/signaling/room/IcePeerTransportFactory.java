package org.medibridge.signaling.room;

import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;
import org.medibridge.ice.MediaPort;

/** Peer transports on the server's one media port, all sharing one DTLS certificate. */
public final class IcePeerTransportFactory implements PeerTransportFactory {
    private final MediaPort port;
    private final DtlsCertificate certificate;
    private final DtlsHandshakePool dtlsPool;

    public IcePeerTransportFactory(MediaPort port, DtlsCertificate certificate, DtlsHandshakePool dtlsPool) {
        this.port = port;
        this.certificate = certificate;
        this.dtlsPool = dtlsPool;
    }

    @Override
    public PeerTransport create(boolean iceControlling, Listener listener) {
        return new IcePeerTransport(port, certificate, dtlsPool, iceControlling, listener);
    }
}
