package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two Chromium participants whose network changes under them, as a phone's does when it leaves
 * Wi-Fi for cellular: the namespace they run in moves to a new address
 * ({@link TestNetNamespace#moveToNewAddress}). Their WebSocket and media paths go silent, with no
 * error anywhere. Each page notices that the server went silent, reports the connection lost,
 * rejoins by itself from the new address, and the two see and hear each other again, without
 * anyone pressing a button.
 */
@Tag("e2e")
class NetworkChangeE2ETest {
    private static NamespaceServer namespace;

    @BeforeAll
    static void setUp() {
        BrowserRequirement.require(HeadlessChromiumPage.available(), "needs " + ChromiumBrowser.CHROMIUM);
        namespace = NamespaceServer.start(false);
    }

    @AfterAll
    static void tearDown() {
        if (namespace != null) {
            namespace.close();
            namespace = null;
        }
    }

    @Test
    void pagesRejoinByThemselvesAfterTheirNetworkAddressChanged() {
        String room = "move-" + UUID.randomUUID().toString().substring(0, 8);
        String baseUrl = namespace.baseUrl();
        try (HeadlessChromiumPage a = new HeadlessChromiumPage(baseUrl, room, "A", namespace.net());
                HeadlessChromiumPage b = new HeadlessChromiumPage(baseUrl, room, "B", namespace.net())) {
            String aId = FirefoxInteropE2ETest.awaitJoined(a);
            String bId = FirefoxInteropE2ETest.awaitJoined(b);
            FirefoxInteropE2ETest.awaitMediaFrom(a, bId, "B");
            FirefoxInteropE2ETest.awaitMediaFrom(b, aId, "A");

            String moved = namespace.net().moveToNewAddress();
            long movedAt = System.nanoTime();

            // Each page rejoins on its own (open rooms give a new participant id per join).
            String[] newIds = new String[2];
            List<HeadlessChromiumPage> pages = List.of(a, b);
            List<String> oldIds = List.of(aId, bId);
            for (int i = 0; i < 2; i++) {
                HeadlessChromiumPage p = pages.get(i);
                String old = oldIds.get(i);
                newIds[i] = Poll.until(p + " rejoined from " + moved, Duration.ofSeconds(45), Duration.ofMillis(500),
                        () -> "joined".equals(p.clientState()) ? p.participantId() : null,
                        id -> id != null && !id.equals(old));
            }
            double rejoinedSeconds = (System.nanoTime() - movedAt) / 1e9;
            FirefoxInteropE2ETest.awaitMediaFrom(a, newIds[1], "B (rejoined)");
            FirefoxInteropE2ETest.awaitMediaFrom(b, newIds[0], "A (rejoined)");
            double mediaSeconds = (System.nanoTime() - movedAt) / 1e9;

            for (HeadlessChromiumPage p : pages) {
                assertThat(p.latestReport().path("snapshot").path("error").isNull())
                        .as("%s error line: %s", p, p.latestReport().path("snapshot").path("error")).isTrue();
            }
            System.out.printf("network change to %s: both pages rejoined %.1f s later, media both ways after %.1f s%n",
                    moved, rejoinedSeconds, mediaSeconds);
        }
    }
}
