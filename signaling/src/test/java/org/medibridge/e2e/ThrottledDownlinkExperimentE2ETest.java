package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.medibridge.signaling.MediBridgeServer;
import org.medibridge.signaling.ServerConfig;

/**
 * Experiments on an impaired subscriber downlink, run by hand ({@code -Dmedibridge.e2e.throttle=true}).
 *
 * <p>Loss ({@link #withFivePercentLossTheViewerKeepsDecodingOnRtx}, passes): 5 % random loss on the
 * viewer's downlink; its NACKs are answered on the RTX stream and it keeps decoding.
 *
 * <p>Throttle ({@link #aThrottledViewerDropsToALowerLayerAndComesBackAfterTheLimitIsLifted}): a simulcast publisher in one
 * {@link TestNetNamespace}, a camera-less viewer (headless Chromium) in a second one, the server on
 * the first one's host-side address (the second namespace routes to it through its own veth). A
 * {@code tbf} on the viewer's veth (host side) limits the viewer's downlink to 400 kbit/s, then is
 * removed. Prints the viewer's decoded frame size over time and asserts: a lower layer within 5 s
 * of the limit, and the layer it had before within 15 s of the lift (probing finds the capacity
 * again).
 *
 * <p>Not the full goal (no second, unthrottled viewer). Opt-in: it needs root, tc and two
 * Chromium processes, and on the 2-core development VM it does not pass yet, for a reason outside
 * the server: the viewer moves down within 3–6 s with no decode stall over ~1 s, but the publisher
 * (unthrottled, in its own namespace) stops sending its 720p layer within seconds of the start
 * and its 360p layer a few seconds into the limit (Chromium's CPU adaptation, by every sign: its
 * outbound-rtp bytes stop while its network is idle), so after the lift the allocator wants no
 * more than the 180p layer, is not limited, and nothing is probed. The timeline printed shows the
 * viewer's frame size next to the publisher's per-layer bytes. With both browsers in one namespace
 * the publisher's RTCP also shared the limit.
 */
@Tag("e2e")
@EnabledIfSystemProperty(named = "medibridge.e2e.throttle", matches = "true")
class ThrottledDownlinkExperimentE2ETest {
    private static final String TC = "/usr/sbin/tc";
    private static TestNetNamespace net;
    private static TestNetNamespace viewerNet;
    private static MediBridgeServer server;
    private static String baseUrl;

