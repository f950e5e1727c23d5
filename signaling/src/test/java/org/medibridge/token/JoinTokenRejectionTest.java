package org.medibridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.medibridge.token.TokenFixtures.*;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jwt.PlainJWT;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a join token is refused, one row each: the code, a fragment of the message, and that
 * the message never quotes the token (nor any of its three parts) or the secret.
 */
class JoinTokenRejectionTest {

    static Stream<Arguments> rejections() {
        String good = hs256(patientClaims().build());
        String[] parts = good.split("\\.");
        ECPrivateKey booking = (ECPrivateKey) BOOKING_KEYS.getPrivate();
        String es = es256(booking, patientClaims().build());
        String[] esParts = es.split("\\.");
        byte[] publicKeyAsSecret = EcPublicKeys.toPem((java.security.interfaces.ECPublicKey) BOOKING_KEYS.getPublic())
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bigSecret = Arrays.copyOf(SECRET, 64);
        return Stream.of(
                // --- malformed: not a signed JWT, or an algorithm we do not accept
                row("empty", "", DURING, TokenException.MALFORMED, "No join token"),
                row("blank", "   ", DURING, TokenException.MALFORMED, "No join token"),
                row("garbage", "hello-this-is-not-a-jwt", DURING, TokenException.MALFORMED, "not a signed JWT"),
                row("two parts", parts[0] + "." + parts[1], DURING, TokenException.MALFORMED, "not a signed JWT"),
                row("four parts", good + ".xyz", DURING, TokenException.MALFORMED, "not a signed JWT"),
                row("header not base64 JSON", "!!!." + parts[1] + "." + parts[2], DURING, TokenException.MALFORMED, "not a signed JWT"),
                row("too long", good + "A".repeat(9000), DURING, TokenException.MALFORMED, "too long"),
                row("alg none, unsigned", new PlainJWT(patientClaims().build()).serialize(), DURING,
                        TokenException.MALFORMED, "not a signed JWT"),
                row("alg none, with our signature kept", b64("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2], DURING,
                        TokenException.MALFORMED, "not a signed JWT"),
                row("alg NONE spelled otherwise", b64("{\"alg\":\"None\"}") + "." + parts[1] + "." + parts[2], DURING,
                        TokenException.MALFORMED, "unsupported"),
                row("HS512 with our secret", sign(JWSAlgorithm.HS512, macSigner(bigSecret), patientClaims().build()),
                        DURING, TokenException.MALFORMED, "unsupported signature algorithm (HS512)"),
                row("HS384", sign(JWSAlgorithm.HS384, macSigner(bigSecret), patientClaims().build()),
                        DURING, TokenException.MALFORMED, "unsupported"),
                row("signature part empty", parts[0] + "." + parts[1] + ".", DURING, TokenException.MALFORMED, "not a signed JWT"),
                row("RS256", rs256(patientClaims().build()), DURING, TokenException.MALFORMED, "unsupported signature algorithm (RS256)"),
                row("payload not JSON, validly signed", signedRaw(b64("{\"alg\":\"HS256\"}"), b64("not json")), DURING,
                        TokenException.MALFORMED, "claims"),
                row("nbf is a string", signedRaw(b64("{\"alg\":\"HS256\"}"),
                        b64("{\"iss\":\"medibridge\",\"room\":\"visit-42\",\"sub\":\"pt-1\",\"name\":\"A\",\"role\":\"patient\","
                                + "\"nbf\":\"soon\",\"exp\":1795419900}")), DURING, TokenException.MALFORMED, "claims"),
                row("room is a number", hs256(patientClaims(b -> b.claim("room", 42))), DURING,
                        TokenException.MALFORMED, "'room' is not a string"),
                row("HS256 without iss", hs256(patientClaims(b -> b.issuer(null))), DURING,
                        TokenException.MALFORMED, "not issued by MediBridge"),
                row("HS256 with another iss", hs256(patientClaims(b -> b.issuer("evil"))), DURING,
                        TokenException.MALFORMED, "not issued by MediBridge"),
                // --- bad signature
                row("HS256 with another secret", sign(JWSAlgorithm.HS256, macSigner(OTHER_SECRET), patientClaims().build()),
                        DURING, TokenException.BAD_SIGNATURE, "signature is not valid"),
                row("HS256 keyed with our ES256 public key (alg confusion)",
                        sign(JWSAlgorithm.HS256, macSigner(publicKeyAsSecret), patientClaims().build()),
                        DURING, TokenException.BAD_SIGNATURE, "signature is not valid"),
                row("ES256 with another key", es256((ECPrivateKey) OTHER_EC_KEYS.getPrivate(), patientClaims().build()),
                        DURING, TokenException.BAD_SIGNATURE, "signature is not valid"),
                row("payload swapped, signature kept",
                        parts[0] + "." + b64(patientClaims(b -> b.claim("role", "doctor")).toString()) + "." + parts[2],
                        DURING, TokenException.BAD_SIGNATURE, "signature is not valid"),
                row("ES256 signature truncated", esParts[0] + "." + esParts[1] + "." + esParts[2].substring(0, 40),
                        DURING, TokenException.BAD_SIGNATURE, "signature"),
                row("bad signature wins over missing claims",
                        sign(JWSAlgorithm.HS256, macSigner(OTHER_SECRET), patientClaims(b -> b.claim("room", null))),
                        DURING, TokenException.BAD_SIGNATURE, "signature"),
                // --- missing claims, each named
                row("no room", hs256(patientClaims(b -> b.claim("room", null))), DURING, TokenException.MISSING_CLAIM, "'room'"),
                row("empty room", hs256(patientClaims(b -> b.claim("room", ""))), DURING, TokenException.MISSING_CLAIM, "'room'"),
                row("no sub", hs256(patientClaims(b -> b.subject(null))), DURING, TokenException.MISSING_CLAIM, "'sub'"),
                row("no name", hs256(patientClaims(b -> b.claim("name", null))), DURING, TokenException.MISSING_CLAIM, "'name'"),
                row("no role", hs256(patientClaims(b -> b.claim("role", null))), DURING, TokenException.MISSING_CLAIM, "'role'"),
                row("no nbf", hs256(patientClaims(b -> b.notBeforeTime(null))), DURING, TokenException.MISSING_CLAIM, "'nbf'"),
                row("no exp", hs256(patientClaims(b -> b.expirationTime(null))), DURING, TokenException.MISSING_CLAIM, "'exp'"),
                row("ES256 missing sub", es256(booking, patientClaims(b -> b.subject(null))), DURING,
                        TokenException.MISSING_CLAIM, "'sub'"),
                // --- unknown role (checked before time)
                row("role admin", hs256(patientClaims(b -> b.claim("role", "admin"))), DURING, TokenException.UNKNOWN_ROLE, "role"),
                row("role capitalised", hs256(patientClaims(b -> b.claim("role", "Doctor"))), DURING, TokenException.UNKNOWN_ROLE, "role"),
                row("unknown role wins over expired", hs256(patientClaims(b -> b.claim("role", "nurse"))),
                        EXP.plusSeconds(3600), TokenException.UNKNOWN_ROLE, "role"),
                // --- time, 30 s skew
                row("an hour early", good, NBF.minusSeconds(3600), TokenException.NOT_YET_VALID,
                        "You can join from 2026-11-24T08:50:00Z"),
                row("just past the skew before nbf", good, NBF.minusSeconds(30).minusMillis(1), TokenException.NOT_YET_VALID,
                        "You can join from 2026-11-24T08:50:00Z"),
                row("ES256 early", es, NBF.minusSeconds(31), TokenException.NOT_YET_VALID, "You can join from"),
                row("at exp + skew", good, EXP.plusSeconds(30), TokenException.EXPIRED, "expired at 2026-11-24T09:45:00Z"),
                row("a day late", good, EXP.plusSeconds(86_400), TokenException.EXPIRED, "expired"),
                row("ES256 late", es, EXP.plusSeconds(31), TokenException.EXPIRED, "expired"));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("rejections")
    void refused(String description, String token, Instant now, String code, String messageFragment) {
        TokenException e = catchThrowableOfType(TokenException.class, () -> tokens().verify(token, now));
        assertThat(e).as(description).isNotNull();
        assertThat(e.code()).as(description).isEqualTo(code);
        assertThat(e.getMessage()).as(description).contains(messageFragment);
        assertNoSecretsIn(e, token);
    }

    @ParameterizedTest(name = "{0}: HS256-only server")
    @MethodSource("rejections")
    void refusedTooWithoutEs256Key(String description, String token, Instant now, String code, String fragment) {
        JwtJoinTokens hsOnly = new JwtJoinTokens(SECRET, null, MINT_CLOCK);
        TokenException e = catchThrowableOfType(TokenException.class, () -> hsOnly.verify(token, now));
        assertThat(e).as(description).isNotNull();
        assertNoSecretsIn(e, token);
    }

    @org.junit.jupiter.api.Test
    void es256IsUnsupportedWhenNoKeyIsConfigured() {
        JwtJoinTokens hsOnly = new JwtJoinTokens(SECRET, null, MINT_CLOCK);
        String es = es256((ECPrivateKey) BOOKING_KEYS.getPrivate(), patientClaims().build());
        assertThatThrownBy(() -> hsOnly.verify(es, DURING))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.code()).isEqualTo(TokenException.MALFORMED))
                .hasMessageContaining("ES256");
    }

    @org.junit.jupiter.api.Test
    void unsignedPlainObjectWithJsonPayloadIsMalformed() {
        String none = new PlainObject(new PlainHeader(), new Payload(patientClaims().build().toJSONObject())).serialize();
        assertThatThrownBy(() -> tokens().verify(none, DURING))
                .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.code()).isEqualTo(TokenException.MALFORMED));
    }

    private static void assertNoSecretsIn(TokenException e, String token) {
        assertThat(e.getCause()).isNull();
        String message = e.getMessage();
        if (!token.isBlank()) {
            assertThat(message).doesNotContain(token.strip());
        }
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) {
                assertThat(message).doesNotContain(part);
            }
        }
        assertThat(message).doesNotContain(new String(SECRET, StandardCharsets.UTF_8));
        assertThat(e.toString()).doesNotContain(new String(SECRET, StandardCharsets.UTF_8));
    }

    /** HS256 over arbitrary header and payload text, to reach the claims parser with a good signature. */
    private static String signedRaw(String header, String payload) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
            byte[] sig = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Arguments row(String description, String token, Instant now, String code, String fragment) {
        return Arguments.of(description, token, now, code, fragment);
    }
}
