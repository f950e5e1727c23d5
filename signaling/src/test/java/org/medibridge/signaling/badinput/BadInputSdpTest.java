package org.medibridge.signaling.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.badinput.WsClient.msg;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.sdp.SessionDescription;

/**
 * Publisher offers with SDP problems, each derived from the real Chromium 156 offer, sent through
 * a real server; plus answers and candidates that do not fit the negotiation state.
 */
class BadInputSdpTest {
    private static final String OFFER = TestServer.sdp(TestServer.CHROMIUM_OFFER);
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String room() {
        return "sdp-" + ROOMS.incrementAndGet();
    }

    /** The Chromium offer without the lines {@code drop} matches (CRLF kept). */
    static String without(Predicate<String> drop) {
        String result = Arrays.stream(OFFER.split("\r\n")).filter(drop.negate()).collect(Collectors.joining("\r\n"))
                + "\r\n";
        assertThat(result).as("the mutation removed something").isNotEqualTo(OFFER);
        return result;
    }

    static Stream<Arguments> brokenOffers() {
        return Stream.of(
                Arguments.of("garbage text", "hello, I am not an SDP", "sdp_invalid"),
                Arguments.of("only v=0", "v=0\r\n", "sdp_invalid"),
                Arguments.of("control bytes", "\u0000\u0001\u0002\u0003", "sdp_invalid"),
                Arguments.of("JSON instead of SDP", "{\"type\":\"offer\"}", "sdp_invalid"),
                Arguments.of("truncated before s=", OFFER.substring(0, OFFER.indexOf("s=")), "sdp_invalid"),
                Arguments.of("m= line mangled", OFFER.replace("m=audio 33648 UDP/TLS/RTP/SAVPF", "m=audio port UDP"),
                        "sdp_invalid"),
                Arguments.of("BUNDLE group removed", without(l -> l.startsWith("a=group:BUNDLE")), "sdp_no_bundle"),
                Arguments.of("BUNDLE group without the video mid", OFFER.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"),
                        "sdp_no_bundle"),
                Arguments.of("rtcp-mux removed", without(l -> l.equals("a=rtcp-mux")), "sdp_no_rtcp_mux"),
                Arguments.of("opus and VP8 rtpmaps removed",
                        without(l -> l.equals("a=rtpmap:111 opus/48000/2") || l.equals("a=rtpmap:96 VP8/90000")),
                        "sdp_no_common_codec"),
                Arguments.of("VP8 rtpmap removed", without(l -> l.equals("a=rtpmap:96 VP8/90000")),
                        "sdp_no_common_codec"),
                Arguments.of("ice-ufrag removed", without(l -> l.startsWith("a=ice-ufrag:")), "sdp_missing_ice"),
                Arguments.of("ice-pwd removed", without(l -> l.startsWith("a=ice-pwd:")), "sdp_missing_ice"),
                Arguments.of("fingerprint removed", without(l -> l.startsWith("a=fingerprint:")),
                        "sdp_missing_fingerprint"),
                Arguments.of("wrong profile", OFFER.replace("UDP/TLS/RTP/SAVPF", "RTP/AVP"), "sdp_unsupported"),
                Arguments.of("setup:holdconn", OFFER.replace("a=setup:actpass", "a=setup:holdconn"), "sdp_unsupported"));
    }

    /**
     * Each broken offer is refused with its code, both as a participant's first offer (no
     * transport yet) and as a re-offer after a valid one; after each refusal the same
     * participant's valid offer still gets a parseable answer.
     */
    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("brokenOffers")
    void brokenOfferIsRefusedAndTheParticipantRecovers(String what, String sdp, String code) {
        try (WsClient c = server.connect()) {
            c.join(room(), "Publisher");

            c.send(msg("offer", "pc", "publisher", "sdp", sdp));
            JsonNode first = c.expectError(code);
            assertThat(first.path("requestType").asText()).isEqualTo("offer");

            SessionDescription answer = c.publish(OFFER);
            assertThat(answer.media()).hasSize(2);

            c.send(msg("offer", "pc", "publisher", "sdp", sdp));
            c.expectError(code);

            c.offerAndExpectAnswer(OFFER); // a re-offer of the same tracks: no new track-published
            c.pingPong();
            assertThat(c.unparsable).isEmpty();
        }
        server.awaitEmpty(Duration.ofSeconds(5));
    }

