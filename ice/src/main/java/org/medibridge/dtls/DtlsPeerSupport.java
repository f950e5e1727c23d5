package org.medibridge.dtls;

import java.io.IOException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.medibridge.srtp.SrtpProfile;

/**
 * What the client and server peer share: the remote fingerprint check, the cipher suites, the
 * handshake timeout, and what the peer told us in alerts. One instance per transport.
 */
final class DtlsPeerSupport {
    /**
     * ECDHE only (forward secrecy). ECDSA first: our certificate and the browsers' default ones
     * are P-256; RSA suites only matter when we are the client and the browser has an RSA cert.
     */
    static final int[] CIPHER_SUITES = {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    };

    /** RFC 5764 §4.2: the exporter label for SRTP keys. */
    static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    private final String fingerprintAlgorithm;
    private final String expectedFingerprint;
    private final int handshakeTimeoutMillis;

    volatile boolean fingerprintMismatch;
    volatile boolean closeNotifyReceived;
    /** Description of a fatal alert the peer sent, or null. */
    volatile String fatalAlertReceived;

    DtlsPeerSupport(String fingerprintAlgorithm, String expectedFingerprint, int handshakeTimeoutMillis) {
        // Fail early (on the caller) for an algorithm we cannot compute.
        Fingerprints.jcaName(fingerprintAlgorithm);
        this.fingerprintAlgorithm = fingerprintAlgorithm;
        this.expectedFingerprint = expectedFingerprint;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    int handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /**
     * RFC 8122 §6 / RFC 5763 §5: the certificate presented MUST match the fingerprint from the
     * SDP; otherwise the endpoint MUST NOT establish the connection. We answer with a fatal
     * bad_certificate alert.
     */
    void verifyPeerCertificate(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            // We requested the certificate; DTLS-SRTP (RFC 5763 §5) requires one from both ends.
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        String actual = Fingerprints.of(fingerprintAlgorithm, chain.getCertificateAt(0).getEncoded());
        if (!Fingerprints.matches(expectedFingerprint, actual)) {
            fingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "fingerprint_mismatch");
        }
    }

    /** RFC 5764 §4.2: client key | server key | client salt | server salt, no context. */
    static byte[] exportSrtpKeys(TlsContext context, SrtpProfile profile) {
        return context.exportKeyingMaterial(EXPORTER_LABEL, null, 2 * (profile.keyLength + profile.saltLength));
    }

    void alertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (level == AlertLevel.fatal) {
            fatalAlertReceived = AlertDescription.getText(description);
        }
    }
}
