package org.medibridge.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The SDP captured from real browsers (see BrowserSdpCapture), under src/test/resources/sdp/. */
final class SdpResources {
    static final String CHROMIUM_OFFER = "chromium-156-offer.sdp";
    static final String CHROMIUM_SIMULCAST_OFFER = "chromium-156-offer-simulcast.sdp";
    static final String FIREFOX_OFFER = "firefox-153-offer.sdp";

    /** Every captured description: offers of both browsers and their answers to our subscriber offers. */
    static final List<String> ALL = List.of(CHROMIUM_OFFER, CHROMIUM_SIMULCAST_OFFER, FIREFOX_OFFER,
            "firefox-153-offer-simulcast.sdp", "chromium-156-subscriber-answer.sdp",
            "chromium-156-subscriber-reanswer.sdp", "firefox-153-subscriber-answer.sdp",
            "firefox-153-subscriber-reanswer.sdp");

    private SdpResources() {
    }

    static String read(String name) {
        try (InputStream in = SdpResources.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
