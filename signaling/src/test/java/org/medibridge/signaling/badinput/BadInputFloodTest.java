package org.medibridge.signaling.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.signaling.badinput.WsClient.msg;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.sdp.SessionDescription;

/**
 * One socket floods the server with garbage as fast as it can while a participant in another
 * room negotiates normally: that participant is not disturbed, the flooder gets exactly one
 * error per message, and the server keeps answering /health.
 */
class BadInputFloodTest {
    private static final int MESSAGES = 2_000;
    private static final String OFFER = TestServer.sdp(TestServer.CHROMIUM_OFFER);
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

    @Test
    void floodOnOneSocketDoesNotDisturbAnotherRoom() throws Exception {
        // Four kinds of garbage: refused on the Netty loop (bad_json, unknown_type, already_joined)
        // and on the room's worker thread (sdp_invalid).
        String[] garbage = {
                "{\"type\": \"offer\", \"sdp\": ",
                msg("\u0000no-such-type\u0007").toString(),
                msg("join", "room", "other", "name", "again").toString(),
                msg("offer", "pc", "publisher", "sdp", "this is not SDP").toString(),
        };
        String[] codes = {"bad_json", "unknown_type", "already_joined", "sdp_invalid"};

        try (WsClient flooder = server.connect(); WsClient calm = server.connect()) {
            flooder.join("flood-noisy", "Flooder");

            List<JsonNode> healthDuringFlood = new CopyOnWriteArrayList<>();
            CompletableFuture<SessionDescription> calmAnswer = CompletableFuture.supplyAsync(() -> {
                calm.join("flood-calm", "Calm");
                SessionDescription answer = calm.publish(OFFER);
                healthDuringFlood.add(server.health());
                calm.pingPong();
                return answer;
            });

            long started = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                flooder.sendRaw(garbage[i % garbage.length]);
                if (i == MESSAGES / 2) {
                    healthDuringFlood.add(server.health());
                }
            }
            long sentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            SessionDescription answer = calmAnswer.get(30, TimeUnit.SECONDS);
            assertThat(answer.media()).hasSize(2);

            // Exactly one error per garbage message, with the expected code for each kind.
            List<JsonNode> replies = new ArrayList<>();
            TestServer.poll("an error for each of the " + MESSAGES + " garbage messages", Duration.ofSeconds(30),
                    () -> {
                        replies.addAll(flooder.drain());
                        return replies.size();
                    }, n -> n >= MESSAGES);
            Map<String, Integer> byCode = new TreeMap<>();
            for (JsonNode r : replies) {
                assertThat(r.path("type").asText()).as("reply %s", r).isEqualTo("error");
                byCode.merge(r.path("code").asText(), 1, Integer::sum);
            }
            Map<String, Integer> expected = new TreeMap<>();
            for (String c : codes) {
                expected.put(c, MESSAGES / codes.length);
            }
            assertThat(byCode).as("error codes after sending for %d ms", sentMillis).isEqualTo(expected);

            // Both sockets still work, nothing unexpected reached the calm participant.
            flooder.pingPong();
            calm.pingPong();
            assertThat(calm.drain()).isEmpty();
            assertThat(flooder.unparsable).isEmpty();
            assertThat(calm.unparsable).isEmpty();
            assertThat(flooder.closed).isNotDone();
            assertThat(calm.closed).isNotDone();

            assertThat(healthDuringFlood).hasSize(2)
                    .allSatisfy(h -> assertThat(h.path("status").asText()).isEqualTo("ok"));
            JsonNode health = server.health();
            assertThat(health.path("participants").asInt()).isEqualTo(2);
            assertThat(health.path("rooms").asInt()).isEqualTo(2);
        }
        server.awaitEmpty(Duration.ofSeconds(5));
    }
}