    @BeforeAll
    static void setUp() throws Exception {
        BrowserRequirement.require(HeadlessChromiumPage.available(), "needs " + ChromiumBrowser.CHROMIUM);
        String missing = TestNetNamespace.missingPrerequisite();
        BrowserRequirement.require(missing == null, missing);
        net = TestNetNamespace.create();
        viewerNet = TestNetNamespace.create();
        String address = net.hostAddress();
        viewerNet.routeTo(address);
        int udp;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            udp = s.getLocalPort();
        }
        server = MediBridgeServer.start(new ServerConfig(0, udp, address, address, true));
        baseUrl = "http://" + address + ":" + server.httpPort();
    }

    @AfterAll
    static void tearDown() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (viewerNet != null) {
                tc("qdisc", "del", "dev", viewerNet.hostLink(), "root");
                viewerNet.close();
            }
            if (net != null) {
                net.close();
            }
        }
    }

    @Test
    void aThrottledViewerDropsToALowerLayerAndComesBackAfterTheLimitIsLifted() throws Exception {
        String room = "tbf-" + UUID.randomUUID().toString().substring(0, 8);
        try (HeadlessChromiumPage bob = new HeadlessChromiumPage(baseUrl, room, "Bob", net, "simulcast=1");
                HeadlessChromiumPage viewer = new HeadlessChromiumPage(baseUrl, room, "Viewer", viewerNet, "video=0",
                        net.hostAddress())) {
            Poll.until("both joined", Duration.ofSeconds(30), () -> bob.participantId() != null
                    && viewer.participantId() != null, ok -> ok);
            String bobId = bob.participantId();
            List<String> timeline = new ArrayList<>();
            long t0 = System.nanoTime();

            // Unlimited: wait until the viewer's layer settles at its best for 5 s.
            int before = settle(viewer, bobId, Duration.ofSeconds(25), timeline, t0);
            assertThat(before).as("a layer above the lowest before the limit").isGreaterThan(320);

            long limitAt = System.nanoTime();
            tc("qdisc", "add", "dev", viewerNet.hostLink(), "root", "tbf", "rate", "400kbit", "burst", "16kb",
                    "latency", "300ms");
            timeline.add(String.format("%5.1f s: tbf 400 kbit/s on %s", (limitAt - t0) / 1e9, viewerNet.hostLink()));
            double down = Double.NaN;
            long lastFrames = -1;
            long lastProgress = System.nanoTime();
            long longestStall = 0;
            while (System.nanoTime() - limitAt < TimeUnit.SECONDS.toNanos(15)) {
                JsonNode v = video(viewer, bobId);
                if (v != null) {
                    long frames = v.path("framesDecoded").asLong();
                    long now = System.nanoTime();
                    if (frames > lastFrames) {
                        longestStall = Math.max(longestStall, now - lastProgress);
                        lastProgress = now;
                        lastFrames = frames;
                    }
                    int w = v.path("frameWidth").asInt();
                    timeline.add(String.format("%5.1f s: %d wide, %d frames; Bob sends %s", (now - t0) / 1e9, w, frames,
                            outbound(bob)));
                    if (Double.isNaN(down) && w > 0 && w < before) {
                        down = (now - limitAt) / 1e9;
                    }
                }
                Thread.sleep(1000);
            }
            long liftAt = System.nanoTime();
            tc("qdisc", "del", "dev", viewerNet.hostLink(), "root");
            timeline.add(String.format("%5.1f s: limit lifted", (liftAt - t0) / 1e9));
            double up = Double.NaN;
            while (System.nanoTime() - liftAt < TimeUnit.SECONDS.toNanos(25) && Double.isNaN(up)) {
                JsonNode v = video(viewer, bobId);
                long now = System.nanoTime();
                if (v != null) {
                    int w = v.path("frameWidth").asInt();
                    timeline.add(String.format("%5.1f s: %d wide, %d frames; Bob sends %s", (now - t0) / 1e9, w,
                            v.path("framesDecoded").asLong(), outbound(bob)));
                    if (w >= before) {
                        up = (now - liftAt) / 1e9;
                    }
                }
                Thread.sleep(1000);
            }
            timeline.forEach(l -> System.out.println("ThrottledDownlink: " + l));
            System.out.printf("ThrottledDownlink: before %d wide; lower layer %.1f s after the limit; longest decode "
                    + "stall while limited %d ms; back to %d wide %.1f s after the lift%n",
                    before, down, longestStall / 1_000_000, before, up);
            assertThat(down).as("seconds until a lower layer").isLessThanOrEqualTo(5.0);
            assertThat(up).as("seconds until the previous layer again").isLessThanOrEqualTo(15.0);
        }
    }

    /**
     * 5 % random loss on everything UDP the viewer receives (nftables in the viewer's namespace,
     * input hook: real loss, as the testing notes say OUTPUT drops are not): its NACKs are
     * answered on the RTX stream and the video keeps decoding — no stall over 1 s in 20 s. The
     * server's subscriber totals (logged when the viewer leaves) show the NACKs and RTX packets.
     */
    @Test
    void withFivePercentLossTheViewerKeepsDecodingOnRtx() throws Exception {
        String room = "loss-" + UUID.randomUUID().toString().substring(0, 8);
        try (HeadlessChromiumPage bob = new HeadlessChromiumPage(baseUrl, room, "Bob", net, "simulcast=1");
                HeadlessChromiumPage viewer = new HeadlessChromiumPage(baseUrl, room, "Viewer", viewerNet, "video=0",
                        net.hostAddress())) {
            Poll.until("both joined", Duration.ofSeconds(30), () -> bob.participantId() != null
                    && viewer.participantId() != null, ok -> ok);
            String bobId = bob.participantId();
            Poll.until("the viewer decodes Bob's video", Duration.ofSeconds(20), () -> video(viewer, bobId),
                    v -> v != null && v.path("framesDecoded").asLong() > 30);
            nft(viewerNet, "add table inet mbtloss");
            nft(viewerNet, "add chain inet mbtloss in { type filter hook input priority 0 ; }");
            nft(viewerNet, "add rule inet mbtloss in meta l4proto udp numgen random mod 100 < 5 drop");
            long start = System.nanoTime();
            long lastFrames = -1;
            long lastProgress = start;
            long longestStall = 0;
            long firstFrames = -1;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                JsonNode v = video(viewer, bobId);
                long now = System.nanoTime();
                if (v != null) {
                    long frames = v.path("framesDecoded").asLong();
                    if (firstFrames < 0) {
                        firstFrames = frames;
                    }
                    if (frames > lastFrames) {
                        longestStall = Math.max(longestStall, now - lastProgress);
                        lastProgress = now;
                        lastFrames = frames;
                    }
                }
                Thread.sleep(250);
            }
            longestStall = Math.max(longestStall, System.nanoTime() - lastProgress);
            nft(viewerNet, "delete table inet mbtloss");
            System.out.printf("LossyDownlink: 5 %% loss for 20 s: %d frames decoded, longest stall %d ms%n",
                    lastFrames - firstFrames, longestStall / 1_000_000);
            assertThat(lastFrames - firstFrames).as("frames decoded under loss").isGreaterThan(20 * 10);
            // Reports come once a second, so "no stall over 1 s" reads as no report without progress twice.
            assertThat(longestStall).as("longest time without a new decoded frame").isLessThan(2_100_000_000L);
        }
    }

    private static void nft(TestNetNamespace ns, String rule) {
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/nft"));
        cmd.addAll(List.of(rule.split(" ")));
        try {
            Process p = new ProcessBuilder(ns.command(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("nft " + rule + " -> " + out.trim());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the viewer's frame width has been the same for 5 s; returns it. */
    private static int settle(ReportingBrowserPage viewer, String bobId, Duration timeout, List<String> timeline,
                              long t0) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int width = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            JsonNode v = video(viewer, bobId);
            int w = v == null ? 0 : v.path("frameWidth").asInt();
            long now = System.nanoTime();
            if (w != width) {
                width = w;
                since = now;
                timeline.add(String.format("%5.1f s: %d wide", (now - t0) / 1e9, w));
            } else if (w > 0 && now - since > TimeUnit.SECONDS.toNanos(5)) {
                return w;
            }
            Thread.sleep(500);
        }
        return width;
    }

    /** The publisher's video encodings: width x height and bytes sent, per outbound-rtp. */
    private static String outbound(ReportingBrowserPage page) {
        JsonNode r = page.latestReport();
        StringBuilder b = new StringBuilder();
        if (r != null) {
            for (JsonNode o : r.path("stats").path("outbound")) {
                if ("video".equals(o.path("kind").asText())) {
                    b.append(o.path("frameWidth").asInt()).append('/').append(o.path("bytesSent").asLong() / 1000)
                            .append("kB ");
                }
            }
        }
        return b.toString().trim();
    }

    private static JsonNode video(ReportingBrowserPage page, String fromId) {
        JsonNode r = page.latestReport();
        if (r == null) {
            return null;
        }
        for (JsonNode i : r.path("stats").path("inbound")) {
            if (fromId.equals(i.path("participantId").asText()) && "video".equals(i.path("kind").asText())) {
                return i;
            }
        }
        return null;
    }

    private static void tc(String... args) {
        List<String> cmd = new ArrayList<>(List.of(TC));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.out.println("ThrottledDownlink: " + String.join(" ", cmd) + " -> " + out.trim());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
