package org.medibridge.loadgen;

/**
 * What every emulated publisher sends: Opus-sized audio and three VP8 simulcast layers.
 *
 * @param audioPayloadBytes Opus payload per 20 ms packet (Chromium's speech is ~60–120 B)
 * @param layerKbps         target bitrate per simulcast layer, lowest first
 * @param fps               frames per second of every layer
 * @param keyframeIntervalMillis periodic keyframes (besides those asked for by PLI/FIR)
 * @param maxRtpPacketBytes largest RTP packet before SRTP (Chromium keeps ≤ 1200 B on the wire)
 */
record MediaProfile(int audioPayloadBytes, int[] layerKbps, int fps, long keyframeIntervalMillis, int maxRtpPacketBytes) {
    static final int AUDIO_PACKETS_PER_SECOND = 50;
    /** Width and height per layer, for the keyframe header (180p / 360p / 720p). */
    static final int[][] SIZES = {{320, 180}, {640, 360}, {1280, 720}};
    /** A keyframe is about this many times an average frame. */
    static final int KEYFRAME_FACTOR = 5;

    static MediaProfile defaults() {
        return new MediaProfile(100, new int[] {150, 400, 1200}, 30, 10_000, 1180);
    }

    /** Bytes of an average frame of {@code layer}. */
    int frameBytes(int layer) {
        return layerKbps[layer] * 1000 / 8 / fps;
    }
}
