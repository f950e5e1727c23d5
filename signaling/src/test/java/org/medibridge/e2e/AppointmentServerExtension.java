package org.medibridge.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.medibridge.signaling.MediBridgeServer;
import org.medibridge.signaling.ServerConfig;

/**
 * Starts ONE MediBridge server for a test class the way a clinic runs it: NOT in dev mode, with an
 * API key and a JWT secret (so joining needs a signed link) and the audit log in a temporary
 * directory; HTTP on an ephemeral port, media on a free UDP port, everything on 127.0.0.1.
 * {@link #api} calls the REST API with the key.
 *
 * <p>The settings go through {@link ServerConfig#parse} (the documented flags {@code --api-key},
 * {@code --jwt-secret}, {@code --audit-log}), so new config fields do not break this class.
 * {@link #withRecordings()} adds {@code --recordings-dir} (a directory in the temporary one) and,
 * with a key, {@code --recording-key}.
 */
public final class AppointmentServerExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey = randomSecret();
    private final String jwtSecret = randomSecret();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MediBridgeServer server;
    private Path tempDir;
    private boolean recordings;
    private String recordingKey;

    /** Recording on: {@code --recordings-dir <temp>/recordings}, files stored unencrypted. */
    public AppointmentServerExtension withRecordings() {
        this.recordings = true;
        return this;
    }

    /** Recording on, files encrypted at rest with {@code --recording-key key}. */
    public AppointmentServerExtension withRecordings(String key) {
        this.recordings = true;
        this.recordingKey = key;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        tempDir = Files.createTempDirectory("medibridge-e2e-audit-");
        Exception last = null;
        // The UDP port is probed and released before the server binds it; retry on the rare race.
        for (int attempt = 0; attempt < 3 && server == null; attempt++) {
            int udp = MediBridgeServerExtension.freeUdpPort();
            List<String> args = new ArrayList<>(List.of(
                "--http-port", "0",
                "--media-port", Integer.toString(udp),
                "--bind-address", "127.0.0.1",
                "--public-address", "127.0.0.1",
                "--api-key", apiKey,
                "--jwt-secret", jwtSecret,
                "--audit-log", tempDir.resolve("audit.jsonl").toString()));
            if (recordings) {
                args.addAll(List.of("--recordings-dir", recordingsDir().toString()));
                if (recordingKey != null) {
                    args.addAll(List.of("--recording-key", recordingKey));
                }
            }
            ServerConfig config = ServerConfig.parse(args.toArray(String[]::new), Map.of());
            try {
                server = MediBridgeServer.start(config);
            } catch (Exception e) {
                last = e;
            }
        }
        if (server == null) {
            throw new IllegalStateException("MediBridge server did not start", last);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            server = null;
            ChromiumBrowser.deleteRecursively(tempDir);
        }
    }

    public MediBridgeServer server() {
        return server;
    }

    /** The API key the server runs with (the one it reports, which must be the configured one). */
    public String apiKey() {
        return server.apiKey().orElseThrow(() -> new IllegalStateException("the server has no API key"));
    }

    /** The key this extension configured. */
    public String configuredApiKey() {
        return apiKey;
    }

    public Path auditLog() {
        return tempDir.resolve("audit.jsonl");
    }

    /** Where the server keeps recordings ({@code --recordings-dir}); only with {@link #withRecordings()}. */
    public Path recordingsDir() {
        return tempDir.resolve("recordings");
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    /** One REST call with {@code Authorization: Bearer <key>}; {@code body} null for none. */
    public ApiResult api(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + apiKey())
                    .header("Accept", "application/json");
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = res.body() == null || res.body().isBlank() ? JSON.nullNode() : JSON.readTree(res.body());
            } catch (IOException notJson) {
                json = JSON.nullNode(); // the assertion on the status shows the body
            }
            return new ApiResult(res.statusCode(), json, res.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public record ApiResult(int status, JsonNode json, String body) {
    }

    private static String randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
