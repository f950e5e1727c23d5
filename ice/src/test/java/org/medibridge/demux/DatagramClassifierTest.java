package org.medibridge.demux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatagramClassifierTest {

    /** Rows: first byte, second byte, length, expected kind (RFC 7983 §7, RFC 5761 §4). */
    @ParameterizedTest(name = "b0={0} b1={1} len={2} -> {3}")
    @CsvSource({
            // STUN: 0..3 (Binding request 0x0001, success response 0x0101)
            "0,   1,   20, STUN",
            "1,   1,   20, STUN",
            "3,   255, 20, STUN",
            // 4..19 (incl. ZRTP 16..19) are not used on this socket
            "4,   0,   20, UNKNOWN",
            "19,  0,   20, UNKNOWN",
            // DTLS: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data .. 63
            "20,  254, 13, DTLS",
            "22,  254, 13, DTLS",
            "63,  0,   13, DTLS",
            // TURN ChannelData: 64..79
            "64,  0,   4,  TURN_CHANNEL",
            "79,  0,   4,  TURN_CHANNEL",
            "80,  0,   4,  UNKNOWN",
            "127, 0,   12, UNKNOWN",
            // RTP: V=2 (0x80), PT 96 / PT 111 / marker + PT 96 (0xE0)
            "128, 96,  12, RTP",
            "128, 111, 12, RTP",
            "144, 224, 12, RTP",
            "191, 0,   12, RTP",
            // RTCP with rtcp-mux: PT 192..223 (SR 200, RR 201, SDES 202, RTPFB 205, PSFB 206)
            "128, 192, 8,  RTCP",
            "129, 200, 28, RTCP",
            "128, 201, 8,  RTCP",
            "143, 206, 12, RTCP",
            "128, 223, 8,  RTCP",
            "128, 191, 12, RTP",
            // RTP/RTCP range but too short to read the second byte
            "128, 200, 1,  UNKNOWN",
            "192, 0,   12, UNKNOWN",
            "255, 0,   12, UNKNOWN",
            // empty
            "0,   0,   0,  UNKNOWN",
    })
    void classifies(int b0, int b1, int len, DatagramKind expected) {
        byte[] buf = new byte[4 + Math.max(len, 2)];
        buf[4] = (byte) b0;
        buf[5] = (byte) b1;
        assertThat(DatagramClassifier.classify(buf, 4, len)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-1, 1", "0, 9", "8, 1"})
    void outOfBoundsIsUnknown(int off, int len) {
        assertThat(DatagramClassifier.classify(new byte[8], off, len)).isEqualTo(DatagramKind.UNKNOWN);
    }
}
