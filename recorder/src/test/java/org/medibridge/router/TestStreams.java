package org.medibridge.router;

/**
 * Incoming streams for recorder tests, without a room. Lives in the router's package (test
 * classpath only) because the stream's constructor is package-private.
 */
public final class TestStreams {
    private TestStreams() {
    }

    /** Opus, payload type 111, 48 kHz. */
    public static IncomingStream audio(long ssrc) {
        return new IncomingStream(null, "audio-" + ssrc, MediaKind.AUDIO, ssrc, 111, 48_000);
    }

    /** VP8, payload type 96, 90 kHz. */
    public static IncomingStream video(long ssrc) {
        return new IncomingStream(null, "video-" + ssrc, MediaKind.VIDEO, ssrc, 96, 90_000);
    }
}
