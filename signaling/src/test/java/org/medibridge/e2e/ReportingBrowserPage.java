package org.medibridge.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The demo page in a browser that is started as a plain process, without any WebDriver: the page is
 * opened on {@code ?room=..&name=..&report=http://COLLECTOR/report} and POSTs its status and stats
 * ({userAgent, snapshot, stats, events}) once a second to a tiny collector here. {@code app.js}
 * reports only to loopback or to the host the page was loaded from, so the collector listens on
 * 127.0.0.1, or, for a browser in a {@link TestNetNamespace}, on the namespace's host-side address
 * (which is also where the page comes from).
 *
 * <p>{@link #close} ends only the browser process this object started (and its children) and
 * deletes its profile directory.
 */
public abstract class ReportingBrowserPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String browser;
    private final Path profile;
    private final HttpServer collector;
    private final String url;
    private final AtomicReference<JsonNode> latest = new AtomicReference<>();
    private Process process;

    /**
     * @param namespace where the browser runs, or null for this host; the collector then listens on
     *     the namespace's host-side address, else on 127.0.0.1
     */
    protected ReportingBrowserPage(String browser, String baseUrl, String room, String name, TestNetNamespace namespace) {
        this.browser = browser;
        try {
            profile = Files.createTempDirectory("medibridge-" + browser + "-");
            InetAddress collectorAddress = namespace == null ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName(namespace.hostAddress());
            collector = HttpServer.create(new InetSocketAddress(collectorAddress, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        String report = "http://" + collector.getAddress().getAddress().getHostAddress() + ":"
                + collector.getAddress().getPort() + "/report";
        url = baseUrl + "/?room=" + ChromiumBrowser.enc(room) + "&name=" + ChromiumBrowser.enc(name)
                + "&report=" + ChromiumBrowser.enc(report);
    }

    /** Starts the browser (a subclass calls this once, at the end of its constructor); closes all on failure. */
    protected final void launch(List<String> command, Map<String, String> env, TestNetNamespace namespace) {
        ProcessBuilder pb = new ProcessBuilder(namespace == null ? command : namespace.command(command));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log().toFile());
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The throwaway profile / user-data directory of this browser (deleted on close). */
    protected final Path profile() {
        return profile;
    }

    /** The page URL, report hook included. */
    protected final String url() {
        return url;
    }

    /** The latest report the page POSTed ({userAgent, snapshot, stats, events}), or null before the first. */
    public JsonNode latestReport() {
        if (process != null && !process.isAlive() && latest.get() == null) {
            throw new IllegalStateException(browser + " exited with " + process.exitValue() + "; log:\n" + logTail());
        }
        return latest.get();
    }

    /** {@code snapshot.client.state} of the latest report (idle, connecting, joined, closed), or null. */
    public String clientState() {
        JsonNode r = latestReport();
        return r == null ? null : r.path("snapshot").path("client").path("state").asText(null);
    }

    public String participantId() {
        JsonNode r = latestReport();
        return r == null ? null : r.path("snapshot").path("client").path("participantId").asText(null);
    }

    public Path log() {
        return profile.resolve(browser + ".log");
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }

    @Override
    public String toString() {
        return browser + " page";
    }

    @Override
    public void close() {
        try {
            if (process != null) {
                // Only the processes this object started: the browser and its own child processes
                // (listed up front: once the browser is gone its orphans are no longer its descendants).
                List<ProcessHandle> family = process.descendants().toList();
                family.forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                for (ProcessHandle child : family) {
                    try {
                        child.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        child.destroyForcibly();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            collector.stop(0);
            ChromiumBrowser.deleteRecursively(profile);
        }
    }
}
