package org.medibridge.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.rtcp.ReceiverReport;
import org.medibridge.rtcp.SenderReport;
import org.medibridge.rtp.RtpPacket;

class SrtpSessionTest {
    private static final int TAILROOM = 32;

    @BeforeAll
    static void initialize() {
        SrtpCrypto.initialize();
        SrtpCrypto.initialize();  // idempotent
    }

    /** The two ends of one DTLS-SRTP association: same exported block, opposite roles. */
    static SrtpSession[] pair(SrtpProfile profile, int maxSsrcs) {
        Random random = new Random(profile.ordinal());
        byte[] block = new byte[2 * (profile.keyLength + profile.saltLength)];
        random.nextBytes(block);
        return new SrtpSession[] {
                new SrtpSession(SrtpKeyingMaterial.fromExportedBlock(profile, true, block), maxSsrcs),
                new SrtpSession(SrtpKeyingMaterial.fromExportedBlock(profile, false, block), maxSsrcs)};
    }

    static byte[] rtp(long ssrc, int seq, int payloadLength) {
        byte[] b = new byte[12 + payloadLength];
        b[0] = (byte) 0x80;
        b[1] = 96;
        RtpPacket p = new RtpPacket();
        p.wrap(b, 0, b.length);
        p.setSequenceNumber(seq);
        p.setTimestamp(seq * 3000L);
        p.setSsrc(ssrc);
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    static PacketBuffer buffer(byte[] data) {
        byte[] backing = new byte[8 + data.length + TAILROOM];
        System.arraycopy(data, 0, backing, 8, data.length);
        return PacketBuffer.wrap(backing, 8, data.length);
    }

    static byte[] bytes(PacketBuffer p) {
        return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
    }

    static Stream<Arguments> profilesAndSizes() {
        return Arrays.stream(SrtpProfile.values())
                .flatMap(p -> Stream.of(Arguments.of(p, 100), Arguments.of(p, 1200)));
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("profilesAndSizes")
    void rtpRoundTripBothDirections(SrtpProfile profile, int payload) {
        SrtpSession[] s = pair(profile, 64);
        for (int dir = 0; dir < 2; dir++) {
            SrtpSession sender = s[dir];
            SrtpSession receiver = s[1 - dir];
            for (int seq = 65530; seq < 65540; seq++) {  // across the sequence number wrap
                byte[] plain = rtp(0xCAFEBABEL + dir, seq & 0xFFFF, payload);
                PacketBuffer p = buffer(plain);
                assertThat(sender.protectRtp(p)).isEqualTo(SrtpResult.OK);
                assertThat(p.getLength()).isEqualTo(plain.length + profile.tagLength);
                assertThat(bytes(p)).isNotEqualTo(plain);
                assertThat(Arrays.copyOf(bytes(p), 12)).isEqualTo(Arrays.copyOf(plain, 12));  // header in the clear
                assertThat(receiver.unprotectRtp(p)).isEqualTo(SrtpResult.OK);
                assertThat(bytes(p)).isEqualTo(plain);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("profilesAndSizes")
    void rtcpRoundTrip(SrtpProfile profile, int size) {
        SrtpSession[] s = pair(profile, 64);
        byte[] plain = new byte[size];  // an SR followed by an RR padding the compound to size
        int n = SenderReport.write(plain, 0, 0x1234L, 1L << 40, 90000L, 10, 1000);
        int rest = size - n;
        int rrLength = ReceiverReport.writeOneBlock(plain, n, 0x1234L, 1, 0, 0, 0, 0, 0, 0);
        assertThat(rest).isGreaterThanOrEqualTo(rrLength);
        for (int i = 0; i < 3; i++) {
            PacketBuffer p = buffer(plain);
            assertThat(s[0].protectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(p.getLength()).isEqualTo(size + 4 + profile.tagLength);
            assertThat(s[1].unprotectRtcp(p)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(p)).isEqualTo(plain);

            PacketBuffer back = buffer(plain);
            assertThat(s[1].protectRtcp(back)).isEqualTo(SrtpResult.OK);
            assertThat(s[0].unprotectRtcp(back)).isEqualTo(SrtpResult.OK);
            assertThat(bytes(back)).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketFailsAuthentication(SrtpProfile profile) {
        SrtpSession[] s = pair(profile, 64);
        int[] positions = {1, 20, -1};  // header, payload, tag
        for (int i = 0; i < positions.length; i++) {
            PacketBuffer p = buffer(rtp(7, 100 + i, 100));
            assertThat(s[0].protectRtp(p)).isEqualTo(SrtpResult.OK);
            int at = positions[i] >= 0 ? p.getOffset() + positions[i] : p.getOffset() + p.getLength() - 1;
            p.getBuffer()[at] ^= 0x01;
            assertThat(s[1].unprotectRtp(p)).isEqualTo(SrtpResult.AUTH_FAILED);
        }
        byte[] rr = new byte[32];
        ReceiverReport.writeOneBlock(rr, 0, 9, 1, 0, 0, 0, 0, 0, 0);
        PacketBuffer rtcp = buffer(rr);
        assertThat(s[0].protectRtcp(rtcp)).isEqualTo(SrtpResult.OK);
        rtcp.getBuffer()[rtcp.getOffset() + 12] ^= 0x40;
        assertThat(s[1].unprotectRtcp(rtcp)).isEqualTo(SrtpResult.AUTH_FAILED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayIsRejectedOnReceive(SrtpProfile profile) {
        SrtpSession[] s = pair(profile, 64);
        PacketBuffer p = buffer(rtp(7, 1000, 100));
        assertThat(s[0].protectRtp(p)).isEqualTo(SrtpResult.OK);
        byte[] wire = bytes(p);
        assertThat(s[1].unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        assertThat(s[1].unprotectRtp(buffer(wire))).isEqualTo(SrtpResult.REPLAY);

        byte[] rr = new byte[32];
        ReceiverReport.writeOneBlock(rr, 0, 9, 1, 0, 0, 0, 0, 0, 0);
        PacketBuffer rtcp = buffer(rr);
        assertThat(s[0].protectRtcp(rtcp)).isEqualTo(SrtpResult.OK);
        byte[] rtcpWire = bytes(rtcp);
        assertThat(s[1].unprotectRtcp(rtcp)).isEqualTo(SrtpResult.OK);
        assertThat(s[1].unprotectRtcp(buffer(rtcpWire))).isEqualTo(SrtpResult.REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void retransmissionIsAcceptedOnSend(SrtpProfile profile) {
        SrtpSession[] s = pair(profile, 64);
        byte[] plain = rtp(7, 500, 100);
        PacketBuffer first = buffer(plain);
        assertThat(s[0].protectRtp(first)).isEqualTo(SrtpResult.OK);
        PacketBuffer jump = buffer(rtp(7, 5000, 100));  // a big jump is legitimate on send
        assertThat(s[0].protectRtp(jump)).isEqualTo(SrtpResult.OK);
        PacketBuffer later = buffer(rtp(7, 520, 100));  // an older one too: it may be an RTX
        assertThat(s[0].protectRtp(later)).isEqualTo(SrtpResult.OK);
        PacketBuffer again = buffer(plain);
        assertThat(s[0].protectRtp(again)).isEqualTo(SrtpResult.OK);
        assertThat(bytes(again)).isEqualTo(bytes(first));  // same key stream, same index
        // The receiver, which missed the first copy, accepts the retransmission (within its
        // 64-packet replay window).
        assertThat(s[1].unprotectRtp(later)).isEqualTo(SrtpResult.OK);
        assertThat(s[1].unprotectRtp(again)).isEqualTo(SrtpResult.OK);
        assertThat(bytes(again)).isEqualTo(plain);
    }

    @Test
    void receiveCacheIsBoundedAndFilledOnlyByAuthenticatedPackets() {
        // Same exported block (seeded by profile); only the receiver is bounded to 2 SSRCs.
        SrtpSession[] s = {pair(SrtpProfile.AEAD_AES_128_GCM, 64)[0], pair(SrtpProfile.AEAD_AES_128_GCM, 2)[1]};
        SrtpSession forger128 = new SrtpSession(new SrtpKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, true,
                new byte[16], new byte[12], new byte[16], new byte[12]));
        for (int ssrc = 100; ssrc < 110; ssrc++) {
            PacketBuffer forged = buffer(rtp(ssrc, 1, 50));
            assertThat(forger128.protectRtp(forged)).isEqualTo(SrtpResult.OK);
            assertThat(s[1].unprotectRtp(forged)).isEqualTo(SrtpResult.AUTH_FAILED);
        }
        assertThat(s[1].ssrcLimitRejections()).isZero();
        for (int ssrc = 1; ssrc <= 2; ssrc++) {
            PacketBuffer p = buffer(rtp(ssrc, 1, 50));
            s[0].protectRtp(p);
            assertThat(s[1].unprotectRtp(p)).isEqualTo(SrtpResult.OK);
        }
        PacketBuffer third = buffer(rtp(3, 1, 50));
        assertThat(s[0].protectRtp(third)).isEqualTo(SrtpResult.OK);
        assertThat(s[1].unprotectRtp(third)).isEqualTo(SrtpResult.FAILED);
        assertThat(s[1].ssrcLimitRejections()).isEqualTo(1);
        PacketBuffer known = buffer(rtp(2, 2, 50));
        s[0].protectRtp(known);
        assertThat(s[1].unprotectRtp(known)).isEqualTo(SrtpResult.OK);
        assertThat(s[1].toString()).isEqualTo("SrtpSession[AEAD_AES_128_GCM]");  // never the keys
    }

    @Test
    void tooShortPacketsAreInvalid() {
        SrtpSession[] s = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 64);
        assertThat(s[1].unprotectRtp(buffer(new byte[15]))).isEqualTo(SrtpResult.INVALID);
        assertThat(s[1].unprotectRtcp(buffer(new byte[8]))).isEqualTo(SrtpResult.INVALID);
        assertThat(s[0].protectRtp(buffer(new byte[11]))).isEqualTo(SrtpResult.INVALID);
        assertThat(s[0].protectRtcp(buffer(new byte[4]))).isEqualTo(SrtpResult.INVALID);
    }
}
