package org.medibridge.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.rtp.TestBytes.at;
import static org.medibridge.rtp.TestBytes.hex;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1: reader, writer, round trips. */
class TransportCcFeedbackTest {
    record Status(int seq, boolean received, long arrivalMicros) {
    }

    /**
     * The §3.1.4 status vector example 1 as a whole packet, written the way libwebrtc pads (P bit,
     * pad count in the last octet). Statuses from base 10: 1 lost, 5 received, 3 lost, 3
     * received, 2 lost.
     */
    static final byte[] DRAFT_ONE_BIT = hex("""
            AF CD 00 07   // V=2 P=1 FMT=15 | PT=205 RTPFB | length 7 (32 bytes)
            00 00 00 01   // SSRC of packet sender
            00 00 00 02   // SSRC of media source
            00 0A 00 0E   // base sequence number 10 | packet status count 14
            00 00 02 05   // reference time 2 (128 ms) | fb pkt. count 5
            9F 1C         // |1|0|0 1 1 1 1 1 0 0 0 1 1 1 0 0|: 14 one-bit symbols
                  04 01   // recv deltas, 250 µs each: seq 11 +1 ms | seq 12 +0.25 ms
            00 FF 02 10   // seq 13 +0 | seq 14 +63.75 ms (largest small delta) | 15 +0.5 ms | 19 +4 ms
            20 28 00 02   // seq 20 +8 ms | seq 21 +10 ms | padding 00, count 02
            """);

    static final Status[] DRAFT_ONE_BIT_STATUSES = {
            new Status(10, false, 0),
            new Status(11, true, 1000), new Status(12, true, 1250), new Status(13, true, 1250),
            new Status(14, true, 65_000), new Status(15, true, 65_500),
            new Status(16, false, 0), new Status(17, false, 0), new Status(18, false, 0),
            new Status(19, true, 69_500), new Status(20, true, 77_500), new Status(21, true, 87_500),
            new Status(22, false, 0), new Status(23, false, 0),
    };

    /** §3.1.3 run length example: 221 x "packet not received"; the draft's zero padding, no P bit. */
    static final byte[] DRAFT_RUN_LENGTH = hex("""
            8F CD 00 05   // V=2 P=0 FMT=15 | PT=205 | length 5 (24 bytes)
            00 00 00 01   // sender
            00 00 00 02   // media
            FF F0 00 DD   // base 65520 | status count 221 (wraps past 65535)
            00 00 00 00   // reference time 0 | fb pkt. count 0
            00 DD 00 00   // |0|0 0|0 0 0 0 1 1 0 1 1 1 0 1|: run of 221 lost | zero padding
            """);

    /**
     * Built like Chrome's feedback around a sequence wrap: a run length of "received, small
     * delta", then a two-bit vector for a reordered (negative, large) and a late (large) packet.
     */
    static final byte[] CHROME_LIKE = hex("""
            AF CD 00 08   // V=2 P=1 FMT=15 | PT=205 | length 8 (36 bytes)
            00 00 00 01   // sender
            00 00 00 02   // media
            FF FD 00 0A   // base 65533 | status count 10
            FF FF FE FF   // reference time -2 (-128 ms) | fb pkt. count 255
            20 03         // |0|0 1|0 0 0 0 0 0 0 0 0 0 0 1 1|: 3 x received small delta (65533..65535)
                  D8 42   // |1|1|01 10 00 01 00 00 10|: 0 small, 1 large, 2 lost, 3 small, 4-5 lost, 6 large
            02 04 00 08   // small deltas: 65533 +0.5 ms | 65534 +1 ms | 65535 +0 | 0 +2 ms
            FF FC 01 20   // seq 1 large -1 ms (reordered) | seq 3 +0.25 ms | seq 6 large 0x2000 =
            00 00 00 03   //   +2048 ms | padding 00 00, count 03
            """);

    static final Status[] CHROME_LIKE_STATUSES = {
            new Status(65533, true, 500), new Status(65534, true, 1500), new Status(65535, true, 1500),
            new Status(0, true, 3500), new Status(1, true, 2500), new Status(2, false, 0),
            new Status(3, true, 2750), new Status(4, false, 0), new Status(5, false, 0),
            new Status(6, true, 2_050_750),
    };

