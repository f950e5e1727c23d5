package org.medibridge.signaling.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.medibridge.signaling.MediBridgeServer;
import org.medibridge.signaling.ServerConfig;

/** One real in-process server per test class (dev mode, loopback), plus polling and fixture helpers. */
final class TestServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    final MediBridgeServer server;

    private TestServer(MediBridgeServer server) {
        this.server = server;
    }

    static TestServer start() throws Exception {
        Exception last = null;
        // The UDP port is probed and released before the server binds it: retry on the rare race.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return new TestServer(MediBridgeServer.start(
                        new ServerConfig(0, freeUdpPort(), "127.0.0.1", "127.0.0.1", true)));
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("MediBridge server did not start", last);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    int httpPort() {
        return server.httpPort();
    }

    WsClient connect() {
        return WsClient.connect(httpPort());
    }

    /** GET /health, parsed. */
    JsonNode health() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort() + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("/health answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls /health until no participant and no room is left. */
    JsonNode awaitEmpty(Duration timeout) {
        return poll("/health to report 0 participants and 0 rooms", timeout, this::health,
                h -> h.path("participants").asInt(-1) == 0 && h.path("rooms").asInt(-1) == 0);
    }

    @Override
    public void close() {
        server.close();
    }

    /** Polling with a deadline; the failure shows the last value seen. */
    static <T> T poll(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError err = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + "; last value: " + last);
                if (lastError != null) {
                    err.initCause(lastError);
                }
                throw err;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** A captured browser SDP from {@code src/test/resources/sdp/}. */
    static String sdp(String name) {
        try (InputStream in = TestServer.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String CHROMIUM_OFFER = "chromium-156-offer.sdp";
    static final String CHROMIUM_SUBSCRIBER_ANSWER = "chromium-156-subscriber-answer.sdp";
}
