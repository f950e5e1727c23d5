package org.medibridge.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.router.MediaKind;

/**
 * The allocator over time, as {@code LayerAllocation} drives it (one run every 100 ms): down at
 * once, up only with 10 % of the budget spare and not within 4 s of that track's last down-step,
 * and no flapping when the estimate wobbles around the bitrate of two layers.
 */
class BandwidthAllocatorHysteresisTest {
    private static final long MS = 1_000_000L;
    private static final long RUN_INTERVAL_NANOS = 100 * MS;

    /** Three spatial layers (¼, ½, full 720p) with three temporal layers each, in bit/s. */
    private static final long[][] SIMULCAST = {
            {60_000, 90_000, 150_000},
            {200_000, 300_000, 500_000},
            {700_000, 1_000_000, 1_500_000}};
    private static final AllocatableTrack AUDIO = AllocatableTrack.audio("a", 40_000);
    private static final List<AllocatableTrack> ONE_TRACK =
            List.of(AUDIO, new AllocatableTrack("v", MediaKind.VIDEO, 0, 2, 2, SIMULCAST));

    static Stream<Arguments> sequences() {
        // {time ms, budget bit/s} one after another (audio 40 k + one track), the track's layer after each.
        // Costs with audio: 0/0 100 k, 1/1 340 k, 1/2 540 k, 2/0 740 k.
        return Stream.of(
                // a start needs 10 % spare: 1/2 from 600 k (540 ≤ 0.9 × 600), not 2/0; a wobble above 540 k keeps it
                Arguments.of(new long[][] {{0, 600_000}, {100, 580_000}, {200, 600_000}, {300, 620_000}, {400, 541_000}},
                        List.of("1/2", "1/2", "1/2", "1/2", "1/2")),
                // down at once (540 k no longer fits at 539 k); once the hold is over, up only when 540 ≤ 0.9 × budget
                Arguments.of(new long[][] {{0, 600_000}, {100, 539_000}, {5000, 560_000}, {5100, 599_000}, {5200, 600_000}},
                        List.of("1/2", "1/1", "1/1", "1/1", "1/2")),
                // a rise right after the down-step waits for the hold (4 s from the down-step at 100 ms)
                Arguments.of(new long[][] {{0, 600_000}, {100, 539_000}, {200, 700_000}, {2000, 700_000},
                                {4000, 700_000}, {4100, 700_000}},
                        List.of("1/2", "1/1", "1/1", "1/1", "1/1", "1/2")),
                // a real drop goes down as far as it must, in one run
                Arguments.of(new long[][] {{0, 2_000_000}, {100, 350_000}},
                        List.of("2/2", "1/1")),
                // pause when even 0/0 does not fit; resume only after the hold and with 10 % spare (100 k ≤ 0.9 × budget)
                Arguments.of(new long[][] {{0, 120_000}, {100, 100_000}, {200, 99_000}, {1000, 200_000},
                                {4200, 111_000}, {4300, 112_000}},
                        List.of("0/0", "0/0", "NO_BANDWIDTH", "NO_BANDWIDTH", "NO_BANDWIDTH", "0/0")),
                // a track that never had a layer needs the spare but waits for no hold
                Arguments.of(new long[][] {{0, 99_000}, {100, 111_000}, {200, 112_000}},
                        List.of("NO_BANDWIDTH", "NO_BANDWIDTH", "0/0")),
                // hidden (not for lack of bitrate): no hold when it is shown again
                Arguments.of(new long[][] {{0, 600_000}, {-100, 600_000}, {200, 600_000}},
                        List.of("1/2", "NOT_WANTED", "1/2")));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("sequences")
    void stepsDownAtOnceAndUpWithMarginAfterTheHold(long[][] timeline, List<String> layers) {
        BandwidthAllocator allocator = new BandwidthAllocator();
        AllocatableTrack hidden = new AllocatableTrack("v", MediaKind.VIDEO, 0, -1, -1, SIMULCAST);
        for (int i = 0; i < timeline.length; i++) {
            // A negative time: the same moment's absolute value, with the video hidden.
            boolean hide = timeline[i][0] < 0;
            long now = Math.abs(timeline[i][0]) * MS;
            List<AllocatableTrack> tracks = hide ? List.of(AUDIO, hidden) : ONE_TRACK;
            TrackAllocation v = allocator.allocate(timeline[i][1], tracks, now).track("v");
            assertThat(describe(v)).as("at %d ms, budget %d", timeline[i][0], timeline[i][1]).isEqualTo(layers.get(i));
        }
    }

    /**
     * The load generator's publisher (VP8 L1T3 at 150 / 400 / 1200 kbit/s, the temporal layers
     * 40 / 60 / 100 % of each) and Opus at 50 kbit/s: the 10-person room has nine of each per
     * subscriber.
     */
    private static List<AllocatableTrack> room(int publishers) {
        List<AllocatableTrack> tracks = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            tracks.add(AllocatableTrack.audio("a" + i, 50_000));
            tracks.add(new AllocatableTrack("v" + i, MediaKind.VIDEO, 0, 2, 2, new long[][] {
                    {60_000, 90_000, 150_000}, {160_000, 240_000, 400_000}, {480_000, 720_000, 1_200_000}}));
        }
        return tracks;
    }

