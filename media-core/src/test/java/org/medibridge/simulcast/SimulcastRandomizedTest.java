package org.medibridge.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A long random run of target, preference and pause changes through selector and rewriter, with
 * key frames arriving late and unasked. The subscriber model ({@link SimulcastHarness.Receiver})
 * asserts on every packet: one SSRC, sequence +1, timestamps never back (a switch continues by the
 * elapsed wall time), picture id +1 per frame, TL0PICIDX +1 per base frame, key flag untouched;
 * and on every frame: complete (or cut right before a key frame) and decodable.
 */
class SimulcastRandomizedTest {
    static final int INSTANTS = 40_000;

    @ParameterizedTest(name = "seed {0}, long picture ids {1}")
    @CsvSource({"1, false", "2, true", "3, false", "4, true"})
    void outputStaysOneContinuousDecodableStream(long seed, boolean longPid) {
        SimulcastHarness h = new SimulcastHarness(new SimulcastSource(seed, longPid), 65500, 0xFFFF0000L, true);
        Random random = new Random(seed * 31);
        h.selector.setTarget(2, 2);
        for (int i = 0; i < INSTANTS; i++) {
            if (random.nextInt(100) < 4) {
                int what = random.nextInt(10);
                if (what == 0) {
                    h.selector.pause();
                } else if (what == 1) {
                    // Hidden now and then (spatial -1), else a rendered size.
                    h.selector.setPreferred(random.nextInt(8) == 0 ? -1 : random.nextInt(3), random.nextInt(4));
                } else {
                    h.selector.setTarget(random.nextInt(3), random.nextInt(3));
                }
            }
            h.step();
        }
        // Whatever happened, a stable target is reached.
        h.selector.setPreferred(2, 3);
        h.selector.setTarget(1, 2);
        for (int i = 0; i < 60; i++) {
            h.step();
        }
        assertThat(h.selector.currentSpatial()).isEqualTo(1);
        assertThat(h.selector.currentTemporal()).isEqualTo(2);

        SimulcastHarness.Receiver r = h.receiver;
        System.out.printf("seed %d: %d packets, %d frames, %d switches, %d abandoned, wraps seq %d ts %d pid %d tl0 %d%n",
                seed, r.packets, r.frames, r.switches, r.abandoned, r.seqWraps, r.tsWraps, r.pictureIdWraps, r.tl0Wraps);
        assertThat(r.switches).isGreaterThan(100);
        assertThat(r.seqWraps).isGreaterThan(0);
        assertThat(r.tsWraps).isGreaterThan(0);
        assertThat(r.pictureIdWraps).isGreaterThan(0);
        assertThat(r.tl0Wraps).isGreaterThan(0);
        assertThat(r.decodedFrames).isGreaterThan(INSTANTS / 4);
        assertThat(r.packets).isGreaterThan(INSTANTS / 2);
        assertThat(h.selector.count(Decision.DROP_TEMPORAL_LAYER)).isGreaterThan(0);
        assertThat(h.rewriter.stalePackets()).isZero();
    }
}
