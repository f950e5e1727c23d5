package org.medibridge.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medibridge.rtcp.TransportCcFeedback;
import org.medibridge.rtcp.TransportCcFeedbackWriter;

class SentPacketHistoryTest {
    static final long MS = 1_000_000L;
    static final long LOST = PacketResult.NOT_RECEIVED;

    /** A feedback packet from (seq, arrival µs or -1 for lost) pairs, in order. */
    static TransportCcFeedback feedback(int fbCount, long... seqAndArrival) {
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        w.reset((int) seqAndArrival[0], fbCount);
        for (int i = 0; i < seqAndArrival.length; i += 2) {
            int seq = (int) seqAndArrival[i];
            boolean ok = seqAndArrival[i + 1] < 0 ? w.addLost(seq) : w.addReceived(seq, seqAndArrival[i + 1]);
            assertThat(ok).isTrue();
        }
        byte[] buf = new byte[w.size()];
        w.write(buf, 0, 1, 2);
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(buf, 0, buf.length)).isTrue();
        return fb;
    }

    @Test
    void mapsFeedbackOntoSendOrderWithArrivalDeltas() {
        SentPacketHistory h = new SentPacketHistory();
        for (int i = 0; i < 5; i++) {
            h.onPacketSent(100 + i, 50 * MS + i * MS, 1000 + i, i == 4 ? 7 : PacketResult.NOT_PROBE);
        }
        // Receiver's clock: 7 s; reference time floor(7_001_000 / 64_000) = 109 (6.976 s).
        List<PacketResult> r = h.onFeedback(feedback(0, 100, 7_001_000, 101, 7_003_000, 102, -1, 103, 7_004_000, 104, 7_010_000), 500 * MS);
        assertThat(r).extracting(PacketResult::sendNanos).containsExactly(50 * MS, 51 * MS, 52 * MS, 53 * MS, 54 * MS);
        assertThat(r).extracting(PacketResult::size).containsExactly(1000, 1001, 1002, 1003, 1004);
        assertThat(r).extracting(PacketResult::probe).containsExactly(false, false, false, false, true);
        assertThat(r.get(4).probeCluster()).as("the cluster id given when sent").isEqualTo(7);
        assertThat(h.probeClusterOf(104)).isEqualTo(7);
        assertThat(h.probeClusterOf(103)).isEqualTo(PacketResult.NOT_PROBE);
        assertThat(h.probeClusterOf(99)).as("never sent").isEqualTo(Integer.MIN_VALUE);
        assertThat(r).extracting(PacketResult::received).containsExactly(true, true, false, true, true);
        assertThat(r.get(2).arrivalNanos()).isEqualTo(LOST);
        // The first feedback's reference time is placed at nowNanos.
        assertThat(r.get(0).arrivalNanos()).isEqualTo(500 * MS + 25 * MS);
        assertThat(r.get(1).arrivalNanos() - r.get(0).arrivalNanos()).isEqualTo(2 * MS);
        assertThat(r.get(4).arrivalNanos() - r.get(3).arrivalNanos()).isEqualTo(6 * MS);
    }

    @Test
    void laterFeedbackContinuesTheSameArrivalScale() {
        SentPacketHistory h = new SentPacketHistory();
        for (int i = 0; i < 4; i++) {
            h.onPacketSent(i, i * MS, 1200, PacketResult.NOT_PROBE);
        }
        List<PacketResult> a = h.onFeedback(feedback(0, 0, 1_000_000, 1, 1_020_000), 3 * MS);
        // Received 2 s later on the receiver's clock, processed at an unrelated local time.
        List<PacketResult> b = h.onFeedback(feedback(1, 2, 3_000_000, 3, 3_100_000), 999 * MS);
        assertThat(b.get(0).arrivalNanos() - a.get(1).arrivalNanos()).isEqualTo(1_980 * MS);
        assertThat(b.get(1).arrivalNanos() - b.get(0).arrivalNanos()).isEqualTo(100 * MS);
    }

    @Test
    void reorderedArrivalsStayInSendOrder() {
        SentPacketHistory h = new SentPacketHistory();
        for (int i = 0; i < 3; i++) {
            h.onPacketSent(i, i * MS, 100, PacketResult.NOT_PROBE);
        }
        List<PacketResult> r = h.onFeedback(feedback(0, 0, 1_000_000, 1, 1_005_000, 2, 1_002_000), 0);
        assertThat(r).extracting(PacketResult::sendNanos).containsExactly(0L, MS, 2 * MS);
        assertThat(r.get(2).arrivalNanos() - r.get(1).arrivalNanos()).isEqualTo(-3 * MS);
    }

    @Test
    void handlesTheSequenceWrap() {
        SentPacketHistory h = new SentPacketHistory(1024);
        for (int i = 0; i < 8; i++) {
            h.onPacketSent((65532 + i) & 0xFFFF, i * MS, 500, PacketResult.NOT_PROBE);
        }
        List<PacketResult> r = h.onFeedback(feedback(0, 65532, 100_000, 65535, 103_000, 0, 104_000, 3, 107_000), 0);
        assertThat(r).extracting(PacketResult::sendNanos).containsExactly(0L, MS, 2 * MS, 3 * MS, 4 * MS, 5 * MS, 6 * MS, 7 * MS);
        assertThat(r).extracting(PacketResult::received).containsExactly(true, false, false, true, true, false, false, true);
        assertThat(h.ignoredCount()).isZero();
    }

    @Test
    void ignoresFeedbackForUnknownAndOldSequenceNumbers() {
        SentPacketHistory h = new SentPacketHistory(16);
        assertThat(h.onFeedback(feedback(0, 5, 1000), 0)).as("nothing sent yet").isEmpty();
        for (int i = 0; i < 40; i++) {
            h.onPacketSent(i, i * MS, 100, PacketResult.NOT_PROBE);
        }
        // The 16-packet ring holds 24..39: 20..23 have left it; 40 and 41 were never sent.
        List<PacketResult> r = h.onFeedback(feedback(1, 20, 1000, 39, 2000, 40, 3000, 41, 4000), 0);
        assertThat(r).hasSize(16);
        assertThat(r.get(0).sendNanos()).isEqualTo(24 * MS);
        assertThat(r.subList(0, 15)).noneMatch(PacketResult::received);
        assertThat(r.get(15).sendNanos()).isEqualTo(39 * MS);
        assertThat(r.get(15).received()).isTrue();
        assertThat(h.ignoredCount()).isEqualTo(1 + 4 + 2);  // before sending; 20..23; 40, 41
    }

    @Test
    void reportsEachPacketAtMostOnceAsLostAndOnceAsReceived() {
        SentPacketHistory h = new SentPacketHistory();
        for (int i = 0; i < 4; i++) {
            h.onPacketSent(i, i * MS, 100, PacketResult.NOT_PROBE);
        }
        TransportCcFeedback first = feedback(0, 0, 1000, 1, -1, 2, 3000);
        assertThat(h.onFeedback(first, 0)).extracting(PacketResult::received).containsExactly(true, false, true);
        assertThat(h.onFeedback(first, 0)).as("the same feedback again").isEmpty();
        // libwebrtc re-reports from a late packet: 1 now received, 2 repeated, 3 new.
        List<PacketResult> r = h.onFeedback(feedback(1, 1, 50_000, 2, 3000 + 64_000, 3, 60_000), 0);
        assertThat(r).extracting(PacketResult::sendNanos).containsExactly(MS, 3 * MS);
        assertThat(r).allMatch(PacketResult::received);
    }

    @Test
    void unwrapsTheTwentyFourBitReferenceTime() {
        SentPacketHistory h = new SentPacketHistory();
        h.onPacketSent(0, 0, 100, PacketResult.NOT_PROBE);
        h.onPacketSent(1, MS, 100, PacketResult.NOT_PROBE);
        long top = ((1L << 23) - 1) * 64_000;  // largest positive reference time
        List<PacketResult> a = h.onFeedback(feedback(0, 0, top), 0);
        List<PacketResult> b = h.onFeedback(feedback(1, 1, top + 64_000), 0);  // written as -2^23
        assertThat(b.get(0).arrivalNanos() - a.get(0).arrivalNanos()).isEqualTo(64 * MS);
    }

    @Test
    void endToEndWithTheGenerator() {
        // Sender -> network with a growing queue -> receiver's generator -> feedback -> sender.
        SentPacketHistory history = new SentPacketHistory();
        TransportFeedbackGenerator receiver = new TransportFeedbackGenerator();
        SplittableRandom random = new SplittableRandom(3);
        long receiverClockOffset = 123_456_789_000L;
        List<long[]> expected = new ArrayList<>();  // send, arrival (receiver clock) or -1
        byte[] buf = new byte[1500];
        TransportCcFeedback fb = new TransportCcFeedback();
        List<PacketResult> results = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int seq = (65000 + i) & 0xFFFF;
            long send = i * 2 * MS;
            history.onPacketSent(seq, send, 1200, PacketResult.NOT_PROBE);
            long arrival = send + 30 * MS + i * 10_000L + receiverClockOffset;
            boolean lost = random.nextInt(50) == 0;
            expected.add(new long[] {send, lost ? -1 : arrival});
            if (!lost) {
                receiver.onPacketReceived(seq, arrival);
            }
            if (i % 40 == 39) {
                int n;
                while ((n = receiver.buildFeedback(buf, 0, 1, 2, arrival)) > 0) {
                    assertThat(fb.wrap(buf, 0, n)).isTrue();
                    results.addAll(history.onFeedback(fb, send + 40 * MS));
                }
            }
        }
        assertThat(results).hasSize(2000);
        long firstArrival = -1;
        for (int i = 0; i < results.size(); i++) {
            PacketResult r = results.get(i);
            long[] e = expected.get(i);
            assertThat(r.sendNanos()).isEqualTo(e[0]);
            assertThat(r.received()).isEqualTo(e[1] >= 0);
            if (r.received()) {
                if (firstArrival < 0) {
                    firstArrival = r.arrivalNanos() - (e[1] - expected.get(0)[1]);
                }
                // Same deltas as the receiver's clock, within the 250 µs resolution.
                assertThat(Math.abs(r.arrivalNanos() - firstArrival - (e[1] - expected.get(0)[1]))).isLessThanOrEqualTo(250_000);
            }
        }
    }

    @Test
    void rejectsACapacityThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new SentPacketHistory(1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendingAndVisitingFeedbackAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        SentPacketHistory h = new SentPacketHistory();
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        TransportCcFeedback fb = new TransportCcFeedback();
        byte[] buf = new byte[1200];
        long[] sum = new long[1];
        SentPacketHistory.ResultVisitor visitor = (send, arrival, size, probe) -> sum[0] += size;
        int seq = 0;
        long measured = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int batch = 0; batch < 200; batch++) {
                w.reset(seq, batch);
                for (int i = 0; i < 100; i++) {
                    h.onPacketSent(seq, seq * MS, 1200, (i & 7) == 0 ? 1 : PacketResult.NOT_PROBE);
                    if (i % 9 != 4) {
                        w.addReceived(seq, seq * 1000L + 40_000);
                    }
                    seq = (seq + 1) & 0xFFFF;
                }
                int n = w.write(buf, 0, 1, 2);
                fb.wrap(buf, 0, n);
                h.onFeedback(fb, batch * MS, visitor);
            }
            measured = Math.min(measured, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertThat(sum[0]).isPositive();
        assertThat(measured).isZero();
    }
}
