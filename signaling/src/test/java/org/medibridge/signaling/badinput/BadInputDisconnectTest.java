package org.medibridge.signaling.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.badinput.WsClient.msg;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sockets that go away in the middle of a negotiation: the participant is freed (rooms and
 * participants gone from /health) and no pooled packet buffer stays checked out.
 */
class BadInputDisconnectTest {
    private static final String OFFER = TestServer.sdp(TestServer.CHROMIUM_OFFER);
    private static final Duration FREED_WITHIN = Duration.ofSeconds(5);
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

    @AfterEach
    void everythingFreed() {
        server.awaitEmpty(FREED_WITHIN);
        TestServer.poll("no outstanding packet buffers", FREED_WITHIN,
                () -> server.server.packetPool().outstanding(), n -> n == 0);
    }

    @Test
    void abortWithOfferInFlightAndSubscriberOfferOutstanding() {
        WsClient a = server.connect();
        WsClient b = server.connect();
        try {
            a.join("cut-1", "A");
            a.publish(OFFER);
            b.join("cut-1", "B");
            // B now owes the server an answer to its subscriber offer (A's audio and video).
            JsonNode offer = b.awaitType("offer");
            assertThat(offer.path("pc").asText()).isEqualTo("subscriber");
            assertThat(offer.path("tracks").size()).isEqualTo(2);
            // B sends its own publisher offer and vanishes before the answer.
            b.send(msg("offer", "pc", "publisher", "sdp", OFFER));
            b.abort();
            // A learns that B left as disconnected.
            JsonNode left = a.awaitType("participant-left");
            assertThat(left.path("reason").asText()).isEqualTo("disconnected");
            assertThat(server.health().path("participants").asInt()).isEqualTo(1);
            // A, with transports open, drops too.
            a.send(msg("candidate", "pc", "publisher",
                    "candidate", "candidate:2578373141 1 udp 2122194687 127.0.0.1 33648 typ host", "sdpMid", "0"));
            a.abort();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void abortRightAfterJoinBeforeJoinedArrives() {
        for (int i = 0; i < 20; i++) {
            WsClient c = server.connect();
            c.send(msg("join", "room", "cut-2", "name", "Gone-" + i));
            c.abort();
        }
        // everythingFreed() checks that none of them stays in the room.
    }

    @Test
    void abortRightAfterOffer() {
        for (int i = 0; i < 10; i++) {
            WsClient c = server.connect();
            c.join("cut-3", "Offerer-" + i);
            c.send(msg("offer", "pc", "publisher", "sdp", OFFER));
            c.abort();
        }
    }

    @Test
    void cleanCloseMidNegotiation() {
        WsClient a = server.connect();
        WsClient b = server.connect();
        a.join("cut-4", "A");
        a.publish(OFFER);
        b.join("cut-4", "B");
        b.awaitType("offer");
        b.close(); // a normal close frame from the client
        assertThat(a.awaitType("participant-left").path("reason").asText()).isEqualTo("disconnected");
        a.close();
    }

    @Test
    void leaveClosesTheSocketAndFreesTheParticipant() {
        WsClient a = server.connect();
        WsClient b = server.connect();
        a.join("cut-5", "A");
        a.publish(OFFER);
        b.join("cut-5", "B");
        b.awaitType("offer");
        b.send(msg("leave"));
        assertThat(b.awaitClose().status()).isEqualTo(1000);
        assertThat(a.awaitType("participant-left").path("reason").asText()).isEqualTo("left");
        a.close();
        b.close();
    }
}
