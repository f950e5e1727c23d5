package org.medibridge.recording;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medibridge.rtcp.NtpTime;

class StreamClockTest {
    private static final long MS = 1_000_000L;
    private static final long SEC = 1_000_000_000L;

    @ParameterizedTest(name = "{0} then {1} -> +{2}")
    @CsvSource({
            "0,          48000,      48000",
            "4294967000, 200,        496",        // wraps past 2^32
            "4294967295, 0,          1",
            "100,        4294967290, -106",       // slightly older across the wrap: negative
            "2147483000, 2147484000, 1000",
    })
    void unwrapsThirtyTwoBitTimestamps(long first, long second, long delta) {
        StreamClock c = new StreamClock(48_000, new SenderClock());
        long a = c.unwrap(first);
        assertThat(c.unwrap(second) - a).isEqualTo(delta);
    }

    @Test
    void unwrapKeepsCountingOverManyWraps() {
        StreamClock c = new StreamClock(90_000, new SenderClock());
        long ts = 4_294_900_000L;
        long first = c.unwrap(ts);
        long step = 1_500_000_000L;  // under 2^31 per step
        for (int i = 1; i <= 10; i++) {
            ts = (ts + step) & 0xFFFF_FFFFL;
            assertThat(c.unwrap(ts) - first).isEqualTo(i * step);
        }
    }

    @Test
    void withoutSenderReportsTheFirstArrivalAnchorsTheStream() {
        StreamClock c = new StreamClock(48_000, new SenderClock());
        long t0 = c.toNanos(c.unwrap(1000), 5 * SEC);
        // Later frames follow the RTP clock, not their (jittery) arrival.
        long t1 = c.toNanos(c.unwrap(1000 + 48_000), 6 * SEC + 37 * MS);
        long t2 = c.toNanos(c.unwrap(1000 + 96_960), 9 * SEC);
        assertThat(t0).isEqualTo(5 * SEC);
        assertThat(t1).isEqualTo(6 * SEC);
        assertThat(t2).isEqualTo(7 * SEC + 20 * MS);
    }

    @Test
    void senderReportsPutAudioAndVideoOnOneTimeline() {
        SenderClock sender = new SenderClock();
        StreamClock audio = new StreamClock(48_000, sender);
        StreamClock video = new StreamClock(90_000, sender);
        long ntp = NtpTime.fromUnixMillis(1_700_000_000_000L);
        // Random RTP offsets per stream; at NTP time T audio said 777, video said 3_000_000_000.
        audio.onSenderReport(ntp, 777, 10 * SEC);
        video.onSenderReport(NtpTime.fromUnixMillis(1_700_000_000_500L), (3_000_000_000L + 45_000) & 0xFFFF_FFFFL, 10 * SEC + 600 * MS);
        // Video packets happen to arrive 300 ms after audio: that must not matter.
        long a = audio.toNanos(audio.unwrap(777 + 48_000), 11 * SEC);
        long v = video.toNanos(video.unwrap(3_000_000_000L + 90_000), 11 * SEC + 300 * MS);
        assertThat(v - a).isEqualTo(0);
        assertThat(a).isEqualTo(11 * SEC);  // first SR: its NTP time is its arrival time
        assertThat(audio.synchronizedBySenderReport()).isTrue();
    }

    @Test
    void switchFromArrivalToSenderReportNeverGoesBackwardsAndConverges() {
        SenderClock sender = new SenderClock();
        StreamClock c = new StreamClock(90_000, sender);
        long ts = 4_294_000_000L;  // wraps during the test
        long prev = c.toNanos(c.unwrap(ts), 0);
        // 1 s of 30 fps video, arrival anchored.
        for (int i = 1; i <= 30; i++) {
            ts = (ts + 3000) & 0xFFFF_FFFFL;
            long t = c.toNanos(c.unwrap(ts), i * 33 * MS);
            assertThat(t).isGreaterThan(prev);
            prev = t;
        }
        assertThat(prev).isEqualTo(SEC);
        // An SR says this timestamp is really 250 ms earlier on the shared timeline.
        sender.toLocalNanos(NtpTime.fromUnixMillis(49_000), 0);  // another stream fixed the offset: ntp 49 s = local 0
        c.onSenderReport(NtpTime.fromUnixMillis(49_750), ts, 5 * SEC);  // this ts = ntp 49.75 s = local 0.75 s
        assertThat(c.correctionNanos()).isEqualTo(250 * MS);
        long step = 3000L * SEC / 90_000;
        for (int i = 1; i <= 90; i++) {
            ts = (ts + 3000) & 0xFFFF_FFFFL;
            long t = c.toNanos(c.unwrap(ts), 0);
            assertThat(t - prev).as("frame %d", i).isGreaterThanOrEqualTo((long) (step * (1 - StreamClock.SLEW)) - 1)
                    .isLessThanOrEqualTo(step + 1);
            prev = t;
        }
        // 3 s of media at 10 % slew removed the 250 ms: now exactly on the SR mapping.
        assertThat(c.correctionNanos()).isZero();
        assertThat(prev).isEqualTo(750 * MS + 3 * SEC);
    }

    @Test
    void laterSenderReportsWithSmallDriftAreSlewedToo() {
        SenderClock sender = new SenderClock();
        StreamClock c = new StreamClock(48_000, sender);
        long ntp0 = NtpTime.fromUnixMillis(1_000_000);
        c.onSenderReport(ntp0, 0, 0);
        long prev = c.toNanos(c.unwrap(960), 0);
        // Next SR: the sender's RTP clock ran 5 ms slow over 5 s.
        c.onSenderReport(NtpTime.fromUnixMillis(1_005_000), 240_000 - 240, 5 * SEC);
        long next = c.toNanos(c.unwrap(1920), 0);
        assertThat(next).isGreaterThan(prev);
        assertThat(Math.abs(c.correctionNanos())).isLessThanOrEqualTo(5 * MS);
    }
}
