package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medibridge.signaling.MediBridgeServer;

/**
 * Adaptive quality on a real impaired downlink (issue 4). One subscriber, "Throttled", runs in its
 * own Chromium inside a {@link TestNetNamespace}; the server listens on the namespace's host-side
 * veth address, so everything sent to Throttled crosses the veth, where the test puts a token
 * bucket ({@code tc tbf}, 400 kbit/s) or random loss (nftables, 5 %) on it. The publisher "Bob"
 * ({@code ?simulcast=1}: 3 layers, 180p / 360p / 720p) and the other subscriber "Steady" are windows
 * of the Selenium-driven Chromium in the root namespace: their traffic to the same address is
 * local delivery and never meets the impairment.
 *
 * <p>Both subscribers show Bob's video at 1280×720, so both prefer the top layer; only the estimate
 * of Throttled's downlink can hold it lower. Freezes are judged from Chromium's own
 * {@code totalFreezesDuration} (webrtc-stats: a frame shown later than max(3 × the mean frame
 * interval, mean + 150 ms)): a freeze longer than 1 s would add more than 1 s between two of the
 * page's once-a-second reports.
 *
 * <p>Needs root, iproute2 ({@code ip}, {@code tc}) and nftables; skipped without them, a failure
 * under {@code CI=true}.
 */
@Tag("e2e")
class DownlinkAdaptationE2ETest {

    private static NamespaceServer namespace;
    private static TestNetNamespace net;
    private static MediBridgeServer server;
    private static String baseUrl;
    private static ChromiumBrowser browser;

