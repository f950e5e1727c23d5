package org.medibridge.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SdpParserTest {
    static final List<String> ALL = SdpResources.ALL;

    @ParameterizedTest
    @FieldSource("ALL")
    void realDescriptionsRoundTrip(String name) throws Exception {
        SessionDescription parsed = SdpParser.parse(SdpResources.read(name));
        String written = SdpWriter.write(parsed);
        SessionDescription reparsed = SdpParser.parse(written);
        assertThat(reparsed).isEqualTo(parsed);
        assertThat(SdpWriter.write(reparsed)).isEqualTo(written);
        assertThat(written).endsWith("\r\n").doesNotContain("\r\r").doesNotContainPattern("[^\r]\n");
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void lineCountSurvivesTheRoundTrip(String name) throws Exception {
        // Nothing is dropped: the writer reorders lines but emits every one it parsed.
        String original = SdpResources.read(name);
        String written = SdpWriter.write(SdpParser.parse(original));
        // Chromium writes "a=msid-semantic: WMS" with a space that the model does not keep.
        assertThat(written.replace(" ", "").split("\r\n"))
                .containsExactlyInAnyOrder(original.replace(" ", "").split("\r?\n"));
    }

    @Test
    void chromiumOffer() throws Exception {
        SessionDescription s = SdpParser.parse(SdpResources.read(SdpResources.CHROMIUM_OFFER));
        assertThat(s.origin().username()).isEqualTo("-");
        assertThat(s.origin().sessionVersion()).isEqualTo(2);
        assertThat(s.bundleGroup()).contains(new Group("BUNDLE", List.of("0", "1")));
        assertThat(s.extmapAllowMixed()).isTrue();
        assertThat(s.msidSemantic()).startsWith("WMS ");
        assertThat(s.media()).hasSize(2);

        MediaDescription audio = s.media().get(0);
        assertThat(audio.kind()).contains(MediaKind.AUDIO);
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isTrue();
        assertThat(audio.iceUfrag()).isNotBlank();
        assertThat(audio.icePwd()).hasSizeGreaterThanOrEqualTo(22);
        assertThat(audio.iceOptions()).isEqualTo("trickle");
        assertThat(audio.fingerprints()).singleElement().extracting(Fingerprint::algorithm).isEqualTo("sha-256");
        Codec opus = audio.firstCodecNamed("opus").orElseThrow();
        assertThat(opus.payloadType()).isEqualTo(111);
        assertThat(opus.clockRate()).isEqualTo(48000);
        assertThat(opus.channels()).isEqualTo(2);
        assertThat(opus.fmtp()).containsEntry("minptime", "10").containsEntry("useinbandfec", "1");
        assertThat(opus.feedback()).containsExactly("transport-cc");
        assertThat(audio.codecs().keySet()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        assertThat(audio.extMapId("urn:ietf:params:rtp-hdrext:ssrc-audio-level")).isEqualTo(1);
        assertThat(audio.extMapId("urn:ietf:params:rtp-hdrext:sdes:mid")).isEqualTo(4);
        assertThat(audio.candidates()).isNotEmpty().allMatch(c -> c.startsWith("candidate:"));
        assertThat(audio.attributes()).extracting(Attribute::name).contains("rtcp");
        assertThat(audio.msids()).hasSize(1);
        long ssrc = audio.ssrcs().get(0).ssrc();
        assertThat(audio.ssrcAttribute(ssrc, "cname")).isNotBlank();

        MediaDescription video = s.media().get(1);
        assertThat(video.kind()).contains(MediaKind.VIDEO);
        Codec vp8 = video.firstCodecNamed("VP8").orElseThrow();
        assertThat(vp8.payloadType()).isEqualTo(96);
        assertThat(vp8.channels()).isZero();
        assertThat(vp8.feedback()).containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.codec(97).fmtp()).containsExactly(java.util.Map.entry("apt", "96"));
        assertThat(video.ssrcGroups()).singleElement().satisfies(g -> {
            assertThat(g.semantics()).isEqualTo("FID");
            assertThat(g.ssrcs()).hasSize(2);
        });
        assertThat(video.extMaps()).extracting(ExtMap::id).contains(2, 3, 4, 10, 11, 13, 14);
    }

    @Test
    void chromiumSimulcastOffer() throws Exception {
        SessionDescription s = SdpParser.parse(SdpResources.read(SdpResources.CHROMIUM_SIMULCAST_OFFER));
        MediaDescription video = s.media().get(1);
        assertThat(video.rids()).containsExactly(new Rid("q", "send", null), new Rid("h", "send", null),
                new Rid("f", "send", null));
        assertThat(video.simulcast()).isEqualTo("send q;h;f");
        assertThat(video.ssrcs()).isEmpty();
    }

    @Test
    void firefoxOffer() throws Exception {
        SessionDescription s = SdpParser.parse(SdpResources.read(SdpResources.FIREFOX_OFFER));
        assertThat(s.origin().username()).startsWith("mozilla");
        assertThat(s.fingerprints()).hasSize(1);
        assertThat(s.iceOptions()).isEqualTo("trickle");
        assertThat(s.attributes()).containsExactly(new Attribute("sendrecv", null));
        MediaDescription audio = s.media().get(0);
        assertThat(audio.fingerprints()).isEmpty();
        assertThat(audio.endOfCandidates()).isTrue();
        assertThat(audio.extmapAllowMixed()).isTrue();
        assertThat(audio.extMaps()).contains(new ExtMap(2, Direction.RECVONLY, "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
        assertThat(audio.codec(101).fmtp()).containsEntry("0-15", null);
        assertThat(audio.codec(9).channels()).isEqualTo(1);
        MediaDescription video = s.media().get(1);
        assertThat(video.port()).isZero();
        assertThat(video.bundleOnly()).isTrue();
        assertThat(video.isRejected()).isFalse();
        assertThat(video.firstCodecNamed("vp8")).isPresent();
    }

    @Test
    void acceptsLfLineEndsAndToleratesOtherLineTypes() throws Exception {
        String sdp = "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\ni=info\nu=http://example.invalid/\nc=IN IP4 0.0.0.0\n"
                + "b=AS:100\nt=0 0\nz=0 0\nx=unknown type\na=foo:bar baz\na=flag\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\nc=IN IP4 0.0.0.0\ni=media info\nk=prompt\n"
                + "a=sctp-port:5000\na=mid:2\n";
        SessionDescription s = SdpParser.parse(sdp);
        assertThat(s.otherLines()).containsExactly("i=info", "u=http://example.invalid/", "z=0 0", "x=unknown type");
        assertThat(s.bandwidths()).containsExactly("AS:100");
        assertThat(s.attributes()).containsExactly(new Attribute("foo", "bar baz"), new Attribute("flag", null));
        MediaDescription m = s.media().get(0);
        assertThat(m.formats()).containsExactly("webrtc-datachannel");
        assertThat(m.otherLines()).containsExactly("i=media info", "k=prompt");
        assertThat(m.attributes()).containsExactly(new Attribute("sctp-port", "5000"));
        assertThat(SdpParser.parse(SdpWriter.write(s))).isEqualTo(s);
        assertThat(SdpWriter.write(s)).startsWith("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\ni=info\r\nu=");
    }

    @Test
    void largeAdversarialInputsStayCheap() {
        // Up to 64 KiB of formats, ssrc lines or fmtp parameters must not cost quadratic time.
        String head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
        StringBuilder formats = new StringBuilder(head).append("m=application 9 X");
        for (int i = 0; formats.length() < SdpParser.MAX_BYTES - 10; i++) {
            formats.append(' ').append(Integer.toString(i, 36));
        }
        StringBuilder ssrcs = new StringBuilder(head).append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        while (ssrcs.length() < SdpParser.MAX_BYTES - 40) {
            ssrcs.append("a=ssrc:1 cname:x\r\na=rtcp-fb:111 nack\r\n");
        }
        StringBuilder fmtp = new StringBuilder(head).append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fmtp:111 ");
        for (int i = 0; fmtp.length() < SdpParser.MAX_BYTES - 10; i++) {
            fmtp.append('k').append(i).append("=1;");
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 20; i++) {
                assertThat(SdpParser.parse(formats.toString()).media().get(0).formats()).hasSizeGreaterThan(10_000);
                assertThat(SdpParser.parse(ssrcs.toString()).media().get(0).ssrcs()).hasSizeGreaterThan(1_000);
                assertThat(SdpParser.parse(fmtp.toString()).media().get(0).codec(111).fmtp()).hasSizeGreaterThan(5_000);
            }
        });
    }

    @Test
    void exactly64MediaDescriptionsAreAccepted() throws Exception {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
        for (int i = 0; i < SdpParser.MAX_MEDIA; i++) {
            sdp.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:").append(i).append("\r\n");
        }
        assertThat(SdpParser.parse(sdp.toString()).media()).hasSize(64);
    }
}