    static List<Status> statuses(TransportCcFeedback fb) {
        List<Status> out = new ArrayList<>();
        int n = fb.forEach((seq, received, arrival) -> out.add(new Status(seq, received, arrival)));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    @Test
    void readsTheDraftOneBitVectorExample() {
        TransportCcFeedback fb = new TransportCcFeedback();
        byte[] b = at(7, DRAFT_ONE_BIT, 5);
        assertThat(fb.wrap(b, 7, DRAFT_ONE_BIT.length)).isTrue();
        assertThat(fb.senderSsrc()).isEqualTo(1L);
        assertThat(fb.mediaSsrc()).isEqualTo(2L);
        assertThat(fb.baseSequenceNumber()).isEqualTo(10);
        assertThat(fb.packetCount()).isEqualTo(14);
        assertThat(fb.receivedCount()).isEqualTo(8);
        assertThat(fb.referenceTime()).isEqualTo(2);
        assertThat(fb.referenceTimeMicros()).isEqualTo(128_000L);
        assertThat(fb.feedbackPacketCount()).isEqualTo(5);
        assertThat(statuses(fb)).containsExactly(DRAFT_ONE_BIT_STATUSES);
    }

    @Test
    void writesTheDraftOneBitVectorExampleByteForByte() {
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        w.reset(10, 5);
        for (Status s : DRAFT_ONE_BIT_STATUSES) {
            boolean added = s.received() ? w.addReceived(s.seq(), 128_000 + s.arrivalMicros()) : s.seq() != 23 || w.addLost(23);
            assertThat(added).isTrue();
        }
        assertThat(w.packetCount()).isEqualTo(14);
        assertThat(w.size()).isEqualTo(DRAFT_ONE_BIT.length);
        byte[] out = new byte[40];
        assertThat(w.write(out, 3, 1L, 2L)).isEqualTo(DRAFT_ONE_BIT.length);
        assertThat(Arrays.copyOfRange(out, 3, 3 + DRAFT_ONE_BIT.length)).isEqualTo(DRAFT_ONE_BIT);
    }

    @Test
    void readsTheDraftRunLengthExampleAcrossTheSequenceWrap() {
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(DRAFT_RUN_LENGTH, 0, DRAFT_RUN_LENGTH.length)).isTrue();
        assertThat(fb.packetCount()).isEqualTo(221);
        assertThat(fb.receivedCount()).isZero();
        List<Status> s = statuses(fb);
        assertThat(s).hasSize(221).allMatch(st -> !st.received());
        assertThat(s.get(0).seq()).isEqualTo(65520);
        assertThat(s.get(15).seq()).isEqualTo(65535);
        assertThat(s.get(16).seq()).isZero();
        assertThat(s.get(220).seq()).isEqualTo(204);
    }

