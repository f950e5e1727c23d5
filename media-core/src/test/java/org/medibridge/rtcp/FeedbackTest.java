package org.medibridge.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.rtp.TestBytes.hex;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedbackTest {
    /** RFC 4585 §6.3.1 PLI. */
    static final byte[] PLI = hex("""
            81 CE 00 02   // V=2 FMT=1 | PT=206 PSFB | length 2
            00 00 00 01   // SSRC of packet sender
            FF FF FF FF   // SSRC of media source
            """);

    /** RFC 5104 §4.3.1 FIR with one entry. */
    static final byte[] FIR = hex("""
            84 CE 00 04   // V=2 FMT=4 | PT=206 | length 4
            00 00 00 01   // SSRC of packet sender
            00 00 00 00   // SSRC of media source: "SHALL be set to 0"
            80 00 00 02   // FCI: SSRC asked for a key frame
            07 00 00 00   // Seq nr. 7 | reserved
            """);

    /** RFC 4585 §6.2.1 Generic NACK: PID 100, BLP 0x0005 = 100, 101, 103 lost. */
    static final byte[] NACK = hex("""
            81 CD 00 03   // V=2 FMT=1 | PT=205 RTPFB | length 3
            00 00 00 01   // SSRC of packet sender
            00 00 00 02   // SSRC of media source
            00 64 00 05   // PID 100 | BLP 0000 0000 0000 0101
            """);

    /** draft-alvestrand-rmcat-remb-03 §2.2: 1 Mbit/s for one SSRC. */
    static final byte[] REMB = hex("""
            8F CE 00 05   // V=2 FMT=15 | PT=206 | length 5
            00 00 00 01   // SSRC of packet sender
            00 00 00 00   // SSRC of media source (unused)
            52 45 4D 42   // 'R' 'E' 'M' 'B'
            01 0B D0 90   // Num SSRC 1 | exp 2 | mantissa 250000 (250000 * 4 = 1e6)
            00 00 00 2A   // SSRC 42
            """);

    /** Fully parsed since issue 4: the status count's chunk and deltas must be present. */
    static final byte[] TCC = hex("""
            8F CD 00 06   // V=2 FMT=15 | PT=205 | length 6
            00 00 00 01   // sender
            00 00 00 02   // media
            01 00 00 03   // base seq 256 | status count 3
            00 00 01 00   // reference time 1 | fb count 0
            20 03 04 08   // run length: 3 x received, small delta | deltas 1 ms, 2 ms
            0C 00 00 00   // delta 3 ms | zero padding
            """);

    @Test
    void pli() {
        Pli pli = new Pli();
        assertThat(pli.wrap(PLI, 0, PLI.length)).isTrue();
        assertThat(pli.senderSsrc()).isEqualTo(1L);
        assertThat(pli.mediaSsrc()).isEqualTo(0xFFFFFFFFL);
        byte[] out = new byte[12];
        assertThat(Pli.write(out, 0, 1L, 0xFFFFFFFFL)).isEqualTo(12);
        assertThat(out).isEqualTo(PLI);
        assertThat(pli.wrap(FIR, 0, FIR.length)).isFalse();
        assertThat(pli.wrap(PLI, 0, 11)).isFalse();
    }

    @Test
    void fir() {
        Fir fir = new Fir();
        assertThat(fir.wrap(FIR, 0, FIR.length)).isTrue();
        assertThat(fir.senderSsrc()).isEqualTo(1L);
        assertThat(fir.mediaSsrc()).isZero();
        assertThat(fir.entryCount()).isEqualTo(1);
        assertThat(fir.entrySsrc(0)).isEqualTo(0x80000002L);
        assertThat(fir.entrySeqNr(0)).isEqualTo(7);
        byte[] out = new byte[20];
        assertThat(Fir.write(out, 0, 1L, 0x80000002L, 263)).isEqualTo(20);  // seq nr is mod 256
        assertThat(out).isEqualTo(FIR);
    }

    @Test
    void nackReadsAndExpands() {
        GenericNack nack = new GenericNack();
        assertThat(nack.wrap(NACK, 0, NACK.length)).isTrue();
        assertThat(nack.senderSsrc()).isEqualTo(1L);
        assertThat(nack.mediaSsrc()).isEqualTo(2L);
        assertThat(nack.fciCount()).isEqualTo(1);
        assertThat(nack.pid(0)).isEqualTo(100);
        assertThat(nack.blp(0)).isEqualTo(5);
        int[] lost = new int[17];
        int n = GenericNack.expand(nack.pid(0), nack.blp(0), lost, 0);
        assertThat(Arrays.copyOf(lost, n)).containsExactly(100, 101, 103);

        byte[] out = new byte[GenericNack.maxLength(3)];
        assertThat(GenericNack.write(out, 0, 1L, 2L, new int[] {100, 101, 103}, 3)).isEqualTo(16);
        assertThat(Arrays.copyOf(out, 16)).isEqualTo(NACK);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "100 101 103;              0064 0005",
            "65535 0 1;                FFFF 0003",            // wraps inside one BLP
            "1 17;                     0001 8000",            // PID+16 is the last BLP bit
            "1 18;                     0001 0000 0012 0000",  // PID+17 needs a new FCI
            "5 5 6;                    0005 0001",            // duplicate PID ignored
            "7;                        0007 0000",
            "10 3;                     000A 0000 0003 0000",  // out of order still correct
    })
    void nackPacksPidBlp(String seqs, String fci) {
        int[] lost = Arrays.stream(seqs.trim().split(" +")).mapToInt(Integer::parseInt).toArray();
        byte[] out = new byte[GenericNack.maxLength(lost.length)];
        int n = GenericNack.write(out, 0, 1L, 2L, lost, lost.length);
        byte[] expectedFci = hex(fci);
        assertThat(n).isEqualTo(12 + expectedFci.length);
        assertThat(Arrays.copyOfRange(out, 12, n)).isEqualTo(expectedFci);
        GenericNack nack = new GenericNack();
        assertThat(nack.wrap(out, 0, n)).isTrue();
        assertThat(nack.fciCount()).isEqualTo(expectedFci.length / 4);
        // Every input sequence number is covered after expansion.
        int[] all = new int[17 * nack.fciCount()];
        int count = 0;
        for (int i = 0; i < nack.fciCount(); i++) {
            count += GenericNack.expand(nack.pid(i), nack.blp(i), all, count);
        }
        int[] expanded = Arrays.copyOf(all, count);
        assertThat(expanded).contains(lost);
        assertThatThrownBy(() -> GenericNack.write(out, 0, 1L, 2L, lost, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void remb() {
        Remb remb = new Remb();
        assertThat(remb.wrap(REMB, 0, REMB.length)).isTrue();
        assertThat(remb.senderSsrc()).isEqualTo(1L);
        assertThat(remb.exponent()).isEqualTo(2);
        assertThat(remb.mantissa()).isEqualTo(250000);
        assertThat(remb.bitrate()).isEqualTo(1_000_000L);
        assertThat(remb.ssrcCount()).isEqualTo(1);
        assertThat(remb.ssrc(0)).isEqualTo(42L);
        byte[] out = new byte[Remb.length(1)];
        assertThat(Remb.write(out, 0, 1L, 1_000_000L, new long[] {42L}, 1)).isEqualTo(24);
        assertThat(out).isEqualTo(REMB);

        byte[] big = new byte[Remb.length(0)];
        Remb.write(big, 0, 1L, Long.MAX_VALUE, new long[0], 0);
        assertThat(remb.wrap(big, 0, big.length)).isTrue();
        assertThat(remb.bitrate()).isLessThanOrEqualTo(Long.MAX_VALUE).isGreaterThan(Long.MAX_VALUE / 2);

        byte[] notRemb = REMB.clone();
        notRemb[12] = 'X';
        assertThat(remb.wrap(notRemb, 0, notRemb.length)).isFalse();
        byte[] tooManySsrcs = REMB.clone();
        tooManySsrcs[16] = 2;
        assertThat(remb.wrap(tooManySsrcs, 0, tooManySsrcs.length)).isFalse();
    }

    @Test
    void transportCcIsRecognised() {
        TransportCcFeedback tcc = new TransportCcFeedback();
        assertThat(tcc.wrap(TCC, 0, TCC.length)).isTrue();
        assertThat(tcc.senderSsrc()).isEqualTo(1L);
        assertThat(tcc.mediaSsrc()).isEqualTo(2L);
        assertThat(tcc.baseSequenceNumber()).isEqualTo(256);
        assertThat(tcc.packetStatusCount()).isEqualTo(3);
        assertThat(tcc.wrap(NACK, 0, NACK.length)).isFalse();
        assertThat(new GenericNack().wrap(TCC, 0, TCC.length)).isFalse();
    }
}
