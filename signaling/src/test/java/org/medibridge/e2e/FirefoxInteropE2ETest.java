package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medibridge.signaling.MediBridgeServer;

/**
 * Firefox and Chromium in one visit (VP8 + Opus is what both have here), media checked both ways.
 *
 * <p>Network: Firefox never uses loopback for ICE, so this test does not use the shared 127.0.0.1
 * server. It creates its own {@link TestNetNamespace} (a veth pair with a random /30 in
 * 10.213.0.0/16, e.g. host side 10.213.7.1, namespace side 10.213.7.2; no other route in the
 * namespace) and starts its own MediBridge server bound to, and advertising, the host-side address.
 * Both browsers run headless inside the namespace, as plain processes (no WebDriver), load the page
 * from {@code http://HOST_SIDE:PORT} and report their stats to a collector on the host-side address
 * (see {@link ReportingBrowserPage}). All test traffic therefore stays between the namespace and the
 * host-side veth address. Needs root and iproute2 (skipped without them, a failure under
 * {@code CI=true}, like a missing browser).
 */
@Tag("e2e")
class FirefoxInteropE2ETest {

    private static NamespaceServer namespace;
    private static TestNetNamespace net;
    private static MediBridgeServer server;
    private static String baseUrl;

    @BeforeAll
    static void setUp() throws Exception {
        BrowserRequirement.require(HeadlessChromiumPage.available(), "needs " + ChromiumBrowser.CHROMIUM);
        BrowserRequirement.require(FirefoxPage.available(), "needs " + FirefoxPage.FIREFOX);
        namespace = NamespaceServer.start(false);
        net = namespace.net();
        server = namespace.server();
        baseUrl = namespace.baseUrl();
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
    void firefoxAndChromiumSeeAndHearEachOther() {
        String room = "ff-" + UUID.randomUUID().toString().substring(0, 8);
        try (HeadlessChromiumPage chrome = new HeadlessChromiumPage(baseUrl, room, "Chromium", net);
                FirefoxPage firefox = new FirefoxPage(baseUrl, room, "Firefox", net)) {
            String chromeId = awaitJoined(chrome);
            String firefoxId = awaitJoined(firefox);

            // Chromium decodes Firefox's video and hears its audio; Firefox the same of Chromium.
            awaitMediaFrom(chrome, firefoxId, "Firefox");
            awaitMediaFrom(firefox, chromeId, "Chromium");

            for (ReportingBrowserPage[] pair : new ReportingBrowserPage[][] {{chrome, firefox}, {firefox, chrome}}) {
                JsonNode snapshot = pair[0].latestReport().path("snapshot");
                assertThat(snapshot.path("tiles").toString()).as("%s tiles", pair[0]).contains(pair[1].participantId());
                assertThat(snapshot.path("error").isNull()).as("%s error: %s", pair[0], snapshot.path("error")).isTrue();
            }
        }
    }

    static String awaitJoined(ReportingBrowserPage page) {
        String state;
        try {
            state = Poll.until(page + " joined (its page reports)", Duration.ofSeconds(30), page::clientState,
                    s -> "joined".equals(s) || "closed".equals(s));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + page + " log:\n" + page.logTail(), e);
        }
        assertThat(state).as("%s state; error: %s; log:%n%s", page,
                page.latestReport().path("snapshot").path("error"), page.logTail()).isEqualTo("joined");
        return page.participantId();
    }

    /**
     * Waits until {@code page} decodes video from {@code fromId} (framesDecoded rising between two
     * distinct reports, frameWidth > 0) and hears its audio (totalAudioEnergy > 0).
     */
    static void awaitMediaFrom(ReportingBrowserPage page, String fromId, String fromName) {
        double[] prevAt = {-1};
        long[] prevFrames = {-1};
        boolean[] rising = {false};
        Poll.until(page + " decoding " + fromName + "'s video and hearing its audio", Duration.ofSeconds(20),
                Duration.ofMillis(300), page::latestReport, r -> {
                    if (r == null) {
                        return false;
                    }
                    double at = r.path("stats").path("at").asDouble(-1);
                    JsonNode v = inbound(r, fromId, "video");
                    JsonNode a = inbound(r, fromId, "audio");
                    long frames = v == null ? -1 : v.path("framesDecoded").asLong(-1);
                    if (at != prevAt[0]) { // reports arrive once a second: compare distinct ones
                        rising[0] = prevFrames[0] >= 0 && frames > prevFrames[0];
                        prevAt[0] = at;
                        prevFrames[0] = frames;
                    }
                    return rising[0] && v.path("frameWidth").asInt(0) > 0
                            && a != null && a.path("totalAudioEnergy").asDouble(0) > 0;
                });
    }

    static JsonNode inbound(JsonNode report, String participantId, String kind) {
        JsonNode found = null;
        for (JsonNode i : report.path("stats").path("inbound")) {
            if (participantId.equals(i.path("participantId").asText()) && kind.equals(i.path("kind").asText())) {
                found = i;
            }
        }
        return found;
    }
}
