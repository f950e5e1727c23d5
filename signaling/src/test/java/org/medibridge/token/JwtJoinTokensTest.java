package org.medibridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.token.TokenFixtures.*;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medibridge.appointment.Person;
import org.medibridge.appointment.Role;

/** Minting, the accepted paths (HS256 and ES256), the skew boundaries, keys and secrets. */
class JwtJoinTokensTest {

    @Test
    void mintedPatientTokenVerifies() throws Exception {
        String token = tokens().mint(VISIT, PATIENT);

        JoinClaims claims = tokens().verify(token, DURING);

        assertThat(claims).isEqualTo(new JoinClaims("visit-42", "pt-1", "Ada Patient", Role.PATIENT, NBF, EXP));
    }

    @Test
    void mintedTokenCarriesTheDocumentedClaims() throws Exception {
        SignedJWT jwt = SignedJWT.parse(tokens().mint(VISIT, DOCTOR));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.getJWTClaimsSet().getClaims()).containsOnlyKeys("iss", "sub", "room", "name", "role", "nbf", "exp", "iat");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("medibridge");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("role")).isEqualTo("doctor");
        assertThat(jwt.getJWTClaimsSet().getNotBeforeTime().toInstant()).isEqualTo(VISIT.joinFrom());
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(VISIT.closesAt());
        assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(MINT_CLOCK.instant());
    }

    @Test
    void mintRefusesSomeoneNotBookedInTheAppointment() {
        assertThatThrownBy(() -> tokens().mint(VISIT, new Person("stranger", "X", Role.PATIENT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens().mint(VISIT, new Person(PATIENT.id(), PATIENT.name(), Role.DOCTOR)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenFromAnotherSecretIsRefusedButOwnIsAccepted() throws Exception {
        JwtJoinTokens other = new JwtJoinTokens(OTHER_SECRET);
        String theirs = other.mint(VISIT, PATIENT);

        assertThat(other.verify(theirs, DURING).participantId()).isEqualTo("pt-1");
        assertThatThrownBy(() -> tokens().verify(theirs, DURING))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.code()).isEqualTo(TokenException.BAD_SIGNATURE));
    }

    @Test
    void es256FromTheBookingSystemIsAcceptedWithAnyIssuer() throws Exception {
        ECPrivateKey booking = (ECPrivateKey) BOOKING_KEYS.getPrivate();
        String withIss = es256(booking, patientClaims(b -> b.issuer("https://booking.example")));
        String withoutIss = es256(booking, patientClaims(b -> b.issuer(null).subject(DOCTOR.id())
                .claim("role", "doctor").claim("name", DOCTOR.name())));

        assertThat(tokens().verify(withIss, DURING))
                .isEqualTo(new JoinClaims("visit-42", "pt-1", "Ada Patient", Role.PATIENT, NBF, EXP));
        assertThat(tokens().verify(withoutIss, DURING).role()).isEqualTo(Role.DOCTOR);
    }

    @Test
    void es256KeyLoadsFromPemTextAndFromAFile(@TempDir Path dir) throws Exception {
        String pem = EcPublicKeys.toPem((ECPublicKey) BOOKING_KEYS.getPublic());
        Path file = dir.resolve("booking.pem");
        Files.writeString(file, "comment before the block\n" + pem);
        String es = es256((ECPrivateKey) BOOKING_KEYS.getPrivate(), patientClaims().build());
        String secret = new String(SECRET, StandardCharsets.UTF_8);

        for (JwtJoinTokens t : new JwtJoinTokens[] {JwtJoinTokens.fromConfig(secret, pem),
                JwtJoinTokens.fromConfig(secret, file.toString())}) {
            assertThat(t.acceptsEs256()).isTrue();
            assertThat(t.verify(es, DURING).participantId()).isEqualTo("pt-1");
        }
        assertThat(JwtJoinTokens.fromConfig(secret, "  ").acceptsEs256()).isFalse();
        assertThat(JwtJoinTokens.fromConfig(secret, null).acceptsEs256()).isFalse();
    }

    @Test
    void onlyP256PublicKeysInPemAreAccepted(@TempDir Path dir) {
        String p384 = EcPublicKeys.toPem((ECPublicKey) ecKeyPairOn("secp384r1").getPublic());
        String rsa = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(RSA_KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";

        assertThatThrownBy(() -> EcPublicKeys.fromPem(p384)).hasMessageContaining("P-256");
        assertThatThrownBy(() -> EcPublicKeys.fromPem(rsa)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcPublicKeys.fromPem("-----BEGIN PUBLIC KEY-----\n%%%\n-----END PUBLIC KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcPublicKeys.load(dir.resolve("missing.pem").toString()))
                .hasMessageContaining("cannot read");
    }

    @Test
    void skewBoundaryBeforeNotBefore() throws Exception {
        String token = tokens().mint(VISIT, PATIENT);

        assertThat(tokens().verify(token, NBF.minusSeconds(30)).room()).isEqualTo("visit-42");
        assertThat(tokens().verify(token, NBF).room()).isEqualTo("visit-42");
        assertThatThrownBy(() -> tokens().verify(token, NBF.minusSeconds(30).minusMillis(1)))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.code()).isEqualTo(TokenException.NOT_YET_VALID))
                .hasMessage("This visit has not opened yet. You can join from 2026-11-24T08:50:00Z.");
    }

    @Test
    void skewBoundaryAroundExpiry() throws Exception {
        String token = tokens().mint(VISIT, PATIENT);

        assertThat(tokens().verify(token, EXP.minusMillis(1)).room()).isEqualTo("visit-42");
        assertThat(tokens().verify(token, EXP).room()).isEqualTo("visit-42");
        assertThat(tokens().verify(token, EXP.plusSeconds(30).minusMillis(1)).room()).isEqualTo("visit-42");
        assertThatThrownBy(() -> tokens().verify(token, EXP.plusSeconds(30)))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.code()).isEqualTo(TokenException.EXPIRED));
    }

    @Test
    void skewIsThirtySeconds() {
        assertThat(JwtJoinTokens.CLOCK_SKEW).hasSeconds(30);
    }

    @Test
    void fractionalNotBeforeIsTruncatedToSecondsAsJwtNumericDate() throws Exception {
        // NumericDate is seconds (RFC 7519 section 2); an nbf inside a second still opens on time.
        String token = hs256(patientClaims(b -> b.notBeforeTime(Date.from(NBF.plusMillis(900)))));
        assertThat(tokens().verify(token, NBF.minusSeconds(30)).notBefore()).isEqualTo(NBF);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 31})
    void secretShorterThan32BytesIsRefused(int length) {
        byte[] secret = Arrays.copyOf("zyxwvutsrqponmlkjihgfedcba987654321".getBytes(StandardCharsets.UTF_8), length);
        assertThatThrownBy(() -> new JwtJoinTokens(secret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes")
                .satisfies(e -> {
                    if (length > 0) {
                        assertThat(e.getMessage()).doesNotContain(new String(secret, StandardCharsets.UTF_8));
                    }
                });
    }

    @Test
    void secretOf32BytesIsEnoughAndIsCopied() throws Exception {
        byte[] secret = Arrays.copyOf(SECRET, 32);
        JwtJoinTokens t = new JwtJoinTokens(secret);
        String token = t.mint(VISIT, PATIENT);
        Arrays.fill(secret, (byte) 0);

        assertThatCode(() -> t.verify(token, DURING)).doesNotThrowAnyException();
        assertThatThrownBy(() -> JwtJoinTokens.fromConfig(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyIsThreadSafe() throws Exception {
        JwtJoinTokens t = tokens();
        String token = t.mint(VISIT, PATIENT);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<JoinClaims>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> t.verify(token, DURING)));
            }
            for (java.util.concurrent.Future<JoinClaims> r : results) {
                assertThat(r.get().participantId()).isEqualTo("pt-1");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
