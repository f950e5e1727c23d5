package org.medibridge.simulcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerBitratesTest {
    static final long MS = 1_000_000L;

    /** Feeds {@code bytes} every {@code everyMs} to layer (s, t) from {@code fromMs} until {@code toMs}. */
    static void feed(LayerBitrates b, int s, int t, int bytes, int everyMs, long fromMs, long toMs) {
        for (long ms = fromMs; ms < toMs; ms += everyMs) {
            b.onPacket(s, t, bytes, ms * MS);
        }
    }

    @ParameterizedTest(name = "layer ({0},{1}): {2} B every {3} ms = {4} bit/s")
    @CsvSource({
            "0, 0, 500, 10, 400000",
            "1, 1, 1000, 10, 800000",
            "2, 2, 1200, 4, 2400000",
            "2, 3, 100, 100, 8000",
    })
    void steadyRateIsMeasuredPerLayer(int s, int t, int bytes, int everyMs, long bps) {
        LayerBitrates b = new LayerBitrates();
        feed(b, s, t, bytes, everyMs, 0, 3000);
        assertThat((double) b.bitrate(s, t, 3000 * MS)).isCloseTo(bps, within(bps * 0.1));
        assertThat(b.isActive(s, 3000 * MS)).isTrue();
        for (int other = 0; other < LayerSelector.MAX_SPATIAL_LAYERS; other++) {
            if (other != s) {
                assertThat(b.spatialBitrate(other, 3000 * MS)).isZero();
                assertThat(b.isActive(other, 3000 * MS)).isFalse();
            }
        }
    }

    @Test
    void cumulativeRateAddsTheTemporalLayersBelow() {
        LayerBitrates b = new LayerBitrates();
        for (long ms = 0; ms < 2000; ms += 10) {
            b.onPacket(1, 0, 500, ms * MS);  // 400 kbit/s
            b.onPacket(1, 1, 250, ms * MS);  // 200 kbit/s
            b.onPacket(1, 2, 125, ms * MS);  // 100 kbit/s
        }
        long now = 2000 * MS;
        assertThat((double) b.cumulativeBitrate(1, 0, now)).isCloseTo(400_000, within(40_000.0));
        assertThat((double) b.cumulativeBitrate(1, 1, now)).isCloseTo(600_000, within(60_000.0));
        assertThat((double) b.cumulativeBitrate(1, 2, now)).isCloseTo(700_000, within(70_000.0));
        assertThat(b.spatialBitrate(1, now)).isEqualTo(b.cumulativeBitrate(1, 3, now));
    }

    @Test
    void aStoppedLayerFallsToZeroWithinTheWindow() {
        LayerBitrates b = new LayerBitrates();
        for (long ms = 0; ms < 2500; ms += 10) {
            if (ms < 2000) {
                b.onPacket(2, 0, 1000, ms * MS);  // layer 2 stops at 2 s
            }
            b.onPacket(0, 0, 100, ms * MS);
        }
        assertThat(b.isActive(2, 2500 * MS)).isTrue();
        feed(b, 0, 0, 100, 10, 2500, 3100);
        assertThat(b.bitrate(2, 0, 3100 * MS)).isZero();
        assertThat(b.isActive(2, 3100 * MS)).isFalse();
        assertThat(b.isActive(0, 3100 * MS)).isTrue();
        // Silence longer than the whole window.
        assertThat(b.spatialBitrate(0, 60_000 * MS)).isZero();
        b.onPacket(0, 0, 100, 60_000 * MS);
        assertThat(b.isActive(0, 60_000 * MS)).isTrue();
    }

    @Test
    void aYoungStreamIsNotUnderRated() {
        LayerBitrates b = new LayerBitrates();
        feed(b, 0, 0, 1000, 10, 5000, 5300);  // 800 kbit/s for 300 ms
        assertThat((double) b.bitrate(0, 0, 5300 * MS)).isCloseTo(800_000, within(100_000.0));
    }

    @Test
    void outOfRangeLayersAndAClockGoingBackAreHarmless() {
        LayerBitrates b = new LayerBitrates();
        b.onPacket(3, 0, 100, 0);
        b.onPacket(-1, 0, 100, 0);
        b.onPacket(0, 9, 100, 100 * MS);   // TID clamped to 3
        b.onPacket(0, 0, 100, 50 * MS);    // earlier than the last packet
        assertThat(b.bitrate(0, 3, 100 * MS)).isPositive();
        assertThat(b.spatialBitrate(3, 100 * MS)).isZero();
    }
}
