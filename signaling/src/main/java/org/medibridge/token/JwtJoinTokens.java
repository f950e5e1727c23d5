package org.medibridge.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Date;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Person;

/**
 * Join tokens as JWTs (RFC 7519) signed with JWS (RFC 7515), parsed and verified by
 * nimbus-jose-jwt.
 *
 * <ul>
 *   <li><b>HS256</b> (RFC 7518 section 3.2) with the server's secret: what {@link #mint} issues, with
 *       {@code iss = "medibridge"}. An HS256 token must carry that issuer.</li>
 *   <li><b>ES256</b> (RFC 7518 section 3.4, P-256) with a configured public key, optional: a booking
 *       system mints its own tokens with the private half. The key is the trust anchor, so
 *       {@code iss} is not checked (a booking system names itself as it likes).</li>
 * </ul>
 * Any other {@code alg} ({@code none}, HS384/HS512, RS256, ES256 without a configured key...) is
 * refused as malformed before any key is touched, so an RSA/EC public key can never be used as an
 * HMAC secret ("algorithm confusion"): HS256 always verifies with the secret only.
 *
 * <p>Checks, in this order, each with its own {@link TokenException} code: malformed, bad signature,
 * missing claim ({@code room}, {@code sub}, {@code name}, {@code role}, {@code nbf}, {@code exp}),
 * unknown role, not yet valid, expired. Times tolerate {@link #CLOCK_SKEW} (30 s) either way:
 * clocks of phones, laptops and booking systems drift, and a patient clicking a link at 08:49:45 for
 * an 08:50 window should not be refused. Exception messages never contain the token or the secret,
 * and this class logs nothing.
 */
public final class JwtJoinTokens implements JoinTokens {
    public static final String ISSUER = "medibridge";
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** RFC 7518 section 3.2: the HS256 key must be at least as long as the hash output (256 bits). */
    public static final int MIN_SECRET_BYTES = 32;
    /** A join token is a few hundred bytes; anything past this is not one (and not worth parsing). */
    static final int MAX_TOKEN_CHARS = 8 * 1024;

    private final MACSigner signer;
    private final MACVerifier hsVerifier;
    private final ECDSAVerifier esVerifier;
    private final Clock clock;

    /** HS256 only, system clock for {@code iat}. */
    public JwtJoinTokens(byte[] secret) {
        this(secret, null, Clock.systemUTC());
    }

    /**
     * @param secret the HS256 key, at least {@link #MIN_SECRET_BYTES} bytes (copied)
     * @param externalKey the ES256 key of a booking system, or null to accept HS256 only
     * @param clock gives {@code iat} when minting (verification takes {@code now} explicitly)
     */
    public JwtJoinTokens(byte[] secret, ECPublicKey externalKey, Clock clock) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (e.g. the output of 'openssl rand -base64 48')");
        }
        byte[] key = Arrays.copyOf(secret, secret.length);
        try {
            this.signer = new MACSigner(key);
            this.hsVerifier = new MACVerifier(key);
            this.esVerifier = externalKey == null ? null : new ECDSAVerifier(externalKey);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT key: " + e.getMessage());
        }
        this.clock = clock;
    }

    /**
     * From configuration: {@code secret} ({@code MEDIBRIDGE_JWT_SECRET}, its UTF-8 bytes) and
     * optionally {@code publicKey} ({@code MEDIBRIDGE_JWT_PUBLIC_KEY}: PEM text or a file path; null
     * or blank for HS256 only).
     */
    public static JwtJoinTokens fromConfig(String secret, String publicKey) {
        if (secret == null) {
            throw new IllegalArgumentException("no JWT secret configured");
        }
        ECPublicKey es = publicKey == null || publicKey.isBlank() ? null : EcPublicKeys.load(publicKey);
        return new JwtJoinTokens(secret.getBytes(StandardCharsets.UTF_8), es, Clock.systemUTC());
    }

    /** Whether ES256 tokens from a booking system are accepted. */
    public boolean acceptsEs256() {
        return esVerifier != null;
    }

    @Override
    public String mint(Appointment appointment, Person person) {
        if (appointment.participant(person.id()).filter(p -> p.role() == person.role()).isEmpty()) {
            throw new IllegalArgumentException("participant " + person.id() + " is not a "
                    + person.role().wireName() + " of appointment " + appointment.id());
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(person.id())
                .claim(JoinTokenClaims.ROOM, appointment.id())
                .claim(JoinTokenClaims.NAME, person.name())
                .claim(JoinTokenClaims.ROLE, person.role().wireName())
                .notBeforeTime(Date.from(appointment.joinFrom()))
                .expirationTime(Date.from(appointment.closesAt()))
                .issueTime(Date.from(clock.instant().truncatedTo(ChronoUnit.SECONDS)))
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public JoinClaims verify(String token, Instant now) throws TokenException {
        SignedJWT jwt = parse(token);
        JWTClaimsSet claims = claimsOf(jwt);
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        JWSVerifier verifier = JWSAlgorithm.HS256.equals(alg) ? hsVerifier
                : JWSAlgorithm.ES256.equals(alg) ? esVerifier : null;
        if (verifier == null) {
            throw new TokenException(TokenException.MALFORMED, "The join link uses an unsupported signature"
                    + " algorithm (" + safeAlgName(alg) + ").");
        }
        if (!verifySignature(jwt, verifier)) {
            throw new TokenException(TokenException.BAD_SIGNATURE,
                    "The join link's signature is not valid: it was changed or not issued for this server.");
        }
        if (verifier == hsVerifier && !ISSUER.equals(claims.getIssuer())) {
            // Only this server holds the secret and it always sets iss; anything else is not ours.
            throw new TokenException(TokenException.MALFORMED, "The join link was not issued by MediBridge.");
        }
        return JoinTokenClaims.check(claims, now, CLOCK_SKEW);
    }

    private static SignedJWT parse(String token) throws TokenException {
        if (token == null || token.isBlank()) {
            throw new TokenException(TokenException.MALFORMED, "No join token was given.");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenException(TokenException.MALFORMED, "The join token is too long.");
        }
        try {
            return SignedJWT.parse(token.strip());
        } catch (ParseException | RuntimeException e) {
            // Not chained: nimbus' messages may quote parts of the token.
            throw new TokenException(TokenException.MALFORMED, "The join token is not a signed JWT.");
        }
    }

    private static JWTClaimsSet claimsOf(SignedJWT jwt) throws TokenException {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new TokenException(TokenException.MALFORMED, "The join token's claims are not a valid JWT claims set.");
        }
    }

    private static boolean verifySignature(SignedJWT jwt, JWSVerifier verifier) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            // e.g. an ES256 signature of the wrong length: still just a bad signature.
            return false;
        }
    }

    /** The alg name only if it is short and plain, since it comes from the attacker. */
    private static String safeAlgName(JWSAlgorithm alg) {
        String name = alg == null ? "" : alg.getName();
        return name.matches("[A-Za-z0-9+_-]{1,16}") ? name : "?";
    }
}
