package org.medibridge.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpWriterTest {

    @Test
    void writesTheCanonicalOrderWithCrlf() throws Exception {
        SessionDescription s = new SessionDescription(new Origin("-", "42", 3, "IN", "IP4", "127.0.0.1"));
        s.groups().add(new Group("BUNDLE", List.of("a")));
        s.iceOptions("trickle");
        s.attributes().add(new Attribute("x-custom", "1"));
        MediaDescription m = new MediaDescription("video", 9, "UDP/TLS/RTP/SAVPF")
                .connection(Connection.IN_IP4_ANY)
                .mid("a")
                .direction(Direction.SENDONLY)
                .iceUfrag("uf")
                .icePwd("pwdpwdpwdpwdpwdpwdpwdpwd")
                .setup(Setup.ACTPASS)
                .rtcpMux(true)
                .endOfCandidates(true);
        m.fingerprints().add(new Fingerprint("sha-256", "AB:CD"));
        m.extMaps().add(new ExtMap(2, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
        m.addCodec(new Codec(96, "VP8", 90000, 0).feedback("nack").fmtp("x-google-start-bitrate", "1500"));
        m.msids().add(new Msid("s", "t"));
        m.ssrcs().add(new SsrcAttribute(5, "cname", "c"));
        m.candidates().add("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");
        s.media().add(m);

        assertThat(SdpWriter.write(s)).isEqualTo(String.join("\r\n",
                "v=0",
                "o=- 42 3 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE a",
                "a=ice-options:trickle",
                "a=x-custom:1",
                "m=video 9 UDP/TLS/RTP/SAVPF 96",
                "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:uf",
                "a=ice-pwd:pwdpwdpwdpwdpwdpwdpwdpwd",
                "a=fingerprint:sha-256 AB:CD",
                "a=setup:actpass",
                "a=mid:a",
                "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "a=sendonly",
                "a=msid:s t",
                "a=rtcp-mux",
                "a=rtpmap:96 VP8/90000",
                "a=rtcp-fb:96 nack",
                "a=fmtp:96 x-google-start-bitrate=1500",
                "a=ssrc:5 cname:c",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host",
                "a=end-of-candidates",
                "") );
        assertThat(SdpParser.parse(SdpWriter.write(s))).isEqualTo(s);
    }

    @Test
    void addCodecKeepsTheFormatListInStep() {
        MediaDescription m = new MediaDescription("audio", 9, "UDP/TLS/RTP/SAVPF");
        m.addCodec(new Codec(111, "opus", 48000, 2)).addCodec(new Codec(111, "opus", 48000, 2));
        assertThat(m.formats()).containsExactly("111");
    }
}
