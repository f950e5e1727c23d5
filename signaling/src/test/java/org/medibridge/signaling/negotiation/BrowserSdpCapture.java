package org.medibridge.signaling.negotiation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;

/**
 * The test-resource capture step (run by hand, not by the build): starts headless Chromium and
 * Firefox, records their publisher offers, feeds them our publisher answers and our subscriber
 * offer and re-offer, and saves the browsers' SDP under {@code src/test/resources/sdp/} plus a
 * notes file with what each browser reported.
 * <pre>
 * java -cp &lt;test classpath&gt; org.medibridge.signaling.negotiation.BrowserSdpCapture signaling/src/test/resources/sdp
 * </pre>
 */
public final class BrowserSdpCapture {
    private BrowserSdpCapture() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "signaling/src/test/resources/sdp");
        boolean ok = true;
        try (PolledBrowser chromium = PolledBrowser.chromium()) {
            ok &= capture(chromium, Fixtures.CHROMIUM, out);
        }
        try (PolledBrowser firefox = PolledBrowser.firefox()) {
            ok &= capture(firefox, Fixtures.FIREFOX, out);
        }
        System.out.println(ok ? "capture OK" : "capture FAILED (see notes files)");
        System.exit(ok ? 0 : 1);
    }

    private static boolean capture(BrowserPage page, String prefix, Path out) throws Exception {
        List<String> notes = new ArrayList<>();
        boolean ok = true;
        notes.add("user agent: " + page.call("userAgent").orThrow());

        for (String mode : List.of("plain", "simulcast")) {
            BrowserPage.Result offer = page.call("publisherOffer", mode);
            notes.add("publisherOffer(" + mode + "): " + (offer.ok() ? "ok" : offer.value()));
            if (!offer.ok()) {
                ok = false;
                continue;
            }
            String file = prefix + "-offer" + (mode.equals("plain") ? "" : "-simulcast") + ".sdp";
            Files.writeString(out.resolve(file), offer.value(), StandardCharsets.UTF_8);
            try {
                PublisherAnswer answer = PublisherNegotiation.answer(offer.value(), Fixtures.LOCAL);
                BrowserPage.Result applied = page.call("publisherAnswer", SdpWriter.write(answer.answer()));
                notes.add("setRemoteDescription(our publisher answer to " + file + "): "
                        + (applied.ok() ? "accepted " : "REJECTED ") + applied.value());
                ok &= applied.ok();
            } catch (NegotiationException e) {
                notes.add("PublisherNegotiation rejected " + file + ": " + e);
                ok = false;
            }
        }

        String[] names = {"-subscriber-answer.sdp", "-subscriber-reanswer.sdp"};
        List<List<OutgoingTrack>> offers = List.of(Fixtures.SUBSCRIBER_TRACKS_1, Fixtures.SUBSCRIBER_TRACKS_2);
        for (int i = 0; i < 2; i++) {
            SessionDescription offer = SubscriberNegotiation.offer(Fixtures.LOCAL, i + 1, offers.get(i));
            BrowserPage.Result answer = page.call("subscriberOffer", SdpWriter.write(offer));
            notes.add("subscriber offer " + (i + 1) + ": " + (answer.ok() ? "accepted" : "REJECTED " + answer.value()));
            if (!answer.ok()) {
                ok = false;
                break;
            }
            Files.writeString(out.resolve(prefix + names[i]), answer.value(), StandardCharsets.UTF_8);
            try {
                SubscriberAnswer accepted = SubscriberNegotiation.acceptAnswer(offer, SdpParser.parse(answer.value()));
                notes.add("  acceptAnswer: " + accepted);
            } catch (NegotiationException e) {
                notes.add("  acceptAnswer FAILED: " + e);
                ok = false;
            }
            Thread.sleep(500);
            notes.add("  state: " + page.call("subscriberState").value());
        }
        page.call("close");
        Files.write(out.resolve(prefix + "-capture-notes.txt"), notes, StandardCharsets.UTF_8);
        notes.forEach(n -> System.out.println(prefix + ": " + n));
        return ok;
    }
}
