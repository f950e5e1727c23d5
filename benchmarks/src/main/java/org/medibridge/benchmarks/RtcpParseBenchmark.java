package org.medibridge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.medibridge.rtcp.GenericNack;
import org.medibridge.rtcp.ReceiverReport;
import org.medibridge.rtcp.ReportBlock;
import org.medibridge.rtcp.RtcpCompoundIterator;
import org.medibridge.rtcp.RtcpPacketType;
import org.medibridge.rtcp.Sdes;
import org.medibridge.rtcp.SenderReport;
import org.medibridge.rtcp.TransportCcFeedback;
import org.medibridge.rtcp.TransportCcFeedbackWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing what browsers send as RTCP (after SRTCP), each as the router reads it: validate the
 * compound (RFC 3550 §6.1), then the packet's fields. Each benchmark returns a sum of what it
 * read, so nothing is optimized away, and {@link #setUp} checks the parsers accept the input.
 *
 * <ul>
 *   <li>{@code senderReportAndSdes}: SR with one report block + SDES CNAME (RFC 3550 §6.4.1, §6.5);
 *   <li>{@code receiverReport}: RR with two report blocks (§6.4.2) — one per received stream;
 *   <li>{@code transportCcFeedback}: 60 statuses, 6 lost, walked packet by packet
 *       (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1);
 *   <li>{@code nack}: a generic NACK (RFC 4585 §6.2.1) of three PID/BLP pairs, expanded.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtcpParseBenchmark {
    private static final long BROWSER_SSRC = 0x5EB5C001L;
    private static final long MEDIA_SSRC = 0x22222222L;

    private final RtcpCompoundIterator compound = new RtcpCompoundIterator();
    private final SenderReport sr = new SenderReport();
    private final ReceiverReport rr = new ReceiverReport();
    private final Sdes sdes = new Sdes();
    private final ReportBlock block = new ReportBlock();
    private final TransportCcFeedback twcc = new TransportCcFeedback();
    private final GenericNack nack = new GenericNack();
    private final int[] lost = new int[17];
    private final TransportCcFeedback.PacketVisitor visitor = this::onStatus;
    private long visited;

    private byte[] srSdes;
    private int srSdesLength;
    private byte[] rrPacket;
    private int rrLength;
    private byte[] twccPacket;
    private int twccLength;
    private byte[] nackPacket;
    private int nackLength;

    @Setup
    public void setUp() {
        srSdes = new byte[256];
        int n = SenderReport.write(srSdes, 0, BROWSER_SSRC, 0xE5A1_2345_6789_ABCDL, 123_456_789L, 5000, 4_000_000);
        // One report block: set the count to 1 and grow the SR by one block (RFC 3550 §6.4.1).
        n += ReportBlock.write(srSdes, n, MEDIA_SSRC, 3, 12, 0x0001_2345L, 40, 0x1234_5678L, 6500);
        srSdes[0] = (byte) (srSdes[0] | 1);
        org.medibridge.rtp.Bytes.writeUint16(srSdes, 2, n / 4 - 1);
        n += Sdes.writeCname(srSdes, n, BROWSER_SSRC, "x5tkpV1gqZxL+ur9");
        srSdesLength = n;

        rrPacket = new byte[128];
        ReportBlock[] blocks = new ReportBlock[2];
        byte[] scratch = new byte[2 * ReportBlock.LENGTH];
        for (int i = 0; i < 2; i++) {
            ReportBlock.write(scratch, i * ReportBlock.LENGTH, MEDIA_SSRC + i, 1, 2 + i, 70_000 + i, 30, 0x1111_2222L, 600);
            blocks[i] = new ReportBlock().wrap(scratch, i * ReportBlock.LENGTH);
        }
        rrLength = ReceiverReport.write(rrPacket, 0, BROWSER_SSRC, blocks);

        TransportCcFeedbackWriter w = new TransportCcFeedbackWriter(1200);
        w.reset(1000, 7);
        long t = 5_000_000;
        for (int seq = 1000; seq < 1060; seq++) {
            t += 250 * (1 + seq % 5);
            if (seq % 10 == 3) {
                continue;  // lost: the writer reports it as not received
            }
            w.addReceived(seq, t);
        }
        twccPacket = new byte[1200];
        twccLength = w.write(twccPacket, 0, BROWSER_SSRC, MEDIA_SSRC);

        int[] seqs = {100, 101, 105, 116, 140, 141, 200};
        nackPacket = new byte[GenericNack.maxLength(seqs.length)];
        nackLength = GenericNack.write(nackPacket, 0, BROWSER_SSRC, MEDIA_SSRC, seqs, seqs.length);

        if (senderReportAndSdes() == 0 || receiverReport() == 0 || transportCcFeedback() == 0 || nack() == 0
                || !nack.wrap(nackPacket, 0, nackLength) || nack.fciCount() != 3
                || !twcc.wrap(twccPacket, 0, twccLength) || twcc.packetStatusCount() != 60 || twcc.receivedCount() != 54) {
            throw new IllegalStateException("benchmark input does not parse as intended");
        }
    }

    @Benchmark
    public long senderReportAndSdes() {
        long sum = 0;
        if (!compound.reset(srSdes, 0, srSdesLength)) {
            return 0;
        }
        while (compound.next()) {
            int off = compound.packetOffset();
            int len = compound.packetLength();
            if (compound.packetType() == RtcpPacketType.SR && sr.wrap(srSdes, off, len)) {
                sum += sr.ssrc() + sr.ntpTimestamp() + sr.rtpTimestamp() + sr.packetCount() + sr.octetCount();
                for (int i = 0; i < sr.reportCount(); i++) {
                    sr.reportBlock(i, block);
                    sum += block.sourceSsrc() + block.fractionLost() + block.cumulativeLost()
                            + block.extendedHighestSequence() + block.jitter() + block.lastSr() + block.delaySinceLastSr();
                }
            } else if (compound.packetType() == RtcpPacketType.SDES && sdes.wrap(srSdes, off, len)) {
                sum += sdes.firstSsrc() + sdes.firstCnameOffset();
            }
        }
        return sum;
    }

    @Benchmark
    public long receiverReport() {
        long sum = 0;
        if (!compound.reset(rrPacket, 0, rrLength) || !compound.next()
                || !rr.wrap(rrPacket, compound.packetOffset(), compound.packetLength())) {
            return 0;
        }
        sum += rr.senderSsrc();
        for (int i = 0; i < rr.reportCount(); i++) {
            rr.reportBlock(i, block);
            sum += block.sourceSsrc() + block.fractionLost() + block.cumulativeLost()
                    + block.extendedHighestSequence() + block.jitter() + block.lastSr() + block.delaySinceLastSr();
        }
        return sum;
    }

    @Benchmark
    public long transportCcFeedback() {
        if (!compound.reset(twccPacket, 0, twccLength) || !compound.next()
                || !twcc.wrap(twccPacket, compound.packetOffset(), compound.packetLength())) {
            return 0;
        }
        visited = 0;
        twcc.forEach(visitor);
        return visited + twcc.baseSequenceNumber() + twcc.referenceTimeMicros();
    }

    private void onStatus(int sequenceNumber, boolean received, long arrivalMicros) {
        visited += received ? arrivalMicros + sequenceNumber : 1;
    }

    @Benchmark
    public long nack() {
        if (!compound.reset(nackPacket, 0, nackLength) || !compound.next()
                || !nack.wrap(nackPacket, compound.packetOffset(), compound.packetLength())) {
            return 0;
        }
        long sum = nack.mediaSsrc();
        for (int i = 0; i < nack.fciCount(); i++) {
            int n = GenericNack.expand(nack.pid(i), nack.blp(i), lost, 0);
            for (int j = 0; j < n; j++) {
                sum += lost[j];
            }
        }
        return sum;
    }
}
