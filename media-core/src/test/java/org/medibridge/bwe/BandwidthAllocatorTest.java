package org.medibridge.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.router.MediaKind;

class BandwidthAllocatorTest {
    /** Three spatial layers (¼, ½, full 720p) with three temporal layers each, in bit/s. */
    private static final long[][] SIMULCAST = {
            {60_000, 90_000, 150_000},
            {200_000, 300_000, 500_000},
            {700_000, 1_000_000, 1_500_000}};

    private static AllocatableTrack video(String id, int priority, int prefS, int prefT) {
        return new AllocatableTrack(id, MediaKind.VIDEO, priority, prefS, prefT, SIMULCAST);
    }

    private static final AllocatableTrack AUDIO = AllocatableTrack.audio("a", 40_000);

    static Stream<Arguments> tables() {
        return Stream.of(
                // estimate, tracks, expected "id:s/t" (or id:REASON) in input order, limited
                Arguments.of(10_000_000L, List.of(AUDIO, video("v1", 0, 2, 2), video("v2", 1, 0, 2)),
                        List.of("a:0/0", "v1:2/2", "v2:0/2"), false),                 // preferred caps
                Arguments.of(50_000L, List.of(AUDIO, video("v1", 0, 2, 2)),
                        List.of("a:0/0", "v1:NO_BANDWIDTH"), true),                  // audio first, video paused
                Arguments.of(30_000L, List.of(video("v1", 0, 2, 2), AUDIO),
                        List.of("v1:NO_BANDWIDTH", "a:0/0"), true),                  // audio even over the estimate
                // 220 k: audio 40, both lowest (60 each), then v1 first to 0/1 (+30); each leaves 22 k spare
                Arguments.of(220_000L, List.of(AUDIO, video("v1", 0, 2, 2), video("v2", 1, 2, 2)),
                        List.of("a:0/0", "v1:0/1", "v2:0/0"), true),                 // lowest layers first, round robin
                Arguments.of(250_000L, List.of(AUDIO, video("v1", 0, 2, 2), video("v2", 1, 2, 2)),
                        List.of("a:0/0", "v1:0/1", "v2:0/1"), true),                 // the next round reaches v2
                // 140 k: audio 40, v1 60 (+14 k, 10 % of the budget, to start); v2 and v1's 0/1 lack the 14 k
                Arguments.of(140_000L, List.of(AUDIO, video("v2", 1, 2, 2), video("v1", 0, 2, 2)),
                        List.of("a:0/0", "v2:NO_BANDWIDTH", "v1:0/0"), true),        // priority decides who fits
                // 320 k: both to 0/1 (220 k), then big's 0/2 fits with 32 k spare, small's no longer
                Arguments.of(320_000L, List.of(AUDIO, video("small", 0, 0, 2), video("big", 0, 2, 2)),
                        List.of("a:0/0", "small:0/1", "big:0/2"), true),             // larger rendered first
                Arguments.of(460_000L, List.of(AUDIO, video("small", 0, 0, 2), video("big", 0, 2, 2)),
                        List.of("a:0/0", "small:0/2", "big:1/0"), true),             // small capped at its preferred
                Arguments.of(1_000_000L, List.of(AUDIO, video("hidden", 0, -1, -1), video("v", 0, 1, 2)),
                        List.of("a:0/0", "hidden:NOT_WANTED", "v:1/2"), false),      // hidden gets nothing
                Arguments.of(1_000_000L, List.of(AUDIO, new AllocatableTrack("new", MediaKind.VIDEO, 0, 2, 2,
                                new long[][] {{0, 0, 0}})),
                        List.of("a:0/0", "new:NO_LAYERS"), false),                   // nothing measured yet
                Arguments.of(1_000_000L, List.of(AUDIO, new AllocatableTrack("two", MediaKind.VIDEO, 0, 2, 2,
                                new long[][] {{100_000}, {400_000}})),
                        List.of("a:0/0", "two:1/0"), false));                        // absent layers skipped
    }

    @ParameterizedTest(name = "[{index}] {0} bit/s -> {2}, limited {3}")
    @MethodSource("tables")
    void allocates(long estimate, List<AllocatableTrack> tracks, List<String> expected, boolean limited) {
        Allocation a = new BandwidthAllocator().allocate(estimate, tracks, 0);
        assertThat(a.tracks()).extracting(BandwidthAllocatorTest::describe).containsExactlyElementsOf(expected);
        assertThat(a.limitedByEstimate()).isEqualTo(limited);
        assertThat(a.totalBps()).isEqualTo(a.tracks().stream().mapToLong(TrackAllocation::bitrateBps).sum());
    }

    @Test
    void reportsWhatTheTracksWouldUseForProbing() {
        Allocation a = new BandwidthAllocator().allocate(300_000,
                List.of(AUDIO, video("v1", 0, 2, 2), video("v2", 1, 1, 1)), 0);
        assertThat(a.desiredBps()).isEqualTo(40_000 + 1_500_000 + 300_000);
        assertThat(a.limitedByEstimate()).isTrue();
        assertThat(a.totalBps()).isLessThanOrEqualTo(300_000);
    }

    private static String describe(TrackAllocation t) {
        return t.trackId() + ":" + (t.paused() ? t.reason().name() : t.spatial() + "/" + t.temporal());
    }
}
