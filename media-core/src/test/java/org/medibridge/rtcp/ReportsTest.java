package org.medibridge.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.rtp.TestBytes.at;
import static org.medibridge.rtp.TestBytes.hex;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReportsTest {
    static final String BLOCK = """
            55 66 77 88   // SSRC_1
            10 FF FF FF   // fraction lost 16/256 | cumulative lost -1 (24-bit signed)
            00 01 00 05   // extended highest seq: 1 cycle, seq 5
            00 00 00 20   // interarrival jitter 32
            9C 80 80 00   // LSR: middle 32 bits of the SR's NTP time
            00 01 80 00   // DLSR 1.5 s in 1/65536 s
            """;

    /** RFC 3550 §6.4.1 SR with one report block. */
    static final byte[] SR = hex("""
            81 C8 00 0C   // V=2 P=0 RC=1 | PT=200 | length 12 (52 bytes)
            11 22 33 44   // SSRC of sender
            E1 2F 9C 80   // NTP seconds
            80 00 00 00   // NTP fraction (0.5 s)
            00 01 E2 40   // RTP timestamp 123456
            00 00 03 E8   // packet count 1000
            00 0F 42 40   // octet count 1000000
            """ + BLOCK);

    /** RFC 3550 §6.4.2 RR with one report block. */
    static final byte[] RR = hex("""
            81 C9 00 07   // V=2 P=0 RC=1 | PT=201 | length 7 (32 bytes)
            AA BB CC DD   // SSRC of packet sender
            """ + BLOCK);

    @Test
    void readsSenderReport() {
        byte[] buf = at(3, SR, 2);
        SenderReport sr = new SenderReport();
        assertThat(sr.wrap(buf, 3, SR.length)).isTrue();
        assertThat(sr.ssrc()).isEqualTo(0x11223344L);
        assertThat(sr.ntpTimestamp()).isEqualTo(0xE12F9C80_80000000L);
        assertThat(sr.rtpTimestamp()).isEqualTo(123456L);
        assertThat(sr.packetCount()).isEqualTo(1000L);
        assertThat(sr.octetCount()).isEqualTo(1_000_000L);
        assertThat(sr.reportCount()).isEqualTo(1);
        assertBlock(sr.reportBlock(0, new ReportBlock()));
        assertThat(NtpTime.compact(sr.ntpTimestamp())).isEqualTo(0x9C808000L);
    }

    @Test
    void writesSenderReport() {
        byte[] out = new byte[40];
        int n = SenderReport.write(out, 4, 0x11223344L, 0xE12F9C80_80000000L, 123456L, 1000L, 1_000_000L);
        assertThat(n).isEqualTo(28);
        byte[] expected = Arrays.copyOf(SR, 28);
        expected[0] = (byte) 0x80;  // RC=0
        expected[3] = 6;           // 28 bytes
        assertThat(Arrays.copyOfRange(out, 4, 32)).isEqualTo(expected);
        SenderReport sr = new SenderReport();
        assertThat(sr.wrap(out, 4, n)).isTrue();
        assertThat(sr.reportCount()).isZero();
    }

    @Test
    void readsAndWritesReceiverReport() {
        ReceiverReport rr = new ReceiverReport();
        assertThat(rr.wrap(RR, 0, RR.length)).isTrue();
        assertThat(rr.senderSsrc()).isEqualTo(0xAABBCCDDL);
        assertThat(rr.reportCount()).isEqualTo(1);
        ReportBlock block = rr.reportBlock(0, new ReportBlock());
        assertBlock(block);

        byte[] out = new byte[32];
        assertThat(ReceiverReport.writeOneBlock(out, 0, 0xAABBCCDDL, 0x55667788L, 16, -1,
                0x00010005L, 32, 0x9C808000L, 0x00018000L)).isEqualTo(32);
        assertThat(out).isEqualTo(RR);

        byte[] out2 = new byte[32];
        assertThat(ReceiverReport.write(out2, 0, 0xAABBCCDDL, block)).isEqualTo(32);
        assertThat(out2).isEqualTo(RR);

        byte[] empty = new byte[8];
        assertThat(ReceiverReport.write(empty, 0, 1L)).isEqualTo(8);
        assertThat(empty).isEqualTo(hex("80 C9 00 01 00 00 00 01"));
    }

    @Test
    void cumulativeLostIsClampedTo24BitsSigned() {
        byte[] b = new byte[24];
        ReportBlock r = new ReportBlock().wrap(b, 0);
        ReportBlock.write(b, 0, 1, 0, 10_000_000, 0, 0, 0, 0);
        assertThat(r.cumulativeLost()).isEqualTo(0x7FFFFF);
        ReportBlock.write(b, 0, 1, 0, -10_000_000, 0, 0, 0, 0);
        assertThat(r.cumulativeLost()).isEqualTo(-0x800000);
        ReportBlock.write(b, 0, 1, 255, 42, 0xFFFFFFFFL, 0, 0, 0);
        assertThat(r.cumulativeLost()).isEqualTo(42);
        assertThat(r.fractionLost()).isEqualTo(255);
        assertThat(r.extendedHighestSequence()).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void reportsRejectWrongTypeOrMissingBlocks() {
        SenderReport sr = new SenderReport();
        ReceiverReport rr = new ReceiverReport();
        assertThat(sr.wrap(RR, 0, RR.length)).isFalse();
        assertThat(rr.wrap(SR, 0, SR.length)).isFalse();
        assertThat(sr.wrap(SR, 0, SR.length - 1)).isFalse();  // block truncated
        assertThat(rr.wrap(RR, 0, 31)).isFalse();
        assertThat(rr.wrap(RR, 0, 33)).isFalse();               // beyond the array
        assertThat(sr.wrap(null, 0, 28)).isFalse();
    }

    private static void assertBlock(ReportBlock b) {
        assertThat(b.sourceSsrc()).isEqualTo(0x55667788L);
        assertThat(b.fractionLost()).isEqualTo(16);
        assertThat(b.cumulativeLost()).isEqualTo(-1);
        assertThat(b.extendedHighestSequence()).isEqualTo(0x00010005L);
        assertThat(b.jitter()).isEqualTo(32L);
        assertThat(b.lastSr()).isEqualTo(0x9C808000L);
        assertThat(b.delaySinceLastSr()).isEqualTo(0x00018000L);
        assertThat(NtpTime.compactToNanos(b.delaySinceLastSr())).isEqualTo(1_500_000_000L);
    }
}
