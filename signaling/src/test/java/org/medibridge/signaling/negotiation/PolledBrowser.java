package org.medibridge.signaling.negotiation;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A browser process started without any WebDriver: it opens {@code harness.html?poll}, which
 * fetches calls from the {@link HarnessServer}. Works for Chromium and Firefox alike.
 */
final class PolledBrowser implements BrowserPage {
    private final HarnessServer server;
    private final Process process;
    private final Path profile;

    private PolledBrowser(HarnessServer server, Process process, Path profile) {
        this.server = server;
        this.process = process;
        this.profile = profile;
    }

    static PolledBrowser chromium() throws IOException {
        HarnessServer server = new HarnessServer();
        Path profile = Files.createTempDirectory("mb-chromium");
        List<String> cmd = new ArrayList<>();
        cmd.add(Browsers.CHROMIUM);
        cmd.addAll(Browsers.CHROMIUM_FLAGS);
        cmd.add("--user-data-dir=" + profile);
        cmd.add(server.url("harness.html?poll"));
        return new PolledBrowser(server, start(cmd, profile), profile);
    }

    static PolledBrowser firefox() throws IOException {
        HarnessServer server = new HarnessServer();
        Path profile = Files.createTempDirectory("mb-firefox");
        Files.writeString(profile.resolve("user.js"), Browsers.FIREFOX_USER_JS, StandardCharsets.UTF_8);
        List<String> cmd = List.of(Browsers.FIREFOX, "--headless", "--no-remote", "--profile", profile.toString(),
                server.url("harness.html?poll"));
        return new PolledBrowser(server, start(cmd, profile), profile);
    }

    private static Process start(List<String> cmd, Path profile) throws IOException {
        File log = profile.resolve("browser.log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    @Override
    public Result call(String function, String... args) throws Exception {
        return server.call(function, 60, args);
    }

    @Override
    public void close() {
        server.quitPage();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp profile is harmless
        }
    }
}