    /** One participant goes through every broken offer in turn, with a valid offer after each. */
    @Test
    void oneParticipantSurvivesEveryBrokenOfferInTurn() {
        try (WsClient c = server.connect()) {
            c.join(room(), "Stubborn");
            boolean published = false;
            for (Arguments a : brokenOffers().toList()) {
                Object[] args = a.get();
                c.send(msg("offer", "pc", "publisher", "sdp", args[1]));
                c.expectError((String) args[2]);
                if (published) {
                    c.offerAndExpectAnswer(OFFER);
                } else {
                    c.publish(OFFER);
                    published = true;
                }
            }
            c.pingPong();
        }
        server.awaitEmpty(Duration.ofSeconds(5));
    }

    @Test
    void answerWithoutOutstandingSubscriberOfferIsUnexpected() {
        String answer = TestServer.sdp(TestServer.CHROMIUM_SUBSCRIBER_ANSWER);
        try (WsClient c = server.connect()) {
            c.join(room(), "Alone");
            c.send(msg("answer", "pc", "subscriber", "sdp", answer));
            c.expectError("unexpected_answer");
            c.publish(OFFER);
            // Alone in the room, publishing gives nobody a subscriber offer: still nothing to answer.
            c.send(msg("answer", "pc", "subscriber", "sdp", answer));
            c.expectError("unexpected_answer");
            c.send(msg("answer", "pc", "subscriber", "sdp", "garbage"));
            c.expectError("unexpected_answer");
            c.pingPong();
        }
        server.awaitEmpty(Duration.ofSeconds(5));
    }

    @Test
    void malformedCandidatesAreBadCandidate() {
        try (WsClient c = server.connect()) {
            c.join(room(), "Trickler");
            c.publish(OFFER);
            String[] bad = {
                    "garbage",
                    "candidate:1 1 udp",
                    "candidate:1 1 udp notanumber 127.0.0.1 5000 typ host",
                    "candidate:1 1 udp 2122194687 127.0.0.1 99999999 typ host",
                    "candidate:1 1 udp 2122194687 127.0.0.1 5000 host",
                    "candidate:1 1 udp 2122194687 not-an-ip.example 5000 typ host",
                    "candidate:1 1 udp 2122194687 127.0.0.1 5000 typ bogus",
                    "candidate:1 1 udp 2122194687 127.0.0.1 5000 typ host " + "x".repeat(1100),
            };
            for (String cand : bad) {
                c.send(msg("candidate", "pc", "publisher", "candidate", cand, "sdpMid", "0"));
                JsonNode e = c.expectError("bad_candidate");
                assertThat(e.path("requestType").asText()).isEqualTo("candidate");
            }
            // Valid, ignored (mDNS, TCP) and end-of-candidates trickles get no reply at all.
            c.send(msg("candidate", "pc", "publisher", "candidate",
                    "candidate:2578373141 1 udp 2122194687 127.0.0.1 33648 typ host generation 0", "sdpMid", "0"));
            c.send(msg("candidate", "pc", "publisher", "candidate",
                    "candidate:1 1 udp 2122194687 4f0e4c1a-1b2c-4d5e-8f90-123456789abc.local 5000 typ host", "sdpMid", "0"));
            c.send(msg("candidate", "pc", "publisher", "candidate",
                    "candidate:1728319105 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active", "sdpMid", "0"));
            c.send(msg("candidate", "pc", "publisher", "candidate", ""));
            c.send(msg("candidate", "pc", "publisher"));
            c.pingPong();
            c.offerAndExpectAnswer(OFFER);
        }
        server.awaitEmpty(Duration.ofSeconds(5));
    }
}