    @BeforeAll
    static void setUp() throws Exception {
        BrowserRequirement.require(ChromiumBrowser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver");
        namespace = NamespaceServer.start(true);
        net = namespace.net();
        server = namespace.server();
        baseUrl = namespace.baseUrl();
        // The root-namespace browser loads the page from the veth address, which is not a secure
        // context by itself: getUserMedia needs this flag.
        browser = new ChromiumBrowser(List.of("--unsafely-treat-insecure-origin-as-secure=" + baseUrl));
    }

    @AfterAll
    static void tearDown() {
        try {
            if (browser != null) {
                browser.close();
                browser = null;
            }
        } finally {
            if (namespace != null) {
                namespace.close();
                namespace = null;
                net = null;
                server = null;
            }
        }
    }

    @AfterEach
    void clearImpairments() {
        if (net != null) {
            net.unlimitDownlink();
            net.clearDownlinkLoss();
        }
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
    void aThrottledSubscriberStepsDownAndBackUpWhileTheOtherKeeps720p() {
        String room = "throttle-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage bob = browser.join(baseUrl, room, "Bob", "simulcast=1");
        BrowserPage steady = browser.join(baseUrl, room, "Steady", "video=0&tile=1280x720");
        String bobId = bob.participantId();
        MediaChecks.Flow toSteady = new MediaChecks.Flow(steady, bob);
        try (HeadlessChromiumPage throttled = new HeadlessChromiumPage(baseUrl, room, "Throttled", net,
                "video=0&tile=1280x720")) {
            VideoReports reports = new VideoReports(throttled, bobId);
            try (reports) {
                // Unimpaired, both get the top layer.
                reports.await("Throttled receives 1280x720 before the limit", Duration.ofSeconds(40),
                        v -> v.path("frameWidth").asInt() == 1280);
                try {
                    MediaChecks.awaitVideo(toSteady, "1280x720", v -> v.frameWidth() == 1280, Duration.ofSeconds(20));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; Steady's render sizes: " + steady.renderSizes()
                            + "; Bob's outbound: " + bob.sample().outbound() + "; limited by: " + limitations(bob), e);
                }

                // Past the start (keyframes for every new leg), 720p flows steadily.
                JsonNode steadyStart = reports.latest();
                reports.await("Throttled decodes 720p steadily for 3 s", Duration.ofSeconds(10),
                        v -> v.path("frameWidth").asInt() == 1280
                                && v.path("framesDecoded").asLong() >= steadyStart.path("framesDecoded").asLong() + 60);

                // 400 kbit/s: the top layer (~0.8 Mbit/s) no longer fits. 500 ms of queue, as an
                // access link's buffer holds: a keyframe of a lower layer (~25 KB) fits through.
                net.limitDownlink(400, 500);
                long limitedAt = System.nanoTime();
                int freezesBefore = reports.size() - 1;
                JsonNode down = reports.await("Throttled below 1280 wide within 5 s of the limit", Duration.ofSeconds(5),
                        v -> v.path("frameWidth").asInt() > 0 && v.path("frameWidth").asInt() < 1280);
                long downMs = (System.nanoTime() - limitedAt) / 1_000_000;
                // While limited: Throttled keeps decoding its lower layer, Steady keeps decoding at least ½ (720p mostly).
                long steadyTop;
                try {
                    steadyTop = countTopLayer(toSteady, Duration.ofSeconds(8));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; Bob's encoder: " + limitations(bob), e);
                }
                reports.await("Throttled still decoding after 8 s limited", Duration.ofSeconds(3), v -> true);
                reports.assertKeepsDecodingSince(freezesBefore);
                // Its connection shows as degraded (a lower layer than wanted, loss at the bucket).
                String limitedQuality = throttled.latestReport().path("snapshot").path("qualities").path("local").asText("");

                // Limit lifted: back to the top layer within 15 s.
                net.unlimitDownlink();
                long liftedAt = System.nanoTime();
                reports.await("Throttled back to 1280x720 within 15 s of lifting the limit", Duration.ofSeconds(15),
                        v -> v.path("frameWidth").asInt() == 1280);
                long upMs = (System.nanoTime() - liftedAt) / 1_000_000;
                reports.assertKeepsDecodingSince(freezesBefore);
                List<Long> freezes = reports.freezesSince(freezesBefore);
                System.out.printf("DownlinkAdaptationE2ETest: down to %dx%d %d ms after the 400 kbit/s limit; Steady at "
                        + "1280x720 in %d of its 8 s samples; Throttled's quality while limited: %s; back to 1280x720 "
                        + "%d ms after lifting; frame gaps >= 250 ms meanwhile: %s%n", down.path("frameWidth").asInt(),
                        down.path("frameHeight").asInt(), downMs, steadyTop, limitedQuality, upMs, freezes);
                assertThat(limitedQuality).as("Throttled's own quality badge while limited").isIn("good", "poor", "lost");
                assertThat(steady.errorText()).isEmpty();
                assertThat(bob.errorText()).isEmpty();
            }
        }
    }

    @Test
    void fivePercentLossOnADownlinkIsRepairedAndVideoKeepsDecoding() {
        String room = "loss-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage bob = browser.join(baseUrl, room, "Bob");
        try (HeadlessChromiumPage lossy = new HeadlessChromiumPage(baseUrl, room, "Lossy", net, "video=0&tile=640x360")) {
            VideoReports reports = new VideoReports(lossy, bob.participantId());
            try (reports) {
                reports.await("Lossy decodes Bob's video", Duration.ofSeconds(40), v -> v.path("frameWidth").asInt() > 0);
                JsonNode before = reports.latest();

                net.dropDownlinkPercent(5);
                int from = reports.size() - 1;
                MediaChecks.sleep(12_000);
                JsonNode after = reports.latest();
                long dropped = net.droppedDownlinkPackets();
                reports.assertKeepsDecodingSince(from);
                long nacks = after.path("nackCount").asLong() - before.path("nackCount").asLong();
                long frames = after.path("framesDecoded").asLong() - before.path("framesDecoded").asLong();
                long retransmitted = after.path("retransmittedPacketsReceived").asLong(0)
                        - before.path("retransmittedPacketsReceived").asLong(0);
                long keyframes = after.path("keyFramesDecoded").asLong() - before.path("keyFramesDecoded").asLong();
                System.out.printf("DownlinkAdaptationE2ETest: 5%% loss for 12 s: %d packets dropped on the link, Lossy sent "
                        + "%d NACKs, got %d retransmissions (RTX), decoded %d frames (%d keyframes)%n",
                        dropped, nacks, retransmitted, frames, keyframes);
                assertThat(dropped).as("packets the loss rule dropped").isPositive();
                assertThat(nacks).as("NACKs Lossy sent").isPositive();
                // ~30 fps for 12 s; repairing by NACK means decoding goes on without a keyframe per loss.
                assertThat(frames).as("frames decoded in 12 s of 5 % loss").isGreaterThan(200);
                assertThat(bob.errorText()).isEmpty();
            }
        }
    }

    /** Why the publisher's encoder sends less than it could, per outbound video (qualityLimitationReason). */
    private static Object limitations(BrowserPage page) {
        try {
            // W3C Execute Script waits for a returned promise.
            return page.js("return window.mediBridge.publisherPc.getStats().then(r => JSON.stringify([...r.values()]"
                    + ".filter(s => s.type === 'outbound-rtp' && s.kind === 'video')"
                    + ".map(s => ({rid: s.rid, reason: s.qualityLimitationReason, durations: s.qualityLimitationDurations,"
                    + " width: s.frameWidth, fps: s.framesPerSecond, target: s.targetBitrate, active: s.active}))));");
        } catch (RuntimeException e) {
            return "(unavailable: " + e + ")";
        }
    }

    /** Steady's video for {@code window}: never frozen over 1 s, never below 640 wide; how many samples were 1280. */
    private static long countTopLayer(MediaChecks.Flow f, Duration window) {
        long[] top = {0};
        MediaChecks.assertVideoKeepsDecoding(f, window, Duration.ofMillis(1000), "at least 640 wide", v -> {
            if (v.frameWidth() == 1280) {
                top[0]++;
            }
            return v.frameWidth() >= 640;
        });
        return top[0];
    }

    /**
     * The once-a-second reports of a {@link ReportingBrowserPage}, reduced to its inbound video from
     * one participant (getStats inbound-rtp): a daemon thread polls the collector every 100 ms and
     * keeps each distinct report, so consecutive entries are about a second apart.
     */
    static final class VideoReports implements AutoCloseable {
        private final ReportingBrowserPage page;
        private final String fromId;
        private final List<JsonNode> series = new ArrayList<>();
        private final Thread poller;
        private volatile boolean closed;
        private double lastAt = -1;

        VideoReports(ReportingBrowserPage page, String fromId) {
            this.page = page;
            this.fromId = fromId;
            this.poller = new Thread(() -> {
                while (!closed) {
                    poll();
                    MediaChecks.sleep(100);
                }
            }, "video-reports-" + page);
            poller.setDaemon(true);
            poller.start();
        }

        synchronized int size() {
            return series.size();
        }

        synchronized JsonNode latest() {
            return series.isEmpty() ? null : series.get(series.size() - 1);
        }

        /** Waits for a report, newer than the call, whose video satisfies {@code condition} with frames rising. */
        JsonNode await(String what, Duration timeout, Predicate<JsonNode> condition) {
            long deadline = System.nanoTime() + timeout.toNanos();
            int checked = size();
            while (true) {
                List<JsonNode> now = snapshot();
                for (int i = Math.max(1, checked); i < now.size(); i++) {
                    JsonNode v = now.get(i);
                    if (v.path("framesDecoded").asLong() > now.get(i - 1).path("framesDecoded").asLong()
                            && condition.test(v)) {
                        return v;
                    }
                }
                checked = Math.max(checked, now.size());
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + what
                            + "; last reports: " + now.subList(Math.max(0, now.size() - 5), now.size())
                            + "; page log:\n" + page.logTail());
                }
                MediaChecks.sleep(100);
            }
        }

