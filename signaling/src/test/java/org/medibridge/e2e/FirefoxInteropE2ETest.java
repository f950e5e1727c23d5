package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medibridge.e2e.BrowserPage.Inbound;

/**
 * Firefox and Chromium in one visit (VP8 + Opus is what both have here). Firefox runs headless
 * without a WebDriver; its page reports its stats to a collector (see {@link FirefoxPage}).
 */
@Tag("e2e")
class FirefoxInteropE2ETest {

    @RegisterExtension
    static final MediBridgeServerExtension SERVER = new MediBridgeServerExtension();

    private static ChromiumBrowser browser;

    @BeforeAll
    static void startBrowser() {
        BrowserRequirement.require(ChromiumBrowser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver");
        BrowserRequirement.require(FirefoxPage.available(), "needs /usr/bin/firefox-esr");
        browser = new ChromiumBrowser();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void firefoxAndChromiumSeeAndHearEachOther() {
        String room = "ff-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage chrome = browser.join(SERVER.baseUrl(), room, "Chromium");
        try (FirefoxPage firefox = new FirefoxPage(SERVER.baseUrl(), room, "Firefox")) {
            JsonNode joined = Poll.until("Firefox joined (its page reports)", Duration.ofSeconds(30),
                    firefox::latestReport, r -> r != null && ("joined".equals(clientState(r)) || "closed".equals(clientState(r))));
            assertThat(clientState(joined)).as("Firefox state; error: %s; log:%n%s",
                    joined.path("snapshot").path("error"), firefox.logTail()).isEqualTo("joined");
            String firefoxId = joined.path("snapshot").path("client").path("participantId").asText();
            String chromeId = chrome.participantId();

            // Chromium decodes Firefox's video and hears its audio.
            long[] prev = {-1};
            Poll.until("Chromium decoding Firefox's video and hearing its audio", Duration.ofSeconds(20),
                    Duration.ofMillis(250), chrome::sample, s -> {
                        Inbound v = s.from(firefoxId, "video").orElse(null);
                        Inbound a = s.from(firefoxId, "audio").orElse(null);
                        long p = prev[0];
                        prev[0] = v == null ? -1 : v.framesDecoded();
                        return v != null && a != null && p >= 0 && v.framesDecoded() > p && v.frameWidth() > 0
                                && a.totalAudioEnergy() > 0;
                    });

            // Firefox decodes Chromium's video (frames rising across two reports) and receives its audio.
            long[] ffPrev = {-1};
            Poll.until("Firefox decoding Chromium's video and receiving its audio", Duration.ofSeconds(20),
                    Duration.ofMillis(500), firefox::latestReport, r -> {
                        JsonNode v = inbound(r, chromeId, "video");
                        JsonNode a = inbound(r, chromeId, "audio");
                        long frames = v == null ? -1 : v.path("framesDecoded").asLong(-1);
                        long p = ffPrev[0];
                        if (frames != p) {
                            ffPrev[0] = frames; // reports arrive once a second; compare distinct ones
                        }
                        boolean audioOk = a != null && (a.path("totalAudioEnergy").asDouble(0) > 0
                                // older Firefox has no totalAudioEnergy: fall back to packets
                                || (a.path("totalAudioEnergy").isNull() && a.path("packetsReceived").asLong() > 50));
                        return v != null && p >= 0 && frames > p && v.path("frameWidth").asInt(0) > 0 && audioOk;
                    });

            assertThat(chrome.tileIds()).containsExactly(firefoxId);
            assertThat(firefox.latestReport().path("snapshot").path("tiles").toString()).contains(chromeId);
            assertThat(firefox.latestReport().path("snapshot").path("error").isNull()).isTrue();
        }
    }

    private static String clientState(JsonNode report) {
        return report.path("snapshot").path("client").path("state").asText(null);
    }

    private static JsonNode inbound(JsonNode report, String participantId, String kind) {
        JsonNode found = null;
        for (JsonNode i : report.path("stats").path("inbound")) {
            if (participantId.equals(i.path("participantId").asText()) && kind.equals(i.path("kind").asText())) {
                found = i;
            }
        }
        return found;
    }
}
