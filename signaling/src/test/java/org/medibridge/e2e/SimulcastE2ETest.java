package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medibridge.e2e.BrowserPage.Inbound;

/**
 * Adaptive quality end to end (issue 4): a publisher sends its camera in 3 rid simulcast layers
 * ({@code ?simulcast=1}: q = 320×180, h = 640×360, f = 1280×720) and each subscriber gets the
 * smallest layer that covers the size at which it renders that video ({@code render-size}), nothing
 * while the video is hidden.
 *
 * <p>Kept lean for 2 cores: one browser, the subscribers join without a camera ({@code ?video=0}),
 * so there is one (simulcast) encoder and at most two video decoders; every window is closed after
 * each test.
 */
class SimulcastE2ETest extends ChromiumE2ETest {

    @RegisterExtension
    static final MediBridgeServerExtension SERVER = new MediBridgeServerExtension();

    private static final Duration LAYER_TIMEOUT = Duration.ofSeconds(20);

    @AfterEach
    void closeWindows() {
        if (browser != null) {
            for (BrowserPage p : browser.pages()) {
                try {
                    p.closeWindow();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        }
    }

    @Test
    void smallTileGetsLowLayerWhileLargeTileGets720p() {
        String room = "simulcast-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage bob = browser.join(SERVER.baseUrl(), room, "Bob", "simulcast=1");
        BrowserPage small = browser.join(SERVER.baseUrl(), room, "Small", "video=0");
        BrowserPage large = browser.join(SERVER.baseUrl(), room, "Large", "video=0");
        String bobId = bob.participantId();
        MediaChecks.Flow toSmall = new MediaChecks.Flow(small, bob);
        MediaChecks.Flow toLarge = new MediaChecks.Flow(large, bob);

        // Bob's tile appears (and his video track arrives) on both subscriber pages, then gets its size.
        for (BrowserPage p : new BrowserPage[] {small, large}) {
            Poll.until(p.name() + " has Bob's video track", Duration.ofSeconds(15), () -> p.remoteTracksOf(bobId),
                    ts -> ts.stream().anyMatch(t -> "video".equals(t.kind()) && "live".equals(t.readyState())));
        }
        small.setTileSize(bobId, 160, 90);
        large.setTileSize(bobId, 1280, 720);

        // the pages tell the server: 160×90 resp. 1280×720 device pixels (dpr 1 here), visible
        JsonNode smallSent = awaitReportedHeight(small, 90);
        JsonNode largeSent = awaitReportedHeight(large, 720);
        assertThat(smallSent.path("width").asInt()).isEqualTo(160);
        assertThat(largeSent.path("width").asInt()).isEqualTo(1280);

        long t0 = System.nanoTime();
        Inbound lowGot = withPublisherStats(bob, () -> MediaChecks.awaitVideo(toSmall, "frameWidth <= 320 (the q layer)",
                v -> v.frameWidth() > 0 && v.frameWidth() <= 320, LAYER_TIMEOUT));
        Inbound highGot = withPublisherStats(bob, () -> MediaChecks.awaitVideo(toLarge, "1280x720 (the f layer)",
                v -> v.frameWidth() == 1280 && v.frameHeight() == 720,
                LAYER_TIMEOUT.minusNanos(System.nanoTime() - t0)));
        System.out.printf("SimulcastE2ETest: small tile got %dx%d, large tile got %dx%d, %d ms after the sizes were set%n",
                lowGot.frameWidth(), lowGot.frameHeight(), highGot.frameWidth(), highGot.frameHeight(),
                (System.nanoTime() - t0) / 1_000_000);

        // both keep decoding (no freeze) at their layer for 3 s
        withPublisherStats(bob, () -> MediaChecks.assertVideoKeepsDecoding(toSmall, Duration.ofSeconds(3),
                Duration.ofMillis(1000), "frameWidth <= 320", v -> v.frameWidth() <= 320));
        // The large tile keeps decoding too. On this 2-core machine three Chromium windows leave the
        // publisher CPU-bound, and it skips frames of its top layer at times: the server then
        // rightly falls back to the ½ layer until the top one flows again, so what is pinned here
        // is "no freeze, never below the ½ layer" (720p itself was reached above).
        withPublisherStats(bob, () -> MediaChecks.assertVideoKeepsDecoding(toLarge, Duration.ofSeconds(3),
                Duration.ofMillis(1000), "at least 640x360", v -> v.frameWidth() >= 640));

        // RTX is negotiated on the subscriber legs (Chromium reports the paired RTX SSRC), and the
        // probe padding and retransmissions on it did no harm: the checks above kept decoding.
        for (BrowserPage p : new BrowserPage[] {small, large}) {
            JsonNode rs = p.recoveryStats();
            System.out.printf("SimulcastE2ETest: %s recovery stats: %s%n", p.name(), rs);
            assertThat(rs.path("video")).as(p.name() + "'s inbound video").hasSize(1);
            assertThat(rs.path("video").get(0).path("rtxSsrc").isNumber()).as(p.name() + ": rtxSsrc in " + rs).isTrue();
        }

        // Bob sends all three layers
        assertThat(bob.sample().outbound()).filteredOn(o -> "video".equals(o.kind()))
                .as("Bob's outbound video streams (one per simulcast layer)").hasSize(3);
        for (BrowserPage p : new BrowserPage[] {bob, small, large}) {
            assertThat(p.errorText()).as(p.name() + "'s error line").isEmpty();
        }
    }

    @Test
    void hiddenTileReceivesNothingAndResumesWhenShown() {
        String room = "hidden-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage bob = browser.join(SERVER.baseUrl(), room, "Bob", "simulcast=1");
        BrowserPage viewer = browser.join(SERVER.baseUrl(), room, "Viewer", "video=0");
        String bobId = bob.participantId();
        MediaChecks.Flow toViewer = new MediaChecks.Flow(viewer, bob);

        MediaChecks.awaitVideo(toViewer, "video", v -> v.frameWidth() > 0, LAYER_TIMEOUT);

        // display:none -> visible false -> the server sends nothing for that video
        viewer.setTileHidden(bobId, true);
        awaitReportedVisible(viewer, false);
        MediaChecks.awaitVideoStopped(toViewer, Duration.ofSeconds(8), Duration.ofSeconds(3));

        // shown again -> it resumes (keyframe of the selected layer, then frames keep coming)
        viewer.setTileHidden(bobId, false);
        awaitReportedVisible(viewer, true);
        resumes(toViewer);

        // scrolled out of view (IntersectionObserver) -> nothing again; back into view -> resumes
        viewer.js("const t = document.getElementById('tile-' + arguments[0]);"
                + "t.style.marginTop = (window.innerHeight * 4) + 'px'; window.scrollTo(0, 0);", bobId);
        awaitReportedVisible(viewer, false);
        MediaChecks.awaitVideoStopped(toViewer, Duration.ofSeconds(8), Duration.ofSeconds(3));
        viewer.js("document.getElementById('tile-' + arguments[0]).style.marginTop = '';", bobId);
        awaitReportedVisible(viewer, true);
        resumes(toViewer);

        assertThat(viewer.errorText()).isEmpty();
        assertThat(bob.errorText()).isEmpty();
    }

    /** Runs a check; a failure also shows what the publisher sends per layer (outbound-rtp). */
    private static <T> T withPublisherStats(BrowserPage publisher, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (AssertionError e) {
            String out;
            try {
                out = publisher.sample().outbound().toString();
            } catch (RuntimeException ex) {
                out = "(unavailable: " + ex + ")";
            }
            AssertionError wrapped = new AssertionError(e.getMessage() + "; " + publisher.name()
                    + "'s outbound-rtp: " + out);
            wrapped.initCause(e);
            throw wrapped;
        }
    }

    private static void resumes(MediaChecks.Flow f) {
        long before = f.receiver().sample().from(f.sender().participantId(), "video").orElseThrow().bytesReceived();
        MediaChecks.awaitVideo(f, "video bytes flowing again after being shown",
                v -> v.bytesReceived() > before, Duration.ofSeconds(15));
        MediaChecks.assertVideoKeepsDecoding(f, Duration.ofSeconds(3), Duration.ofMillis(1000), "video", v -> true);
    }

    /** The render-size entry last sent for the (only) remote video, once its height is {@code height}. */
    private static JsonNode awaitReportedHeight(BrowserPage page, int height) {
        JsonNode sizes = Poll.until(page.name() + " reports render height " + height, Duration.ofSeconds(5),
                page::renderSizes, s -> onlyVideo(s.path("sent")) != null
                        && onlyVideo(s.path("sent")).path("height").asInt() == height
                        && onlyVideo(s.path("sent")).path("visible").asBoolean());
        return onlyVideo(sizes.path("sent"));
    }

    private static void awaitReportedVisible(BrowserPage page, boolean visible) {
        Poll.until(page.name() + " reports visible=" + visible, Duration.ofSeconds(5), page::renderSizes,
                s -> onlyVideo(s.path("sent")) != null && onlyVideo(s.path("sent")).path("visible").asBoolean() == visible);
    }

    private static JsonNode onlyVideo(JsonNode tracks) {
        if (tracks == null || !tracks.isObject() || tracks.size() != 1) {
            return null;
        }
        return tracks.elements().next();
    }
}
