package org.medibridge.signaling.negotiation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.medibridge.sdp.MediaKind;

/** Transport parameters, subscriber track lists and captured SDP shared by tests and the capture step. */
final class Fixtures {
    static final String CHROMIUM = "chromium-156";
    static final String FIREFOX = "firefox-153";

    static final String FINGERPRINT = "3C:4A:6B:1F:9E:22:7D:08:C1:55:AF:90:12:34:56:78:9A:BC:DE:F0:0F:ED:CB:A9:87:65:43:21:11:22:33:44";
    static final LocalTransportParameters LOCAL = new LocalTransportParameters("mbUfrag1", "mbPassword0123456789abcdef",
            "sha-256", FINGERPRINT, List.of("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host"), 4242424242L);

    static final OutgoingTrack AUDIO_0 = new OutgoingTrack("0", MediaKind.AUDIO, true, 1001, "remote-cname",
            "remote-stream", "remote-audio");
    static final OutgoingTrack VIDEO_1 = new OutgoingTrack("1", MediaKind.VIDEO, true, 2001, "remote-cname",
            "remote-stream", "remote-video", 2002);
    static final OutgoingTrack VIDEO_2 = new OutgoingTrack("2", MediaKind.VIDEO, true, 3001, "remote-cname",
            "remote-stream", "remote-video-2", 3002);

    /** First subscriber offer: one remote participant's audio and video. */
    static final List<OutgoingTrack> SUBSCRIBER_TRACKS_1 = List.of(AUDIO_0, VIDEO_1);
    /** Re-offer: the video ended (rejected m-line) and a new video track appended. */
    static final List<OutgoingTrack> SUBSCRIBER_TRACKS_2 = List.of(AUDIO_0, VIDEO_1.deactivated(), VIDEO_2);

    private Fixtures() {
    }

    /** A captured SDP from {@code src/test/resources/sdp/}. */
    static String sdp(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
