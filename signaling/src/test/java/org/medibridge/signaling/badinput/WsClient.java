package org.medibridge.signaling.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.medibridge.sdp.SdpParseException;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SessionDescription;

/**
 * A signaling client on the JDK's {@link WebSocket}: every received text message is parsed and
 * queued; {@link #next()} takes them in order, with a timeout.
 */
final class WsClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** How the server closed the socket. */
    record Close(int status, String reason) {
    }

    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    /** Frames that were not JSON objects (the server must never send one). */
    final List<String> unparsable = new CopyOnWriteArrayList<>();
    final CompletableFuture<Close> closed = new CompletableFuture<>();
    final CompletableFuture<Throwable> failed = new CompletableFuture<>();
    private WebSocket ws;

    private WsClient() {
    }

    static WsClient connect(int httpPort) {
        WsClient c = new WsClient();
        try {
            c.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws"), c.listener())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not open the WebSocket", e);
        }
        return c;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    try {
                        JsonNode n = JSON.readTree(text);
                        if (n != null && n.isObject()) {
                            inbox.add(n);
                        } else {
                            unparsable.add(text);
                        }
                    } catch (JsonProcessingException e) {
                        unparsable.add(text);
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Close(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                failed.complete(error);
                closed.completeExceptionally(error);
            }
        };
    }

    // ---- sending ------------------------------------------------------------------------------

    void sendRaw(String text) {
        try {
            ws.sendText(text, true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not send " + abbreviate(text), e);
        }
    }

    /** Sends and does not mind a failed write (the server may close the socket mid-frame). */
    void sendRawIgnoringFailure(String text) {
        try {
            ws.sendText(text, true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            // expected when the server refuses early
        }
    }

    void sendBinary(byte[] data) {
        try {
            ws.sendBinary(java.nio.ByteBuffer.wrap(data), true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("could not send a binary frame", e);
        }
    }

    void send(JsonNode message) {
        sendRaw(message.toString());
    }

    /** A message of {@code type} with the given field/value pairs. */
    static ObjectNode msg(String type, Object... fields) {
        ObjectNode n = JSON.createObjectNode();
        if (type != null) {
            n.put("type", type);
        }
        for (int i = 0; i < fields.length; i += 2) {
            n.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        return n;
    }

    // ---- receiving ----------------------------------------------------------------------------

    /** The next message, failing after {@link #TIMEOUT}. */
    JsonNode next() {
        return next(TIMEOUT);
    }

    JsonNode next(Duration timeout) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode n = null;
            // Stop waiting early once the socket is gone and nothing is left to read.
            while (n == null && System.nanoTime() < deadline) {
                boolean wasClosed = closed.isDone();
                n = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (n == null && wasClosed) {
                    break;
                }
            }
            if (n == null) {
                throw new AssertionError("no message within " + timeout.toMillis() + " ms (socket closed: "
                        + (closed.isDone() ? describeClose() : "no") + ")");
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message, which must be an {@code error} with {@code code}. */
    JsonNode expectError(String code) {
        JsonNode m = next();
        assertThat(m.path("type").asText()).as("message %s", m).isEqualTo("error");
        assertThat(m.path("code").asText()).as("error %s", m).isEqualTo(code);
        assertThat(m.path("message").asText()).as("error %s has a message for people", m).isNotBlank();
        return m;
    }

    /** The next message, which must be of {@code type}. */
    JsonNode expect(String type) {
        JsonNode m = next();
        assertThat(m.path("type").asText()).as("message %s", m).isEqualTo(type);
        return m;
    }

    /** Skips messages until one of {@code type} arrives (for broadcasts whose order does not matter). */
    JsonNode awaitType(String type) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode m = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m.path("type").asText().equals(type)) {
                return m;
            }
            assertThat(m.path("type").asText()).as("skipped message %s", m).isNotEqualTo("error");
            skipped.add(m.path("type").asText());
        }
        throw new AssertionError("no " + type + " within " + TIMEOUT.toMillis() + " ms; skipped " + skipped);
    }

    /** Sends {@code ping}; the next message must be {@code pong}. */
    void pingPong() {
        send(msg("ping"));
        expect("pong");
    }

    /** Joins and returns the participant id. */
    String join(String room, String name) {
        send(msg("join", "room", room, "name", name));
        JsonNode joined = expect("joined");
        assertThat(joined.path("room").asText()).isEqualTo(room);
        assertThat(joined.path("participantId").asText()).isNotBlank();
        return joined.path("participantId").asText();
    }

    /** Sends a publisher offer; the next message must be the publisher answer, whose SDP must parse. */
    SessionDescription offerAndExpectAnswer(String sdp) {
        send(msg("offer", "pc", "publisher", "sdp", sdp));
        JsonNode answer = expect("answer");
        assertThat(answer.path("pc").asText()).isEqualTo("publisher");
        return parseSdp(answer.path("sdp").asText());
    }

    /**
     * The first publisher offer of this participant: the answer, then one {@code track-published}
     * per sending m-line, which the server also tells the publisher itself.
     */
    SessionDescription publish(String sdp) {
        SessionDescription answer = offerAndExpectAnswer(sdp);
        long sending = answer.media().stream().filter(m -> m.port() != 0 && m.direction() != null
                && m.direction().name().equals("RECVONLY")).count();
        assertThat(sending).as("the answer accepts the offer's audio and video").isEqualTo(2);
        for (int i = 0; i < sending; i++) {
            expect("track-published");
        }
        return answer;
    }

    static SessionDescription parseSdp(String text) {
        try {
            SessionDescription d = SdpParser.parse(text);
            assertThat(d.bundleGroup()).as("the answer has a BUNDLE group").isPresent();
            assertThat(d.media()).as("the answer has m-lines").isNotEmpty();
            return d;
        } catch (SdpParseException e) {
            throw new AssertionError("the server's SDP does not parse: " + e.getMessage() + "\n" + text, e);
        }
    }

    /** Everything received so far, without waiting. */
    List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        inbox.drainTo(out);
        return out;
    }

    Close awaitClose() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("the socket failed instead of closing cleanly", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the socket within " + TIMEOUT.toMillis() + " ms");
        }
    }

    private String describeClose() {
        try {
            return String.valueOf(closed.getNow(null));
        } catch (RuntimeException e) {
            return "failed: " + e.getCause();
        }
    }

    /** Drops the TCP connection without a close frame (a crashed tab, a lost network). */
    void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed() && !closed.isDone()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // fall through to abort
            }
        }
        ws.abort();
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…(" + s.length() + " chars)" : s;
    }
}
