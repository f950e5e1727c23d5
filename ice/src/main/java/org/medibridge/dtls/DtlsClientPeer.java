package org.medibridge.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.medibridge.srtp.SrtpProfile;

/** Our DTLS 1.2 client (remote SDP has {@code a=setup:passive}): offers use_srtp, sends our cert. */
final class DtlsClientPeer extends DefaultTlsClient {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final DtlsPeerSupport support;
    private SrtpProfile selectedProfile;
    private byte[] keyingBlock;

    DtlsClientPeer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsPeerSupport support) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.support = support;
    }

    SrtpProfile selectedProfile() {
        return selectedProfile;
    }

    /** The exported SRTP keying block; taken once (the caller wipes it). */
    byte[] takeKeyingBlock() {
        byte[] b = keyingBlock;
        keyingBlock = null;
        return b;
    }

    /**
     * BouncyCastle (1.8x) allows exporting keying material only from inside this callback, not
     * after {@code accept}/{@code connect} return.
     */
    @Override public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keyingBlock = DtlsPeerSupport.exportSrtpKeys(context, selectedProfile);
    }

    @Override protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(crypto, DtlsPeerSupport.CIPHER_SUITES);
    }

    /** Without extended_master_secret (RFC 7627) the keying-material export fails after the handshake. */
    @Override public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override public int getHandshakeTimeoutMillis() {
        return support.handshakeTimeoutMillis();
    }

    @SuppressWarnings("unchecked")
    @Override public Hashtable getClientExtensions() throws IOException {
        Hashtable<Integer, byte[]> ext = org.bouncycastle.tls.TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        UseSrtp.offer(ext);
        return ext;
    }

    @Override public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        selectedProfile = UseSrtp.selected(serverExtensions);
    }

    @Override public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                support.verifyPeerCertificate(serverCertificate.getCertificate());
            }

            @Override public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return certificate.signer(context, crypto);
            }
        };
    }

    @Override public void notifyAlertReceived(short alertLevel, short alertDescription) {
        support.alertReceived(alertLevel, alertDescription);
    }
}