    static Stream<Arguments> wobbles() {
        return Stream.of(
                // publishers, centre budget, half-period of the ±5 % square wave (ms), starts at the high
                Arguments.of(1, 540_000L, 100L, true),      // one track, at 1/1 ↔ 1/2
                Arguments.of(1, 540_000L, 2000L, false),
                Arguments.of(1, 100_000L, 1000L, false),    // one track, at paused ↔ 0/0
                Arguments.of(9, 11_250_000L, 100L, true),   // 10-person room, everyone at 720p just fits the centre
                Arguments.of(9, 11_250_000L, 500L, false),
                Arguments.of(9, 11_250_000L, 3000L, true),  // slower than the hold: the margin alone must hold
                Arguments.of(9, 9_000_000L, 1000L, true),   // 90 % of the 10 Mbit/s cap: some tracks at 360p
                Arguments.of(9, 9_000_000L, 5000L, false));
    }

    /**
     * A budget alternating between 95 % and 105 % of a centre where the allocation changes
     * between two layers, for 60 s of runs every 100 ms: after the first run, every track changes
     * its layer at most once (the first low may cost a step, no high brings it back).
     */
    @ParameterizedTest(name = "[{index}] {0} publishers, {1} bit/s ± 5 %, every {2} ms, high first {3}")
    @MethodSource("wobbles")
    void anEstimateWobblingFivePercentMovesEachTrackAtMostOnce(int publishers, long centre, long halfPeriodMs,
                                                                boolean startsHigh) {
        List<AllocatableTrack> tracks = publishers == 1
                ? List.of(AUDIO, new AllocatableTrack("v0", MediaKind.VIDEO, 0, 2, 2, SIMULCAST))
                : room(publishers);
        BandwidthAllocator allocator = new BandwidthAllocator();
        List<String> first = null;
        List<String> previous = null;
        int[] switches = new int[tracks.size()];
        int totalSwitches = 0;
        for (long t = 0; t <= 60_000 * MS; t += RUN_INTERVAL_NANOS) {
            boolean high = ((t / (halfPeriodMs * MS)) % 2 == 0) == startsHigh;
            long budget = high ? centre * 105 / 100 : centre * 95 / 100;
            Allocation a = allocator.allocate(budget, tracks, t);
            assertThat(a.totalBps()).as("within the budget").isLessThanOrEqualTo(budget);
            List<String> layers = a.tracks().stream().map(BandwidthAllocatorHysteresisTest::describe).toList();
            if (first == null) {
                first = layers;
            } else {
                for (int i = 0; i < layers.size(); i++) {
                    if (!layers.get(i).equals(previous.get(i))) {
                        switches[i]++;
                        totalSwitches++;
                    }
                }
            }
            previous = layers;
        }
        for (int i = 0; i < switches.length; i++) {
            assertThat(switches[i]).as("switches of %s (started at %s, ended at %s)",
                    tracks.get(i).trackId(), first.get(i), previous.get(i)).isLessThanOrEqualTo(1);
        }
        assertThat(totalSwitches).as("switches of all tracks").isLessThanOrEqualTo(publishers);
    }

    @Test
    void aRealDropInTheRoomStepsDownInTheSameRunAndTheRiseComesBackAfterTheHold() {
        List<AllocatableTrack> tracks = room(9);
        BandwidthAllocator allocator = new BandwidthAllocator();
        Allocation before = allocator.allocate(13_000_000, tracks, 0);
        assertThat(before.tracks()).allMatch(t -> t.paused() || t.spatial() == 2 && t.temporal() == 2 || t.trackId().startsWith("a"));

        Allocation drop = allocator.allocate(3_000_000, tracks, 100 * MS);
        assertThat(drop.totalBps()).isLessThanOrEqualTo(3_000_000);
        assertThat(drop.tracks().stream().filter(t -> t.trackId().startsWith("v") && t.spatial() < 2).count())
                .as("tracks below 720p right after the drop").isGreaterThan(0);

        // The estimate is back at once, but a down-step holds each track for 4 s.
        for (long t = 200 * MS; t < 4100 * MS; t += RUN_INTERVAL_NANOS) {
            assertThat(layers(allocator.allocate(13_000_000, tracks, t))).as("at %d ms", t / MS).isEqualTo(layers(drop));
        }
        Allocation after = allocator.allocate(13_000_000, tracks, 4100 * MS);
        assertThat(layers(after)).isEqualTo(layers(before));
    }

    private static List<String> layers(Allocation a) {
        return a.tracks().stream().map(BandwidthAllocatorHysteresisTest::describe).toList();
    }

    private static String describe(TrackAllocation t) {
        return t.paused() ? t.reason().name() : t.spatial() + "/" + t.temporal();
    }
}
