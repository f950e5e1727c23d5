package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medibridge.signaling.MediBridgeServer;

/**
 * Two Chromium participants behind a NAT lose all UDP for longer than the NAT keeps a mapping,
 * while their signaling (TCP) stays up: a mobile network's outage, or a home router that forgets
 * idle flows. When UDP returns, the browsers' packets reach the server from new ports. ICE does
 * not accept a new address on a connected session (ice4j answers no checks on unknown pairs after
 * it terminated), so without an ICE restart the media never comes back (checked by disabling the
 * client's restart: no video after UDP returned). The client restarts ICE (the publisher with a
 * new offer, the subscriber through {@code ice-restart}); both see and hear each other again, as
 * the same participants, without an error on the page.
 *
 * <p>Network as in {@link LossyUplinkE2ETest}: both browsers in a {@link TestNetNamespace}, whose
 * UDP to the server is source-NATed to random ports with a 3 s idle timeout
 * ({@link TestNetNamespace#natUdp}); the outage loses UDP without connection tracking seeing it
 * ({@link TestNetNamespace#blockUdp}), so the mappings expire during it, and without the senders
 * seeing it, as on a real network.
 *
 * <p>Firefox + Chromium runs the same outage. Firefox restarts ICE as Chromium does, but it is
 * sensitive to how the outage looks: when its sends failed at once (an earlier version of
 * {@code blockUdp} dropped them in the namespace's output hook, so {@code sendto} returned EPERM)
 * each restart's only check pair failed without a retransmission, the ICE stream was declared
 * failed after Firefox's 5 s trickle grace period, and that error took its DTLS transport down for
 * good: ICE reconnected, the page said {@code reconnected}, but no media flowed on that connection
 * again (4 of 6 runs lost one direction).
 */
@Tag("e2e")
class NatRebindingE2ETest {
    static final Duration OUTAGE = Duration.ofSeconds(12);
    static final int NAT_IDLE_SECONDS = 3;

    private static NamespaceServer namespace;
    private static TestNetNamespace net;
    private static MediBridgeServer server;
    private static String baseUrl;

    @BeforeAll
    static void setUp() throws Exception {
        BrowserRequirement.require(HeadlessChromiumPage.available(), "needs " + ChromiumBrowser.CHROMIUM);
        namespace = NamespaceServer.start(true);
        net = namespace.net();
        server = namespace.server();
        baseUrl = namespace.baseUrl();
        net.natUdp(NAT_IDLE_SECONDS);
    }

    @AfterAll
    static void tearDown() {
        if (namespace != null) {
            namespace.close();
            namespace = null;
            net = null;
            server = null;
        }
    }

    @Test
    void chromiumPeersRestartIceWhenTheirNatRebindsDuringAUdpOutage() throws Exception {
        String room = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        try (HeadlessChromiumPage a = new HeadlessChromiumPage(baseUrl, room, "A", net);
                HeadlessChromiumPage b = new HeadlessChromiumPage(baseUrl, room, "B", net)) {
            outageAndRecovery(a, b);
        }
    }

    @Test
    void firefoxAndChromiumRestartIceWhenTheirNatRebindsDuringAUdpOutage() throws Exception {
        BrowserRequirement.require(FirefoxPage.available(), "needs " + FirefoxPage.FIREFOX);
        String room = "outage-ff-" + UUID.randomUUID().toString().substring(0, 8);
        try (FirefoxPage a = new FirefoxPage(baseUrl, room, "Firefox", net);
                HeadlessChromiumPage b = new HeadlessChromiumPage(baseUrl, room, "Chromium", net)) {
            outageAndRecovery(a, b);
        }
    }

