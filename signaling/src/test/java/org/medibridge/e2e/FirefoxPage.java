package org.medibridge.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The demo page in headless firefox-esr without any WebDriver (Debian has no geckodriver): Firefox
 * is started on {@code ?room=..&name=..&report=http://127.0.0.1:P/report} with a throwaway profile
 * whose {@code user.js} enables fake media, and the page POSTs its status and stats once a second to
 * a tiny collector here ({@code app.js} only reports to loopback addresses).
 */
public final class FirefoxPage implements AutoCloseable {

    public static final Path FIREFOX = Paths.get(System.getProperty("medibridge.e2e.firefox", "/usr/bin/firefox-esr"));

    /** Prefs from docs/testing notes plus the ones that keep Firefox off the network and quiet. */
    static final Map<String, Object> PREFS = Map.ofEntries(
            Map.entry("media.navigator.streams.fake", true),
            Map.entry("media.navigator.permission.disabled", true),
            Map.entry("media.autoplay.default", 0),
            Map.entry("media.autoplay.blocking_policy", 0),
            Map.entry("media.peerconnection.ice.obfuscate_host_addresses", false),
            Map.entry("media.peerconnection.ice.loopback", true),
            Map.entry("browser.shell.checkDefaultBrowser", false),
            Map.entry("browser.startup.homepage_override.mstone", "ignore"),
            Map.entry("browser.aboutwelcome.enabled", false),
            Map.entry("datareporting.policy.dataSubmissionEnabled", false),
            Map.entry("datareporting.healthreport.uploadEnabled", false),
            Map.entry("toolkit.telemetry.enabled", false),
            Map.entry("app.update.auto", false),
            Map.entry("app.normandy.enabled", false),
            Map.entry("extensions.update.enabled", false),
            Map.entry("browser.safebrowsing.malware.enabled", false),
            Map.entry("browser.safebrowsing.phishing.enabled", false),
            Map.entry("browser.safebrowsing.downloads.enabled", false),
            Map.entry("network.captive-portal-service.enabled", false),
            Map.entry("network.connectivity-service.enabled", false),
            Map.entry("browser.newtabpage.enabled", false),
            Map.entry("dom.min_background_timeout_value", 0));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path profile;
    private final HttpServer collector;
    private final AtomicReference<JsonNode> latest = new AtomicReference<>();
    private final Process process;

    public static boolean available() {
        return Files.isExecutable(FIREFOX);
    }

    public FirefoxPage(String baseUrl, String room, String name) {
        try {
            profile = Files.createTempDirectory("medibridge-firefox-");
            StringBuilder userJs = new StringBuilder();
            PREFS.forEach((k, v) -> userJs.append("user_pref(\"").append(k).append("\", ")
                    .append(v instanceof String ? "\"" + v + "\"" : v).append(");\n"));
            Files.writeString(profile.resolve("user.js"), userJs);

            collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            collector.createContext("/report", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    latest.set(JSON.readTree(in.readAllBytes()));
                } catch (IOException e) {
                    // a torn report: keep the previous one
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            collector.start();
            String report = "http://127.0.0.1:" + collector.getAddress().getPort() + "/report";
            String url = baseUrl + "/?room=" + ChromiumBrowser.enc(room) + "&name=" + ChromiumBrowser.enc(name)
                    + "&report=" + ChromiumBrowser.enc(report);
            ProcessBuilder pb = new ProcessBuilder(FIREFOX.toString(), "--headless", "--no-remote",
                    "--profile", profile.toString(), url);
            pb.environment().put("MOZ_HEADLESS", "1");
            pb.redirectErrorStream(true);
            pb.redirectOutput(profile.resolve("firefox.log").toFile());
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The latest report the page POSTed ({userAgent, snapshot, stats, events}), or null before the first. */
    public JsonNode latestReport() {
        if (!process.isAlive() && latest.get() == null) {
            throw new IllegalStateException("firefox exited with " + process.exitValue() + "; see " + log());
        }
        return latest.get();
    }

    public Path log() {
        return profile.resolve("firefox.log");
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        try {
            // Only the processes this object started: Firefox and its own child processes.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            collector.stop(0);
            ChromiumBrowser.deleteRecursively(profile);
        }
    }
}