        /**
         * From report {@code from} (the last one before an impairment) on: frames decoded in every
         * report interval, and no freeze of a second or more. A freeze is a gap between two frames
         * the page's video element presented (requestVideoFrameCallback, see app.js
         * watchFrameGaps): every gap of 250 ms or more that ended after report {@code from}, and
         * the time since the last frame at each report, must stay under 1 s.
         */
        void assertKeepsDecodingSince(int from) {
            List<JsonNode> now = snapshot();
            assertThat(now.size() - from).as("reports since %d", from).isGreaterThan(1);
            double since = now.get(from).path("reportedAt").asDouble();
            for (int i = Math.max(1, from + 1); i < now.size(); i++) {
                JsonNode a = now.get(i - 1);
                JsonNode b = now.get(i);
                assertThat(b.path("framesDecoded").asLong())
                        .as("frames decoded between reports %d and %d: %s -> %s", i - 1, i, a, b)
                        .isGreaterThan(a.path("framesDecoded").asLong());
                assertThat(b.has("msSinceLastFrame")).as("frame-gap diagnostics in %s", b).isTrue();
                assertThat(b.path("msSinceLastFrame").asLong()).as("ms since the last frame at report %d: %s", i, b)
                        .isLessThan(1000);
            }
            JsonNode last = now.get(now.size() - 1);
            for (JsonNode gap : last.path("longFrameGaps")) {
                if (gap.path("endedAt").asDouble() > since) {
                    assertThat(gap.path("ms").asLong()).as("a freeze ending at %s (all long gaps: %s)",
                            gap.path("endedAt"), last.path("longFrameGaps")).isLessThan(1000);
                }
            }
        }

        /** The long frame gaps (>= 250 ms) that ended after report {@code from}. */
        List<Long> freezesSince(int from) {
            List<JsonNode> now = snapshot();
            double since = now.get(from).path("reportedAt").asDouble();
            List<Long> out = new ArrayList<>();
            for (JsonNode gap : now.get(now.size() - 1).path("longFrameGaps")) {
                if (gap.path("endedAt").asDouble() > since) {
                    out.add(gap.path("ms").asLong());
                }
            }
            return out;
        }

        private synchronized List<JsonNode> snapshot() {
            return new ArrayList<>(series);
        }

        private void poll() {
            JsonNode r = page.latestReport();
            if (r == null) {
                return;
            }
            double at = r.path("stats").path("at").asDouble(-1);
            if (at == lastAt) {
                return;
            }
            lastAt = at;
            for (JsonNode i : r.path("stats").path("inbound")) {
                if (fromId.equals(i.path("participantId").asText()) && "video".equals(i.path("kind").asText())) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) i).put("reportedAt", at);
                    synchronized (this) {
                        series.add(i);
                    }
                    return;
                }
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
