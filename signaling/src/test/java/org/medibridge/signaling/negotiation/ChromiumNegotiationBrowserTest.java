package org.medibridge.signaling.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;

/**
 * Proves that headless Chromium accepts what we write: our answer to its own publisher offer, and
 * our subscriber offer and re-offer (ended track rejected, new track appended). Exclude with
 * {@code -DexcludedGroups=browser} where there is no Chromium.
 */
@Tag("browser")
class ChromiumNegotiationBrowserTest {
    private static BrowserPage page;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Browsers.CHROMIUM)) && Files.isExecutable(Path.of(Browsers.CHROMEDRIVER)),
                "needs " + Browsers.CHROMIUM + " and " + Browsers.CHROMEDRIVER);
        page = new SeleniumChromium();
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    void acceptsOurPublisherAnswer() throws Exception {
        for (String mode : new String[] {"plain", "simulcast"}) {
            String offer = page.call("publisherOffer", mode).orThrow();
            PublisherAnswer answer = PublisherNegotiation.answer(offer, Fixtures.LOCAL);
            assertThat(answer.tracks()).hasSize(2);
            String state = page.call("publisherAnswer", SdpWriter.write(answer.answer())).orThrow();
            assertThat(state).contains("\"signalingState\":\"stable\"")
                    .contains("\"mid\":\"0\",\"direction\":\"sendonly\",\"currentDirection\":\"sendonly\"")
                    .contains("\"mid\":\"1\",\"direction\":\"sendonly\",\"currentDirection\":\"sendonly\"");
        }
    }

    @Test
    void acceptsOurSubscriberOffersAndEndsTheRejectedTrack() throws Exception {
        SessionDescription offer1 = SubscriberNegotiation.offer(Fixtures.LOCAL, 1, Fixtures.SUBSCRIBER_TRACKS_1);
        String answer1 = page.call("subscriberOffer", SdpWriter.write(offer1)).orThrow();
        SubscriberAnswer accepted1 = SubscriberNegotiation.acceptAnswer(offer1, answer1);
        assertThat(accepted1.acceptedMids()).containsExactly("0", "1");
        // Chromium keeps the offered rtx (apt=96) paired with the FID group: RTX and probes go there.
        assertThat(accepted1.rtxMids()).as(answer1).containsExactly("1");

        SessionDescription offer2 = SubscriberNegotiation.offer(Fixtures.LOCAL, 2, Fixtures.SUBSCRIBER_TRACKS_2);
        String answer2 = page.call("subscriberOffer", SdpWriter.write(offer2)).orThrow();
        SubscriberAnswer accepted = SubscriberNegotiation.acceptAnswer(offer2, answer2);
        assertThat(accepted.acceptedMids()).containsExactly("0", "2");
        assertThat(accepted.rtxMids()).containsExactly("2");

        String state = page.call("subscriberState").orThrow();
        assertThat(state).contains("\"track 0 audio\"", "\"track 1 video\"", "\"ended 1\"", "\"track 2 video\"");
        // The stopped transceiver is gone after negotiation; the others receive.
        assertThat(state).doesNotContain("\"mid\":\"1\"")
                .contains("\"mid\":\"0\",\"direction\":\"recvonly\",\"currentDirection\":\"recvonly\"")
                .contains("\"mid\":\"2\",\"direction\":\"recvonly\",\"currentDirection\":\"recvonly\"");
    }
}