    @Test
    void readsChromeLikeRunLengthsTwoBitVectorsAndLargeDeltas() {
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(CHROME_LIKE, 0, CHROME_LIKE.length)).isTrue();
        assertThat(fb.baseSequenceNumber()).isEqualTo(65533);
        assertThat(fb.referenceTime()).isEqualTo(-2);
        assertThat(fb.referenceTimeMicros()).isEqualTo(-128_000L);
        assertThat(fb.feedbackPacketCount()).isEqualTo(255);
        assertThat(fb.receivedCount()).isEqualTo(7);
        assertThat(statuses(fb)).containsExactly(CHROME_LIKE_STATUSES);
    }

    /** Single-chunk packets: the two-bit example of §3.1.4 and variants. */
    @ParameterizedTest(name = "chunk {0} count {1}")
    @CsvSource({
            // §3.1.4 example 2 verbatim uses symbol 11, which §3.1.1 reserves (the example's text
            // calls it "received, w/o timestamp", from an older revision): rejected, as libwebrtc does.
            "CD50, 7, false, -1",
            // The same with 10 (large delta) in its place: 0 lost, 1 large, 3 small, 2 lost.
            "C950, 7, true, 4",
            // A reserved symbol past the status count is only filler: accepted.
            "C953, 6, true, 4",
            // Run length of reserved symbols: rejected; run length longer than the count: truncated.
            "6005, 5, false, -1",
            "2009, 5, true, 5",
            // One-bit vector: trailing filler bits past the count are not counted.
            "BFFF, 3, true, 3",
    })
    void singleChunk(String chunk, int count, boolean valid, int received) {
        byte[] p = hex("8F CD 00 08  00000001 00000002  0001 " + String.format("%04X", count)
                + " 00000000 " + chunk + " 0000 0001 0203 0405 0607 0809 0A0B 0C0D");
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(p, 0, p.length)).isEqualTo(valid);
        if (valid) {
            assertThat(fb.receivedCount()).isEqualTo(received);
            assertThat(statuses(fb).stream().filter(Status::received).count()).isEqualTo(received);
        }
    }

    @Test
    void rejectsTruncatedChunksAndDeltas() {
        TransportCcFeedback fb = new TransportCcFeedback();
        // Status count 15 needs a second chunk: the first two deltas are read as one (a run of
        // lost), and the deltas no longer fit.
        byte[] b = DRAFT_ONE_BIT.clone();
        b[15] = 15;
        assertThat(fb.wrap(b, 0, b.length)).isFalse();
        // Deltas past the end: drop the last word and shrink the length, P bit cleared.
        byte[] shortDeltas = Arrays.copyOf(DRAFT_ONE_BIT, 28);
        shortDeltas[0] = (byte) 0x8F;
        shortDeltas[3] = 6;
        assertThat(fb.wrap(shortDeltas, 0, shortDeltas.length)).isFalse();
        // FCI header missing.
        byte[] noFci = hex("8F CD 00 02 00000001 00000002");
        assertThat(fb.wrap(noFci, 0, noFci.length)).isFalse();
        assertThat(fb.baseSequenceNumber()).isEqualTo(-1);
        // Not transport-cc.
        assertThat(fb.wrap(FeedbackTest.NACK, 0, FeedbackTest.NACK.length)).isFalse();
        // Length field beyond the buffer.
        assertThat(fb.wrap(DRAFT_ONE_BIT, 0, DRAFT_ONE_BIT.length - 4)).isFalse();
    }

    @Test
    void randomBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(7);
        TransportCcFeedback fb = new TransportCcFeedback();
        int valid = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] b = (random.nextBoolean() ? DRAFT_ONE_BIT : CHROME_LIKE).clone();
            for (int k = random.nextInt(1, 4); k > 0; k--) {
                int pos = random.nextInt(4, b.length);  // keep the header mostly recognisable
                b[pos] = (byte) random.nextInt(256);
            }
            if (fb.wrap(b, 0, b.length)) {
                valid++;
                int[] n = new int[1];
                assertThat(fb.forEach((seq, received, arrival) -> n[0]++)).isEqualTo(fb.packetCount()).isEqualTo(n[0]);
            }
        }
        assertThat(valid).isGreaterThan(1000);
    }

    /** Chrome-like chunk choice: what the writer emits for typical patterns. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            // pattern: R = received small delta, L = large delta, . = lost
            "RRRRRRRRRRRRRRRRRRRR;                 2014",            // one run length of 20
            "R.RR.RRRRRR.RR;                       ADFB",            // one one-bit vector of 14
            "R.RR.RRRRRR.RRR;                      ADFB 2001",       // 14 one-bit, then a run of 1
            "RRRRRRRRRRRRRRRRRRRR.RRRRR;           2014 C554",       // run of 20, then lost + 5 as a two-bit tail
            "RRRRRRRRRRRRRRRRRRRR.RRRRRRRRRRRRRRRRRRRR; 2014 9FFF 2007", // run, one-bit vector, run
            "RLRRRRRRR;                            D955 2002",       // a large delta forces two-bit
            "R.L;                                  D200",            // short tail: two-bit vector
            "R.R;                                  D100",            // a tail of up to 7 is always two-bit
    })
    void writerChoosesChunks(String pattern, String expectedChunks) {
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        w.reset(100, 0);
        long t = 1_000_000;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '.') {
                continue;
            }
            t += c == 'L' ? 100_000 : 1000;
            assertThat(w.addReceived(100 + i, t)).isTrue();
        }
        byte[] out = new byte[w.size()];
        w.write(out, 0, 1, 2);
        byte[] chunks = hex(expectedChunks);
        assertThat(Arrays.copyOfRange(out, 20, 20 + chunks.length)).isEqualTo(chunks);
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(out, 0, out.length)).isTrue();
        assertThat(fb.packetCount()).isEqualTo(pattern.length());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void roundTripsRandomPatterns(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double lossRate = random.nextDouble(0, 0.5);
        int base = random.nextInt(65536 - 300, 65536 + 300) & 0xFFFF;  // often across the wrap
        long start = seed % 2 == 0 ? 5_000_000_000L : -7_777_777L;  // negative reference times too
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        w.reset(base, seed);
        List<Status> expected = new ArrayList<>();
        long t = start + random.nextLong(0, 1_000_000);
        int seq = base;
        while (true) {
            boolean lost = !expected.isEmpty() && random.nextDouble() < lossRate;
            int r = random.nextInt(100);
            long step = r < 80 ? random.nextLong(0, 20_000) : r < 90 ? -random.nextLong(0, 30_000)
                    : r < 98 ? random.nextLong(64_000, 2_000_000) : random.nextLong(0, 8_000_000);
            if (!lost) {
                if (!w.addReceived(seq, t + step)) {
                    break;
                }
                t += step;
                expected.add(new Status(seq, true, t));
            } else {
                expected.add(new Status(seq, false, 0));
            }
            seq = (seq + 1) & 0xFFFF;
        }
        // Trailing losses after the last received are not in the packet.
        while (!expected.get(expected.size() - 1).received()) {
            expected.remove(expected.size() - 1);
        }
        assertThat(expected.size()).isGreaterThan(20);
        byte[] out = new byte[w.size() + 8];
        int n = w.write(out, 4, 0xCAFEBABEL, 0xDEADBEEFL);
        assertThat(n).isEqualTo(w.size()).isLessThanOrEqualTo(1200);
        assertThat(n % 4).isZero();
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(out, 4, n)).isTrue();
        assertThat(fb.senderSsrc()).isEqualTo(0xCAFEBABEL);
        assertThat(fb.mediaSsrc()).isEqualTo(0xDEADBEEFL);
        assertThat(fb.feedbackPacketCount()).isEqualTo(seed);
        assertThat(fb.baseSequenceNumber()).isEqualTo(base);
        assertThat(fb.packetCount()).isEqualTo(expected.size()).isEqualTo(w.packetCount());
        List<Status> got = statuses(fb);
        for (int i = 0; i < expected.size(); i++) {
            Status e = expected.get(i);
            Status g = got.get(i);
            assertThat(g.seq()).isEqualTo(e.seq());
            assertThat(g.received()).isEqualTo(e.received());
            if (e.received()) {
                // Rounded to 250 µs against the encoded time: the error never accumulates.
                assertThat(Math.abs(fb.referenceTimeMicros() + g.arrivalMicros() - e.arrivalMicros()))
                        .as("seq %d", e.seq()).isLessThanOrEqualTo(125);
            }
        }
    }

    @Test
    void deltaBeyondSixteenBitsNeedsANewPacket() {
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        w.reset(1, 0);
        assertThat(w.addReceived(1, 1_000_000)).isTrue();
        assertThat(w.addReceived(3, 1_000_000 + 8_191_750)).isTrue();        // largest: 0x7FFF ticks
        assertThat(w.addReceived(4, 1_000_000 + 8_191_750 + 8_192_000)).isFalse();
        assertThat(w.addReceived(4, 1_000_000 + 8_191_750 - 8_192_000)).isTrue();  // smallest: -0x8000
        assertThat(w.packetCount()).isEqualTo(4);
        byte[] out = new byte[w.size()];
        w.write(out, 0, 1, 2);
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(out, 0, out.length)).isTrue();
        assertThat(statuses(fb)).extracting(Status::received).containsExactly(true, false, true, true);
    }

    @Test
    void writerStopsAtItsSizeLimitAndStaysConsistent() {
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(64);
        w.reset(65530, 0);
        int seq = 65530;
        long t = 0;
        int added = 0;
        // Alternating loss and large deltas: the most expensive pattern.
        while (w.addReceived(seq, t)) {
            added++;
            seq = (seq + 2) & 0xFFFF;
            t += 70_000;
        }
        assertThat(w.size()).isLessThanOrEqualTo(64);
        assertThat(w.receivedCount()).isEqualTo(added);
        byte[] out = new byte[64];
        int n = w.write(out, 0, 1, 2);
        TransportCcFeedback fb = new TransportCcFeedback();
        assertThat(fb.wrap(out, 0, n)).isTrue();
        assertThat(fb.receivedCount()).isEqualTo(added);
        assertThat(fb.packetCount()).isEqualTo(2 * added - 1);
    }

    @Test
    void writerRejectsMisuse() {
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(100);
        w.reset(500, 0);
        assertThatThrownBy(() -> w.write(new byte[100], 0, 1, 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.addReceived(499, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.addReceived(500, 0)).isTrue();
        assertThatThrownBy(() -> w.addReceived(500, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransportCcFeedbackWriter(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readingAndWritingAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        TransportCcFeedback fb = new TransportCcFeedback();
        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        byte[] out = new byte[1200];
        long[] sum = new long[1];
        TransportCcFeedback.PacketVisitor visitor = (seq, received, arrival) -> sum[0] += arrival;
        long measured = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 2_000; i++) {
                w.reset(i, i);
                for (int k = 0; k < 100; k++) {
                    if (k % 7 != 3) {
                        w.addReceived(i + k, 1_000_000L * i + 900L * k);
                    }
                }
                int n = w.write(out, 0, 1, 2);
                fb.wrap(out, 0, n);
                fb.forEach(visitor);
                fb.wrap(CHROME_LIKE, 0, CHROME_LIKE.length);
                fb.forEach(visitor);
            }
            measured = Math.min(measured, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertThat(sum[0]).isNotZero();
        assertThat(measured).isZero();
    }
}
