package org.medibridge.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medibridge.rtcp.TransportCcFeedback;

class TransportFeedbackGeneratorTest {
    static final long MS = 1_000_000L;

    record Status(int seq, boolean received, long arrivalMicros) {
    }

    /** A built packet, parsed back: arrivals are absolute (reference time + relative) in µs. */
    record Parsed(int base, int fbCount, int length, List<Status> statuses) {
        List<Integer> seqs() { return statuses.stream().map(Status::seq).toList(); }
        List<Integer> received() { return statuses.stream().filter(Status::received).map(Status::seq).toList(); }
    }

    static Parsed build(TransportFeedbackGenerator g) {
        byte[] buf = new byte[1500];
        int n = g.buildFeedback(buf, 10, 0x11L, 0x22L, 0);
        if (n == 0) {
            return null;
        }
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(buf, 10, n)).isTrue();
        assertThat(fb.senderSsrc()).isEqualTo(0x11L);
        assertThat(fb.mediaSsrc()).isEqualTo(0x22L);
        List<Status> out = new ArrayList<>();
        long ref = fb.referenceTimeMicros();
        fb.forEach((seq, received, arrival) -> out.add(new Status(seq, received, received ? ref + arrival : 0)));
        return new Parsed(fb.baseSequenceNumber(), fb.feedbackPacketCount(), n, out);
    }

    @Test
    void reportsInOrderPacketsOnceAndCountsFeedbackPackets() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator();
        assertThat(build(g)).isNull();
        for (int i = 0; i < 10; i++) {
            g.onPacketReceived(100 + i, 1000 * MS + 5 * MS * i);
        }
        Parsed p = build(g);
        assertThat(p.base()).isEqualTo(100);
        assertThat(p.fbCount()).isZero();
        assertThat(p.received()).hasSize(10).containsExactlyElementsOf(p.seqs());
        for (int i = 1; i < 10; i++) {
            assertThat(p.statuses().get(i).arrivalMicros() - p.statuses().get(i - 1).arrivalMicros()).isEqualTo(5000);
        }
        assertThat(p.statuses().get(0).arrivalMicros()).isEqualTo(1_000_000);
        assertThat(build(g)).as("nothing new").isNull();
        assertThat(g.hasPendingFeedback()).isFalse();
        g.onPacketReceived(110, 1100 * MS);
        Parsed next = build(g);
        assertThat(next.base()).isEqualTo(110);
        assertThat(next.fbCount()).isEqualTo(1);
        assertThat(next.seqs()).containsExactly(110);
    }

    @Test
    void reportsGapsAsLost() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator();
        for (int seq : new int[] {1, 2, 4, 7}) {
            g.onPacketReceived(seq, seq * MS);
        }
        Parsed p = build(g);
        assertThat(p.seqs()).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(p.received()).containsExactly(1, 2, 4, 7);
    }

    @Test
    void reorderedArrivalsKeepTheirTimesIncludingNegativeDeltas() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator();
        g.onPacketReceived(1, 10 * MS);
        g.onPacketReceived(3, 11 * MS);
        g.onPacketReceived(2, 12 * MS);
        g.onPacketReceived(2, 13 * MS);  // duplicate: the first arrival counts
        assertThat(g.duplicateCount()).isEqualTo(1);
        Parsed p = build(g);
        assertThat(p.statuses()).containsExactly(
                new Status(1, true, 10_000), new Status(2, true, 12_000), new Status(3, true, 11_000));
    }

    @Test
    void aPacketArrivingAfterItWasReportedLostIsReportedAgain() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator();
        g.onPacketReceived(1, 10 * MS);
        g.onPacketReceived(2, 11 * MS);
        g.onPacketReceived(4, 12 * MS);
        assertThat(build(g).received()).containsExactly(1, 2, 4);
        g.onPacketReceived(3, 40 * MS);
        g.onPacketReceived(5, 41 * MS);
        Parsed p = build(g);
        assertThat(p.base()).isEqualTo(3);
        assertThat(p.received()).containsExactly(3, 4, 5);
        assertThat(p.statuses().get(0).arrivalMicros()).isEqualTo(40_000);
    }

    @Test
    void unwrapsSequenceNumbers() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator();
        g.onPacketReceived(65534, MS);
        g.onPacketReceived(0, 3 * MS);
        g.onPacketReceived(65535, 2 * MS);
        g.onPacketReceived(2, 4 * MS);
        Parsed p = build(g);
        assertThat(p.base()).isEqualTo(65534);
        assertThat(p.seqs()).containsExactly(65534, 65535, 0, 1, 2);
        assertThat(p.received()).containsExactly(65534, 65535, 0, 2);
        // Twice around the number space, in steps well inside half of it.
        for (int k = 1; k <= 8; k++) {
            g.onPacketReceived((2 + 16_384 * k) & 0xFFFF, (4 + k) * MS);
        }
        assertThat(g.tooOldCount()).isZero();
        g.onPacketReceived((2 + 16_384 * 8 - 5000) & 0xFFFF, 20 * MS);  // 5000 behind, window 4096

        assertThat(g.tooOldCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "max {0} bytes")
    @CsvSource({"64", "200", "1200"})
    void splitsAtTheSizeLimitWithoutLosingAStatus(int maxBytes) {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator(4096, maxBytes);
        List<Integer> expectedReceived = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            if (i % 3 != 1) {  // a loss pattern that defeats run lengths
                int seq = (60_000 + i) & 0xFFFF;
                g.onPacketReceived(seq, 7 * MS + (i % 5 == 0 ? 70 * MS : MS) * i);
                expectedReceived.add(seq);
            }
        }
        List<Integer> seqs = new ArrayList<>();
        List<Integer> received = new ArrayList<>();
        int packets = 0;
        Parsed p;
        while ((p = build(g)) != null) {
            assertThat(p.length()).isLessThanOrEqualTo(maxBytes);
            assertThat(p.fbCount()).isEqualTo(packets & 0xFF);
            if (!seqs.isEmpty()) {
                assertThat(p.base()).isEqualTo((seqs.get(seqs.size() - 1) + 1) & 0xFFFF);
            }
            seqs.addAll(p.seqs());
            received.addAll(p.received());
            packets++;
        }
        assertThat(packets).isGreaterThan(maxBytes == 1200 ? 3 : 10);
        assertThat(received).containsExactlyElementsOf(expectedReceived);
        assertThat(seqs).hasSize(3000);  // every status from 60000 through the wrap to 60000+2999
    }

    @Test
    void aPauseLongerThanTheLargestDeltaStartsANewPacket() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator();
        g.onPacketReceived(1, 1000 * MS);
        g.onPacketReceived(3, 1000 * MS + 9000 * MS);  // 9 s later: beyond ±8191.75 ms
        Parsed first = build(g);
        assertThat(first.seqs()).containsExactly(1);
        Parsed second = build(g);
        assertThat(second.seqs()).containsExactly(2, 3);
        assertThat(second.received()).containsExactly(3);
        assertThat(second.statuses().get(1).arrivalMicros()).isEqualTo(10_000_000);
        assertThat(build(g)).isNull();
    }

    @Test
    void onlyTheWindowIsReportedAfterAJump() {
        TransportFeedbackGenerator g = new TransportFeedbackGenerator(1024, 1200);
        g.onPacketReceived(0, MS);
        assertThat(build(g).seqs()).containsExactly(0);
        g.onPacketReceived(5000, 2 * MS);
        Parsed p = build(g);
        assertThat(p.base()).isEqualTo(5000 - 1023);
        assertThat(p.statuses()).hasSize(1024);
        assertThat(p.received()).containsExactly(5000);
        g.onPacketReceived(5000 - 1024, 3 * MS);
        assertThat(g.tooOldCount()).isEqualTo(1);
        assertThat(build(g)).isNull();
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> new TransportFeedbackGenerator(1000, 1200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransportFeedbackGenerator(65536, 1200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransportFeedbackGenerator(1024, 40)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void receivingAndBuildingAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        TransportFeedbackGenerator g = new TransportFeedbackGenerator();
        byte[] buf = new byte[1500];
        long total = 0;
        int seq = 0;
        long t = 0;
        long measured = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 20_000; i++) {
                seq = (seq + (i % 17 == 0 ? 2 : 1)) & 0xFFFF;
                t += 700_000;
                g.onPacketReceived(seq, t);
                if (i % 13 == 0) {
                    g.onPacketReceived((seq - 3) & 0xFFFF, t);  // duplicate or late
                }
                if (i % 80 == 0) {
                    int n;
                    while ((n = g.buildFeedback(buf, 0, 1, 2, t)) > 0) {
                        total += n;
                    }
                }
            }
            measured = Math.min(measured, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertThat(total).isPositive();
        assertThat(measured).isZero();
    }
}
