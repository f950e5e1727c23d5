package org.medibridge.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.Person;
import org.medibridge.appointment.Role;

/** Keys, an appointment and a token builder shared by the token tests. */
final class TokenFixtures {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-medibridge-test".getBytes(StandardCharsets.UTF_8);
    static final byte[] OTHER_SECRET = "another-secret-another-secret-another-secret!".getBytes(StandardCharsets.UTF_8);

    static final Person DOCTOR = new Person("dr-1", "Dr. Grey", Role.DOCTOR);
    static final Person PATIENT = new Person("pt-1", "Ada Patient", Role.PATIENT);
    /** Visit 09:00-09:30 UTC: join from 08:50 (10 min early), closes 09:45 (15 min grace). */
    static final Appointment VISIT = new Appointment("visit-42", Instant.parse("2026-11-24T09:00:00Z"),
            Instant.parse("2026-11-24T09:30:00Z"), List.of(DOCTOR, PATIENT), Duration.ofMinutes(10),
            Duration.ofMinutes(15), true, Appointment.Status.SCHEDULED, Instant.parse("2026-11-01T12:00:00Z"));
    static final Instant NBF = Instant.parse("2026-11-24T08:50:00Z");
    static final Instant EXP = Instant.parse("2026-11-24T09:45:00Z");
    static final Instant DURING = Instant.parse("2026-11-24T09:05:00Z");
    static final Clock MINT_CLOCK = Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC);

    static final KeyPair BOOKING_KEYS = ecKeyPair("secp256r1");
    static final KeyPair OTHER_EC_KEYS = ecKeyPair("secp256r1");
    static final KeyPair RSA_KEYS = rsaKeyPair();

    private TokenFixtures() {
    }

    /** Verifies HS256 with {@link #SECRET} and ES256 with {@link #BOOKING_KEYS}. */
    static JwtJoinTokens tokens() {
        return new JwtJoinTokens(SECRET, (ECPublicKey) BOOKING_KEYS.getPublic(), MINT_CLOCK);
    }

    /** The claims {@link JwtJoinTokens#mint} would write for the patient, to be edited by a test. */
    static JWTClaimsSet.Builder patientClaims() {
        return new JWTClaimsSet.Builder()
                .issuer(JwtJoinTokens.ISSUER)
                .subject(PATIENT.id())
                .claim("room", VISIT.id())
                .claim("name", PATIENT.name())
                .claim("role", "patient")
                .notBeforeTime(Date.from(NBF))
                .expirationTime(Date.from(EXP))
                .issueTime(Date.from(MINT_CLOCK.instant()));
    }

    static JWTClaimsSet patientClaims(Consumer<JWTClaimsSet.Builder> edit) {
        JWTClaimsSet.Builder b = patientClaims();
        edit.accept(b);
        return b.build();
    }

    static String hs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, macSigner(SECRET), claims);
    }

    static String es256(ECPrivateKey key, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.ES256, new ECDSASigner(key), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner(RSA_KEYS.getPrivate()), claims);
    }

    static MACSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWSAlgorithm alg, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String b64(String s) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair ecKeyPair(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeyPairOn(String curve) {
        return ecKeyPair(curve);
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
