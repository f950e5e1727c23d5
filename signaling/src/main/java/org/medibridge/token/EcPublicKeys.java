package org.medibridge.token;

import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Loads the booking system's ES256 verification key: an EC P-256 public key in PEM
 * ({@code -----BEGIN PUBLIC KEY-----}, SubjectPublicKeyInfo, RFC 7468 section 13), as
 * {@code openssl ec -pubout} writes it. The JDK decodes it; no other key type or curve is accepted.
 */
public final class EcPublicKeys {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    /** A PEM public key is a few hundred bytes; refuse to read anything absurd. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private EcPublicKeys() {
    }

    /**
     * {@code pemOrPath} is either the PEM text itself (it contains the BEGIN line, as an environment
     * variable would) or the path of a file holding it.
     */
    public static ECPublicKey load(String pemOrPath) {
        if (pemOrPath == null || pemOrPath.isBlank()) {
            throw new IllegalArgumentException("the ES256 public key is empty");
        }
        if (pemOrPath.contains(BEGIN)) {
            return fromPem(pemOrPath);
        }
        Path path = Path.of(pemOrPath.strip());
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("the ES256 public key file " + path + " is too large");
            }
            return fromPem(Files.readString(path, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the ES256 public key file " + path + ": " + e, e);
        }
    }

    /** Decodes one PEM {@code PUBLIC KEY} block holding an EC P-256 key. */
    public static ECPublicKey fromPem(String pem) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the ES256 public key is not a PEM 'PUBLIC KEY' block");
        }
        String body = pem.substring(begin + BEGIN.length(), end);
        PublicKey key;
        try {
            byte[] der = Base64.getMimeDecoder().decode(body);
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the ES256 public key is not an EC public key in PEM", e);
        }
        ECPublicKey ec = (ECPublicKey) key;
        if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
            throw new IllegalArgumentException("the ES256 public key must be on curve P-256");
        }
        return ec;
    }

    /** The PEM text of {@code key} (for tests and for printing the dev configuration). */
    public static String toPem(ECPublicKey key) {
        return BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n" + END + "\n";
    }
}
