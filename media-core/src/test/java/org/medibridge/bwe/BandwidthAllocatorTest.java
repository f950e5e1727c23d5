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
                // 220 k: audio 40, both lowest (60 each, +10 % to start), then v1 first to 0/1 (+30, +10 %)
                Arguments.of(220_000L, List.of(AUDIO, video("v1", 0, 2, 2), video("v2", 1, 2, 2)),
                        List.of("a:0/0", "v1:0/1", "v2:0/0"), true),                 // lowest layers first, round robin
                Arguments.of(250_000L, List.of(AUDIO, video("v1", 0, 2, 2), video("v2", 1, 2, 2)),
                        List.of("a:0/0", "v1:0/1", "v2:0/1"), true),                 // the next round reaches v2
                Arguments.of(140_000L, List.of(AUDIO, video("v2", 1, 2, 2), video("v1", 0, 2, 2)),
                        List.of("a:0/0", "v2:NO_BANDWIDTH", "v1:0/1"), true),        // priority decides who fits
                Arguments.of(300_000L, List.of(AUDIO, video("small", 0, 0, 2), video("big", 0, 2, 2)),
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
        Allocation a = new BandwidthAllocator().allocate(estimate, tracks);
        assertThat(a.tracks()).extracting(BandwidthAllocatorTest::describe).containsExactlyElementsOf(expected);
        assertThat(a.limitedByEstimate()).isEqualTo(limited);
        assertThat(a.totalBps()).isEqualTo(a.tracks().stream().mapToLong(TrackAllocation::bitrateBps).sum());
    }

    static Stream<Arguments> hysteresis() {
        return Stream.of(
                // estimates applied one after another (audio 40 k + one simulcast track), layer after each
                Arguments.of(new long[] {600_000, 580_000, 600_000, 620_000},
                        List.of("1/2", "1/2", "1/2", "1/2")),        // wobble above 540 k: holds 1/2
                // 1/2 costs 500 k: kept at 540 k, lost at 539 k; back only once 500 + 50 fits (590 k)
                Arguments.of(new long[] {600_000, 539_000, 560_000, 589_000, 591_000},
                        List.of("1/2", "1/1", "1/1", "1/1", "1/2")),  // down at once, up only with 10 % spare
                // 0/0 costs 60 k: kept at 100 k, lost at 99 k, resumed only at 40 + 66 k
                Arguments.of(new long[] {110_000, 100_000, 99_000, 105_000, 106_000, 150_000},
                        List.of("0/0", "0/0", "NO_BANDWIDTH", "NO_BANDWIDTH", "0/0", "0/1")),
                // resume needs 40 k + 66 k = 106 k
                Arguments.of(new long[] {99_000, 105_000, 106_000},
                        List.of("NO_BANDWIDTH", "NO_BANDWIDTH", "0/0")));
    }

    @ParameterizedTest(name = "[{index}] estimates {0} -> {1}")
    @MethodSource("hysteresis")
    void upgradesNeedTenPercentHeadroomSoSmallChangesDoNotFlap(long[] estimates, List<String> layers) {
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<AllocatableTrack> tracks = List.of(AUDIO, video("v", 0, 2, 2));
        for (int i = 0; i < estimates.length; i++) {
            TrackAllocation v = allocator.allocate(estimates[i], tracks).track("v");
            assertThat(describe(v).substring(2)).as("after estimate %d", estimates[i]).isEqualTo(layers.get(i));
        }
    }

    @Test
    void reportsWhatTheTracksWouldUseForProbing() {
        Allocation a = new BandwidthAllocator().allocate(300_000,
                List.of(AUDIO, video("v1", 0, 2, 2), video("v2", 1, 1, 1)));
        assertThat(a.desiredBps()).isEqualTo(40_000 + 1_500_000 + 300_000);
        assertThat(a.limitedByEstimate()).isTrue();
        assertThat(a.totalBps()).isLessThanOrEqualTo(300_000);
    }

    private static String describe(TrackAllocation t) {
        return t.trackId() + ":" + (t.paused() ? t.reason().name() : t.spatial() + "/" + t.temporal());
    }
}
