package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medibridge.e2e.BrowserPage.RemoteTrack;

/**
 * A participant joining a running visit must not wait for the publisher's next periodic keyframe:
 * the server has to request one (PLI/FIR) when it adds the late joiner's subscription. Measured in
 * the page: from applying the subscriber offer (setRemoteDescription resolved) to the first
 * {@code framesDecoded > 0} seen by a 50 ms getStats poll on that receiver.
 */
class LateJoinerKeyframeE2ETest extends ChromiumE2ETest {

    @RegisterExtension
    static final MediBridgeServerExtension SERVER = new MediBridgeServerExtension();


    @Test
    void lateJoinerDecodesFirstFrameWithin2sOfSubscriberOffer() {
        String room = "late-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage early = browser.join(SERVER.baseUrl(), room, "Early");

        // Let the early participant publish for a while (≥ 90 encoded frames ≈ 3 s at 30 fps), so its
        // initial keyframe is long gone when the late joiner subscribes.
        Poll.until("Early publishing video", Duration.ofSeconds(20), early::sample,
                s -> s.outbound("video").map(o -> o.framesEncoded() >= 90).orElse(false));

        BrowserPage late = browser.join(SERVER.baseUrl(), room, "Late");
        String earlyId = early.participantId();

        RemoteTrack video = Poll.until("Late's first decoded frame from Early (measured in the page)",
                Duration.ofSeconds(20), () -> late.remoteTracksOf(earlyId).stream()
                        .filter(t -> "video".equals(t.kind()) && t.firstFrameDelayMs() != null).findFirst().orElse(null),
                t -> t != null);
        assertThat(video.offerAppliedAt()).as("subscriber offer applied (page time)").isNotNull();
        assertThat(video.firstFrameDelayMs())
                .as("ms from applying the subscriber offer to the first decoded frame of the late joiner")
                .isLessThanOrEqualTo(2_000.0);

        // The other direction works too (no bound: the new publisher starts with a keyframe anyway).
        RemoteTrack back = Poll.until("Early's first decoded frame from Late", Duration.ofSeconds(20),
                () -> early.remoteTracksOf(late.participantId()).stream()
                        .filter(t -> "video".equals(t.kind()) && t.firstFrameDelayMs() != null).findFirst().orElse(null),
                t -> t != null);
        assertThat(back.readyState()).isEqualTo("live");
        assertThat(late.errorText()).isEmpty();
        assertThat(early.errorText()).isEmpty();
    }
}
