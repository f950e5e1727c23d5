package org.medibridge.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.medibridge.srtp.SrtpProfile;

/** Our DTLS 1.2 server (remote SDP has {@code a=setup:active}): ECDSA cert, client cert required, use_srtp. */
final class DtlsServerPeer extends DefaultTlsServer {
    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final DtlsPeerSupport support;
    private SrtpProfile selectedProfile;
    private byte[] keyingBlock;

    DtlsServerPeer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsPeerSupport support) {
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

    @Override protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return certificate.signer(context, crypto);
    }

    /** Always ask for the client's certificate: its fingerprint is what authenticates the peer. */
    @Override public CertificateRequest getCertificateRequest() {
        Vector<?> sigAlgs = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                sigAlgs, null);
    }

    @Override public void notifyClientCertificate(org.bouncycastle.tls.Certificate clientCertificate) throws IOException {
        support.verifyPeerCertificate(clientCertificate);
    }

    @Override public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        selectedProfile = UseSrtp.select(clientExtensions);
    }

    @SuppressWarnings("unchecked")
    @Override public Hashtable getServerExtensions() throws IOException {
        Hashtable<Integer, byte[]> ext = super.getServerExtensions();
        UseSrtp.answer(ext, selectedProfile);
        return ext;
    }

    @Override public void notifyAlertReceived(short alertLevel, short alertDescription) {
        support.alertReceived(alertLevel, alertDescription);
    }
}
