package org.medibridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * The demo page in headless firefox-esr without any WebDriver (Debian has no geckodriver): Firefox is
 * started with a throwaway profile whose {@code user.js} enables fake media, and the page reports
 * its status and stats to a collector (see {@link ReportingBrowserPage}).
 *
 * <p>Firefox gathers no ICE candidates on loopback (whatever {@code media.peerconnection.ice.loopback}
 * says) and does not pair its other host candidates with a server's 127.0.0.1 candidate, so it can
 * only reach a MediBridge server on a non-loopback address: tests run it inside a
 * {@link TestNetNamespace} whose host-side address the server binds to and advertises.
 */
public final class FirefoxPage extends ReportingBrowserPage {

    public static final Path FIREFOX = Paths.get(System.getProperty("medibridge.e2e.firefox", "/usr/bin/firefox-esr"));

    /** Prefs from docs/testing notes plus the ones that keep Firefox off the network and quiet. */
    static final Map<String, Object> PREFS = Map.ofEntries(
            Map.entry("media.navigator.streams.fake", true),
            Map.entry("media.navigator.permission.disabled", true),
            Map.entry("media.autoplay.default", 0),
            Map.entry("media.autoplay.blocking_policy", 0),
            Map.entry("media.peerconnection.ice.obfuscate_host_addresses", false),
            // getUserMedia on http://<test namespace host address>, which is not a secure context
            Map.entry("media.devices.insecure.enabled", true),
            Map.entry("media.getusermedia.insecure.enabled", true),
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

    public static boolean available() {
        return Files.isExecutable(FIREFOX);
    }

    /** Firefox on this host, reporting to 127.0.0.1 (ICE only works with a non-loopback server address). */
    public FirefoxPage(String baseUrl, String room, String name) {
        this(baseUrl, room, name, null);
    }

    /**
     * Firefox inside {@code namespace} (null: on this host); {@code baseUrl} must be reachable from
     * there, i.e. on the namespace's host-side address.
     */
    public FirefoxPage(String baseUrl, String room, String name, TestNetNamespace namespace) {
        super("firefox", baseUrl, room, name, namespace);
        StringBuilder userJs = new StringBuilder();
        PREFS.forEach((k, v) -> userJs.append("user_pref(\"").append(k).append("\", ")
                .append(v instanceof String ? "\"" + v + "\"" : v).append(");\n"));
        try {
            Files.writeString(profile().resolve("user.js"), userJs);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
        launch(List.of(FIREFOX.toString(), "--headless", "--no-remote", "--profile", profile().toString(), url()),
                Map.of("MOZ_HEADLESS", "1"), namespace);
    }
}
