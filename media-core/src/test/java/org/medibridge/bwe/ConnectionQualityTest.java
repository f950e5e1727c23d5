package org.medibridge.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.bwe.ConnectionQuality.Level;

class ConnectionQualityTest {
    private static final long SECOND = 1_000_000_000L;

    static Stream<Arguments> steadyConditions() {
        return Stream.of(
                // loss, RTT ms, jitter ms, bitrate, expected bitrate -> level once settled
                Arguments.of(0.00, 40, 5, 1_000_000L, 1_000_000L, Level.EXCELLENT),
                Arguments.of(0.01, 120, 20, 900_000L, 1_000_000L, Level.EXCELLENT),
                Arguments.of(0.05, 40, 5, 1_000_000L, 1_000_000L, Level.GOOD),     // loss 2..8 %
                Arguments.of(0.00, 250, 5, 1_000_000L, 1_000_000L, Level.GOOD),    // RTT 150..300 ms
                Arguments.of(0.00, 40, 45, 1_000_000L, 1_000_000L, Level.GOOD),    // jitter 30..60 ms
                Arguments.of(0.00, 40, 5, 500_000L, 1_000_000L, Level.GOOD),       // 40..80 % of expected
                Arguments.of(0.12, 40, 5, 1_000_000L, 1_000_000L, Level.POOR),
                Arguments.of(0.00, 450, 5, 1_000_000L, 1_000_000L, Level.POOR),
                Arguments.of(0.00, 40, 5, 200_000L, 1_000_000L, Level.POOR),       // throttled hard
                Arguments.of(0.00, 40, 5, 0L, 0L, Level.EXCELLENT),                // nothing expected
                Arguments.of(0.60, 40, 5, 1_000_000L, 1_000_000L, Level.LOST));
    }

    @ParameterizedTest(name = "loss {0}, rtt {1}, jitter {2}, {3}/{4} -> {5}")
    @MethodSource("steadyConditions")
    void classifiesSteadyConditions(double loss, double rtt, double jitter, long bitrate, long expected, Level level) {
        ConnectionQuality q = new ConnectionQuality();
        Level last = null;
        for (int i = 0; i < 10; i++) {
            last = q.onSample(loss, rtt, jitter, bitrate, expected, i * SECOND);
        }
        assertThat(last).isEqualTo(level);
    }

    @Test
    void oneBadSampleIsSmoothedAwayAndRecoveryNeedsThreeSamples() {
        ConnectionQuality q = new ConnectionQuality();
        long t = 0;
        for (int i = 0; i < 5; i++) {
            q.onSample(0, 40, 5, 1, 1, t += SECOND);
        }
        assertThat(q.level(t)).isEqualTo(Level.EXCELLENT);
        // A single 5 % loss report: smoothed to 1.5 %, still excellent.
        assertThat(q.onSample(0.05, 40, 5, 1, 1, t += SECOND)).isEqualTo(Level.EXCELLENT);
        // Sustained 20 % loss drops the level at once.
        assertThat(q.onSample(0.20, 40, 5, 1, 1, t += SECOND)).isEqualTo(Level.GOOD);
        assertThat(q.onSample(0.20, 40, 5, 1, 1, t += SECOND)).isEqualTo(Level.POOR);
        // Clean again: smoothed loss 7.7, 5.4, 3.8, 2.6, 1.8, 1.3, 0.9 %. GOOD from the first
        // sample under 8 %, shown after 3 agreeing samples; EXCELLENT likewise from 1.8 %.
        Level[] levels = new Level[8];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = q.onSample(0, 40, 5, 1, 1, t += SECOND);
        }
        assertThat(levels).containsExactly(Level.POOR, Level.POOR, Level.GOOD, Level.GOOD, Level.GOOD,
                Level.GOOD, Level.EXCELLENT, Level.EXCELLENT);
    }

    @Test
    void silenceForFiveSecondsIsLost() {
        ConnectionQuality q = new ConnectionQuality();
        q.onSample(0, 40, 5, 1, 1, 0);
        assertThat(q.level(4 * SECOND)).isNotEqualTo(Level.LOST);
        assertThat(q.level(5 * SECOND)).isEqualTo(Level.LOST);
    }
}
