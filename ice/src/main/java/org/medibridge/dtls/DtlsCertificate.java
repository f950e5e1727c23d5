package org.medibridge.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The server's DTLS identity: one self-signed ECDSA P-256 certificate. WebRTC authenticates it by
 * the {@code a=fingerprint} in the SDP (RFC 8122, RFC 8827 §6.5), so nothing about the subject
 * matters; one per process is normal. Immutable and shareable between transports.
 */
public final class DtlsCertificate {
    /** Browsers reject certificates valid for more than a year-ish only for HTTPS; 30 days is plenty for a process. */
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final String sha256Fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.sha256Fingerprint = Fingerprints.of("sha-256", der);
    }

    /** Generates a fresh key pair and certificate (hundreds of ms on a cold JVM: do it at start-up). */
    public static DtlsCertificate generate() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = kpg.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=medibridge");
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(63, new SecureRandom()),
                    // Backdate a day so peers with skewed clocks do not reject it as not yet valid.
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)),
                    name, kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            return new DtlsCertificate(holder.getEncoded(), PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the DTLS certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SDP {@code a=fingerprint:sha-256} value: upper-case hex pairs joined by colons. */
    public String sha256Fingerprint() {
        return sha256Fingerprint;
    }

    /** The DER-encoded X.509 certificate. */
    public byte[] encoded() {
        return der.clone();
    }

    /** The certificate chain (of one) as BouncyCastle TLS sends it. */
    Certificate tlsCertificate(BcTlsCrypto crypto) throws IOException {
        TlsCertificate c = crypto.createCertificate(der);
        return new Certificate(new TlsCertificate[] {c});
    }

    /** Credentials that sign the handshake with our private key; bound to one handshake's context. */
    TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto) throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                tlsCertificate(crypto), SignatureAndHashAlgorithm.getInstance(
                        org.bouncycastle.tls.HashAlgorithm.sha256, org.bouncycastle.tls.SignatureAlgorithm.ecdsa));
    }

    /** Never print the key. */
    @Override public String toString() {
        return "DtlsCertificate[sha-256 " + sha256Fingerprint + "]";
    }
}
