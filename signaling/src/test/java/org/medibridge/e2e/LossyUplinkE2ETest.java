package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * Two Chromium participants whose uplinks lose 5 % of their packets: the server NACKs the
 * publishers, Chromium answers with RTX, the server decodes it and forwards the repaired packets,
 * and each side keeps decoding the other's video.
 *
 * <p>Network as in {@link FirefoxInteropE2ETest}: both browsers run in a {@link TestNetNamespace},
 * the server listens on the host side of its veth. The loss is an nftables rule in a table of this
 * test's own ({@code inet mbtest_uplink_<host link>}) that drops, at random, 5 % of the UDP packets arriving on the
 * test's host-side veth link for the server's media port — nothing else on the machine matches it.
 * The rule ({@link TestNetNamespace#dropUplinkPercent}) goes with the namespace in {@link #tearDown},
 * also when the test fails.
 */
@Tag("e2e")
class LossyUplinkE2ETest {
    static final int LOSS_PERCENT = 5;

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
        net.dropUplinkPercent(LOSS_PERCENT, server.mediaPort());
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
    void nackAndRtxRepairTheUplinks() throws Exception {
        String room = "loss-" + UUID.randomUUID().toString().substring(0, 8);
        try (HeadlessChromiumPage a = new HeadlessChromiumPage(baseUrl, room, "A", net);
                HeadlessChromiumPage b = new HeadlessChromiumPage(baseUrl, room, "B", net)) {
            String aId = FirefoxInteropE2ETest.awaitJoined(a);
            String bId = FirefoxInteropE2ETest.awaitJoined(b);
            FirefoxInteropE2ETest.awaitMediaFrom(a, bId, "B");
            FirefoxInteropE2ETest.awaitMediaFrom(b, aId, "A");

            long[] repair = Poll.until("NACKs sent to the publishers and RTX repairs used (/metrics)",
                    Duration.ofSeconds(30), Duration.ofMillis(500), LossyUplinkE2ETest::repairMetrics,
                    m -> m[0] > 0 && m[1] > 0);
            // The browsers say so too: their video senders got NACKs and sent retransmissions. Summed
            // over the simulcast layers (one outbound-rtp each): the loss hits whichever layer it hits.
            // Both counts are polled: Chromium also sends RTX as probing padding, so retransmissions
            // alone can appear before any NACK has arrived.
            for (HeadlessChromiumPage page : List.of(a, b)) {
                long[] nacksAndRetransmissions = Poll.until(page + " NACKed and retransmitting",
                        Duration.ofSeconds(20), Duration.ofMillis(500), () -> outboundVideoRepair(page),
                        r -> r[0] > 0 && r[1] > 0);
                assertThat(nacksAndRetransmissions[0]).as("%s NACKs received", page).isPositive();
            }
            // Still decoding after all that.
            FirefoxInteropE2ETest.awaitMediaFrom(a, bId, "B");
            FirefoxInteropE2ETest.awaitMediaFrom(b, aId, "A");
            long[] after = repairMetrics();
            System.out.printf("lossy uplink (%d %%): NACKed %d sequence numbers, %d repaired by RTX; then %d / %d%n",
                    LOSS_PERCENT, repair[0], repair[1], after[0], after[1]);
        }
    }

    /** {NACKs received, packets retransmitted} over all of the page's outbound video streams. */
    private static long[] outboundVideoRepair(ReportingBrowserPage page) {
        JsonNode r = page.latestReport();
        long nacks = 0;
        long retransmitted = 0;
        if (r != null) {
            for (JsonNode o : r.path("stats").path("outbound")) {
                if ("video".equals(o.path("kind").asText())) {
                    nacks += o.path("nackCount").asLong(0);
                    retransmitted += o.path("retransmittedPacketsSent").asLong(0);
                }
            }
        }
        return new long[] {nacks, retransmitted};
    }

    /** {publisher NACKs, RTX repairs} from the server's /metrics. */
    private static long[] repairMetrics() {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new long[] {metric(text, "medibridge_publisher_nacks_total"),
                    metric(text, "medibridge_publisher_rtx_recovered_total")};
        } catch (IOException e) {
            return new long[] {-1, -1};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[] {-1, -1};
        }
    }

    private static long metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