    private static void outageAndRecovery(ReportingBrowserPage a, ReportingBrowserPage b) throws Exception {
        String aId = FirefoxInteropE2ETest.awaitJoined(a);
        String bId = FirefoxInteropE2ETest.awaitJoined(b);
        FirefoxInteropE2ETest.awaitMediaFrom(a, bId, b.toString());
        FirefoxInteropE2ETest.awaitMediaFrom(b, aId, a.toString());
        long[] restartsBefore = iceRestarts();

        net.blockUdp();
        long blockedAt = System.nanoTime();
        try {
            // Both pages notice and start restarting while UDP is still gone.
            for (ReportingBrowserPage p : List.of(a, b)) {
                Poll.until(p + " reconnecting", OUTAGE, Duration.ofMillis(500), () -> events(p, "reconnecting"),
                        e -> !e.isEmpty());
            }
            long left = OUTAGE.toNanos() - (System.nanoTime() - blockedAt);
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
            // The browsers saw their paths go.
            for (ReportingBrowserPage p : List.of(a, b)) {
                assertThat(events(p, "ice-connection-state")).as("%s ICE states", p)
                        .anyMatch(e -> List.of("disconnected", "failed").contains(e.path("detail").path("state").asText()));
            }
        } finally {
            net.unblockUdp();
        }
        long unblockedAt = System.nanoTime();

        for (ReportingBrowserPage p : List.of(a, b)) {
            Poll.until(p + " reconnected (both connections)", Duration.ofSeconds(20), Duration.ofMillis(500),
                    () -> events(p, "reconnected"), e -> pcs(e).containsAll(List.of("publisher", "subscriber")));
        }
        try {
            FirefoxInteropE2ETest.awaitMediaFrom(a, bId, b.toString());
            FirefoxInteropE2ETest.awaitMediaFrom(b, aId, a.toString());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage().substring(0, Math.min(300, e.getMessage().length()))
                    + "\n" + connectionStory(a) + "\n" + connectionStory(b) + "\nserver drops:\n" + serverDrops(), e);
        }
        double recoveredSeconds = (System.nanoTime() - unblockedAt) / 1e9;

        // The same visit: same participants, nobody left, no error shown.
        for (ReportingBrowserPage p : List.of(a, b)) {
            JsonNode report = p.latestReport();
            assertThat(p.clientState()).isEqualTo("joined");
            assertThat(report.path("snapshot").path("error").isNull() || report.path("snapshot").path("error").isMissingNode())
                    .as("%s error line: %s", p, report.path("snapshot").path("error")).isTrue();
            assertThat(events(p, "participant-left")).as("%s saw someone leave", p).isEmpty();
        }
        assertThat(a.participantId()).isEqualTo(aId);
        assertThat(b.participantId()).isEqualTo(bId);
        long[] restarts = iceRestarts();
        assertThat(restarts[0] - restartsBefore[0]).as("publisher ICE restarts on the server").isGreaterThanOrEqualTo(2);
        assertThat(restarts[1] - restartsBefore[1]).as("subscriber ICE restarts on the server").isGreaterThanOrEqualTo(2);
        System.out.printf("%s + %s, UDP outage %d s behind a NAT with a %d s idle timeout: media back %.1f s after UDP returned; ICE restarts publisher %d, subscriber %d%n",
                a, b, OUTAGE.toSeconds(), NAT_IDLE_SECONDS, recoveredSeconds, restarts[0] - restartsBefore[0], restarts[1] - restartsBefore[1]);
    }

    private static List<JsonNode> events(ReportingBrowserPage page, String type) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode r = page.latestReport();
        if (r != null) {
            for (JsonNode e : r.path("events")) {
                if (type.equals(e.path("type").asText())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** A page's connection events and its media counters, for a failure message. */
    private static String connectionStory(ReportingBrowserPage page) {
        StringBuilder sb = new StringBuilder(page.toString()).append(':');
        JsonNode r = page.latestReport();
        if (r == null) {
            return sb.append(" no report").toString();
        }
        for (JsonNode e : r.path("events")) {
            String type = e.path("type").asText();
            if (type.contains("connection-state") || type.startsWith("reconnect") || type.equals("error")) {
                sb.append(String.format(" [%.0f %s %s]", e.path("at").asDouble(), type, e.path("detail")));
            }
        }
        sb.append(" inbound=").append(r.path("stats").path("inbound")).append(" outbound=").append(r.path("stats").path("outbound"));
        return sb.toString();
    }

    private static String serverDrops() {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder sb = new StringBuilder();
            for (String line : text.split("\n")) {
                if (!line.startsWith("#") && (line.contains("drops") || line.contains("early")) && !line.endsWith(" 0")) {
                    sb.append(line).append('\n');
                }
            }
            return sb.toString();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static List<String> pcs(List<JsonNode> events) {
        return events.stream().map(e -> e.path("detail").path("pc").asText()).toList();
    }

    /** {publisher, subscriber} ICE restarts from the server's /metrics. */
    private static long[] iceRestarts() throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new long[] {metric(text, "publisher"), metric(text, "subscriber")};
    }

    private static long metric(String text, String pc) {
        Matcher m = Pattern.compile("(?m)^medibridge_ice_restarts_total\\{pc=\"" + pc + "\"\\} (\\d+)$").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
