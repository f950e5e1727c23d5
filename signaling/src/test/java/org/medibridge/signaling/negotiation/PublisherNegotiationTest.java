package org.medibridge.signaling.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.medibridge.signaling.negotiation.Fixtures.LOCAL;
import static org.medibridge.signaling.negotiation.SdpEdits.replace;
import static org.medibridge.signaling.negotiation.SdpEdits.withoutLines;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.rtp.RtpHeaderExtensionUris;
import org.medibridge.sdp.Codec;
import org.medibridge.sdp.Direction;
import org.medibridge.sdp.ExtMap;
import org.medibridge.sdp.Fingerprint;
import org.medibridge.sdp.Group;
import org.medibridge.sdp.MediaDescription;
import org.medibridge.sdp.MediaKind;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.sdp.Setup;

class PublisherNegotiationTest {
    private static final String CHROMIUM = Fixtures.sdp(Fixtures.CHROMIUM + "-offer.sdp");
    private static final String CHROMIUM_SIMULCAST = Fixtures.sdp(Fixtures.CHROMIUM + "-offer-simulcast.sdp");
    private static final String FIREFOX = Fixtures.sdp(Fixtures.FIREFOX + "-offer.sdp");

    /** Answers, then parses the written answer back: the checks run on what the browser gets. */
    private static SessionDescription writtenAnswer(PublisherAnswer a) throws Exception {
        return SdpParser.parse(SdpWriter.write(a.answer()));
    }

    @Test
    void answersChromium() throws Exception {
        SessionDescription offer = SdpParser.parse(CHROMIUM);
        PublisherAnswer result = PublisherNegotiation.answer(CHROMIUM, LOCAL);
        SessionDescription answer = writtenAnswer(result);

        assertThat(answer.origin().sessionId()).isEqualTo("4242424242");
        assertThat(answer.bundleGroup()).contains(new Group(Group.BUNDLE, List.of("0", "1")));
        assertThat(answer.iceOptions()).isEqualTo("trickle");
        assertThat(answer.extmapAllowMixed()).isTrue(); // Chromium offers it
        assertThat(answer.media()).extracting(MediaDescription::mid).containsExactly("0", "1");
        for (MediaDescription m : answer.media()) {
            assertThat(m.direction()).isEqualTo(Direction.RECVONLY);
            assertThat(m.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
            assertThat(m.setup()).isEqualTo(Setup.PASSIVE);
            assertThat(m.iceUfrag()).isEqualTo(LOCAL.iceUfrag());
            assertThat(m.icePwd()).isEqualTo(LOCAL.icePwd());
            assertThat(m.fingerprints()).containsExactly(new Fingerprint("sha-256", Fixtures.FINGERPRINT));
            assertThat(m.rtcpMux()).isTrue();
            assertThat(m.rtcpRsize()).isTrue();
            assertThat(m.ssrcs()).isEmpty();
        }
        MediaDescription audio = answer.media().get(0);
        assertThat(audio.codecs().values()).singleElement().satisfies(c -> {
            assertThat(c.payloadType()).isEqualTo(111);
            assertThat(c.name()).isEqualTo("opus");
            assertThat(c.channels()).isEqualTo(2);
            assertThat(c.fmtp()).containsExactly(Map.entry("minptime", "10"), Map.entry("useinbandfec", "1"));
            assertThat(c.feedback()).isEmpty();
        });
        assertThat(audio.extMaps()).containsExactly(new ExtMap(1, RtpHeaderExtensionUris.AUDIO_LEVEL),
                new ExtMap(2, RtpHeaderExtensionUris.ABS_SEND_TIME), new ExtMap(3, RtpHeaderExtensionUris.TRANSPORT_CC),
                new ExtMap(4, RtpHeaderExtensionUris.MID));
        assertThat(audio.candidates()).containsExactlyElementsOf(LOCAL.candidates());
        assertThat(audio.endOfCandidates()).isTrue();

        MediaDescription video = answer.media().get(1);
        Codec vp8 = video.codec(96);
        // VP8 and the rtx format repairing it (RFC 4588 §8.6): the offer's "a=fmtp:97 apt=96".
        assertThat(video.formats()).containsExactly("96", "97");
        assertThat(vp8.name()).isEqualTo("VP8");
        assertThat(vp8.feedback()).containsExactly("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
        assertThat(vp8.fmtp()).containsExactly(Map.entry("x-google-start-bitrate", "1500"));
        assertThat(video.codec(97)).satisfies(rtx -> {
            assertThat(rtx.name()).isEqualTo("rtx");
            assertThat(rtx.clockRate()).isEqualTo(90000);
            assertThat(rtx.fmtp()).containsExactly(Map.entry("apt", "96"));
            assertThat(rtx.feedback()).isEmpty();
        });
        assertThat(video.extMaps()).extracting(ExtMap::id).containsExactly(2, 3, 4, 10, 11);
        assertThat(video.candidates()).isEmpty();

        MediaDescription offeredAudio = offer.media().get(0);
        assertThat(result.remoteIceUfrag()).isEqualTo(offeredAudio.iceUfrag());
        assertThat(result.remoteIcePwd()).isEqualTo(offeredAudio.icePwd());
        assertThat(result.remoteFingerprint()).isEqualTo(offeredAudio.fingerprints().get(0));
        assertThat(result.serverIsDtlsServer()).isTrue();
        assertThat(result.remoteCandidates()).containsExactlyElementsOf(offeredAudio.candidates());
        assertThat(result.headerExtensions()).isEqualTo(Map.of(RtpHeaderExtensionUris.AUDIO_LEVEL, 1,
                RtpHeaderExtensionUris.ABS_SEND_TIME, 2, RtpHeaderExtensionUris.TRANSPORT_CC, 3,
                RtpHeaderExtensionUris.MID, 4, RtpHeaderExtensionUris.RTP_STREAM_ID, 10,
                RtpHeaderExtensionUris.REPAIRED_RTP_STREAM_ID, 11));

        long audioSsrc = offeredAudio.ssrcs().get(0).ssrc();
        MediaDescription offeredVideo = offer.media().get(1);
        List<Long> fid = offeredVideo.ssrcGroups().get(0).ssrcs();
        String stream = offeredAudio.msids().get(0).streamId();
        String cname = offeredAudio.ssrcAttribute(audioSsrc, "cname");
        assertThat(result.tracks()).containsExactly(
                new PublishedTrack("0", MediaKind.AUDIO, audioSsrc, -1, 111, "opus", 48000, 2, stream,
                        offeredAudio.msids().get(0).trackId(), cname, List.of(), -1, false),
                new PublishedTrack("1", MediaKind.VIDEO, fid.get(0), fid.get(1), 96, "VP8", 90000, 1, stream,
                        offeredVideo.msids().get(0).trackId(), cname, List.of(), 97, true));
    }

    @Test
    void answersFirefox() throws Exception {
        SessionDescription offer = SdpParser.parse(FIREFOX);
        PublisherAnswer result = PublisherNegotiation.answer(offer, LOCAL);
        SessionDescription answer = writtenAnswer(result);

        // Firefox offers the video m-line bundle-only (port 0): it is accepted, not rejected.
        assertThat(answer.media()).extracting(MediaDescription::port).containsExactly(9, 9);
        assertThat(answer.bundleGroup()).contains(new Group(Group.BUNDLE, List.of("0", "1")));
        // The fingerprint is at session level in Firefox's offer.
        assertThat(result.remoteFingerprint()).isEqualTo(offer.fingerprints().get(0));
        assertThat(result.remoteIceUfrag()).isEqualTo(offer.media().get(0).iceUfrag());
        assertThat(result.remoteCandidates()).isNotEmpty();
        assertThat(result.headerExtensions()).isEqualTo(Map.of(RtpHeaderExtensionUris.AUDIO_LEVEL, 1,
                RtpHeaderExtensionUris.MID, 3, RtpHeaderExtensionUris.ABS_SEND_TIME, 4,
                RtpHeaderExtensionUris.TRANSPORT_CC, 7));

        MediaDescription audio = answer.media().get(0);
        assertThat(audio.rtcpRsize()).isFalse(); // not offered for Firefox's audio
        assertThat(audio.codecs().values()).singleElement().satisfies(c -> {
            assertThat(c.payloadType()).isEqualTo(109);
            assertThat(c.fmtp()).containsExactly(Map.entry("useinbandfec", "1"));
        });
        MediaDescription video = answer.media().get(1);
        // Firefox 153 offers rtx for each video codec; the one with apt=120 goes with VP8.
        assertThat(video.formats()).containsExactly("120", "124");
        assertThat(video.codec(120).feedback()).containsExactly("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
        assertThat(video.codec(124).fmtp()).containsExactly(Map.entry("apt", "120"));
        assertThat(video.extMaps()).extracting(ExtMap::id).containsExactly(3, 4, 7);

        assertThat(result.tracks()).hasSize(2);
        PublishedTrack v = result.tracks().get(1);
        assertThat(v.payloadType()).isEqualTo(120);
        assertThat(v.ssrc()).isEqualTo(offer.media().get(1).ssrcGroups().get(0).ssrcs().get(0));
        assertThat(v.rtxSsrc()).isEqualTo(offer.media().get(1).ssrcGroups().get(0).ssrcs().get(1));
        assertThat(v.rtxPayloadType()).isEqualTo(124);
        assertThat(v.nack()).isTrue();
        assertThat(v.cname()).startsWith("{");
        assertThat(v.streamId()).isEqualTo(offer.media().get(1).msids().get(0).streamId());
    }

    @Test
    void simulcastOfferPublishesATrackWithoutSsrc() throws Exception {
        PublisherAnswer result = PublisherNegotiation.answer(CHROMIUM_SIMULCAST, LOCAL);
        PublishedTrack video = result.tracks().get(1);
        assertThat(video.ssrc()).isEqualTo(-1);
        assertThat(video.rtxSsrc()).isEqualTo(-1);  // each layer's: from repaired-rtp-stream-id
        assertThat(video.rtxPayloadType()).isEqualTo(97);
        assertThat(video.nack()).isTrue();
        assertThat(video.cname()).isNull();
        MediaDescription answered = result.answer().media().get(1);
        assertThat(answered.formats()).containsExactly("96", "97");
        assertThat(answered.extMaps()).extracting(ExtMap::uri).contains(RtpHeaderExtensionUris.RTP_STREAM_ID,
                RtpHeaderExtensionUris.REPAIRED_RTP_STREAM_ID);
        assertThat(video.trackId()).isNotNull();
        // The answer receives every rid, so that Chromium sends all its encodings.
        assertThat(video.rids()).containsExactly("q", "h", "f");
        assertThat(result.answer().media().get(1).simulcast()).isEqualTo("recv q;h;f");
    }

    static Stream<Arguments> rtxCases() {
        return Stream.of(
                // name, offer, expected answer formats, rtx payload type, rtx SSRC present, nack
                Arguments.of("no rtx offered", withoutLines(withoutLines(CHROMIUM, "a=rtpmap:97 rtx"), "a=fmtp:97 apt=96"),
                        List.of("96"), -1, false, true),
                Arguments.of("rtx for another codec only", replace(CHROMIUM, "a=fmtp:97 apt=96", "a=fmtp:97 apt=102"),
                        List.of("96"), -1, false, true),
                Arguments.of("rtx at another clock rate", replace(CHROMIUM, "a=rtpmap:97 rtx/90000", "a=rtpmap:97 rtx/48000"),
                        List.of("96"), -1, false, true),
                Arguments.of("no FID group", withoutLines(CHROMIUM, "a=ssrc-group:FID"),
                        List.of("96", "97"), 97, false, true),
                Arguments.of("no nack", replace(CHROMIUM, "a=rtcp-fb:96 nack\r\n", ""), List.of("96", "97"), 97, true, false),
                Arguments.of("Firefox", FIREFOX, List.of("120", "124"), 124, true, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rtxCases")
    void rtxIsAnsweredOnlyForTheChosenVp8(String name, String offer, List<String> formats, int rtxPt, boolean rtxSsrc,
                                          boolean nack) throws Exception {
        PublisherAnswer result = PublisherNegotiation.answer(offer, LOCAL);
        MediaDescription video = writtenAnswer(result).media().get(1);
        assertThat(video.formats()).as(name).containsExactlyElementsOf(formats);
        PublishedTrack t = result.tracks().get(1);
        assertThat(t.rtxPayloadType()).as(name).isEqualTo(rtxPt);
        assertThat(t.rtxSsrc() >= 0).as(name + ": rtx SSRC").isEqualTo(rtxSsrc);
        assertThat(t.nack()).as(name).isEqualTo(nack);
        assertThat(video.codec(Integer.parseInt(formats.get(0))).feedback().contains("nack")).isEqualTo(nack);
    }

    @Test
    void extensionDirectionsAreMirrored() throws Exception {
        String offer = replace(CHROMIUM, "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                "a=extmap:1/sendonly urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        offer = replace(offer, "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\na=extmap:3",
                "a=extmap:2/recvonly http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\na=extmap:3");
        PublisherAnswer result = PublisherNegotiation.answer(offer, LOCAL);
        assertThat(result.answer().media().get(0).extMaps()).containsExactly(
                new ExtMap(1, Direction.RECVONLY, RtpHeaderExtensionUris.AUDIO_LEVEL, null),
                new ExtMap(3, RtpHeaderExtensionUris.TRANSPORT_CC), new ExtMap(4, RtpHeaderExtensionUris.MID));
        // abs-send-time is still negotiated through the video m-line, which offers it without direction.
        assertThat(result.headerExtensions()).containsEntry(RtpHeaderExtensionUris.ABS_SEND_TIME, 2);
    }

    @Test
    void passiveOfferMakesTheServerTheDtlsClient() throws Exception {
        PublisherAnswer result = PublisherNegotiation.answer(replace(CHROMIUM, "a=setup:actpass", "a=setup:passive"), LOCAL);
        assertThat(result.serverIsDtlsServer()).isFalse();
        assertThat(result.answer().media()).extracting(MediaDescription::setup).containsOnly(Setup.ACTIVE);
    }

    @Test
    void activeOfferMakesTheServerTheDtlsServer() throws Exception {
        PublisherAnswer result = PublisherNegotiation.answer(replace(CHROMIUM, "a=setup:actpass", "a=setup:active"), LOCAL);
        assertThat(result.serverIsDtlsServer()).isTrue();
        assertThat(result.answer().media()).extracting(MediaDescription::setup).containsOnly(Setup.PASSIVE);
    }

    @Test
    void anMLineThatDoesNotSendIsAnsweredInactive() throws Exception {
        String offer = CHROMIUM.replaceFirst("a=sendonly", "a=recvonly");
        PublisherAnswer result = PublisherNegotiation.answer(offer, LOCAL);
        assertThat(result.answer().media().get(0).direction()).isEqualTo(Direction.INACTIVE);
        assertThat(result.answer().media().get(1).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(result.tracks()).extracting(PublishedTrack::mid).containsExactly("1");
    }

    @Test
    void aDataChannelIsRejectedWithPortZero() throws Exception {
        String offer = replace(CHROMIUM, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n"
                + "a=sctp-port:5000\r\na=max-message-size:262144\r\n";
        SessionDescription answer = writtenAnswer(PublisherNegotiation.answer(offer, LOCAL));
        MediaDescription dc = answer.media().get(2);
        assertThat(dc.port()).isZero();
        assertThat(dc.mid()).isEqualTo("2");
        assertThat(dc.formats()).containsExactly("webrtc-datachannel");
        assertThat(dc.attributes()).isEmpty();
        assertThat(answer.bundleGroup().orElseThrow().mids()).containsExactly("0", "1");
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("not SDP", "hello", NegotiationException.SDP_INVALID),
                Arguments.of("truncated", CHROMIUM.substring(0, 40), NegotiationException.SDP_INVALID),
                Arguments.of("no BUNDLE", withoutLines(CHROMIUM, "a=group:BUNDLE"), NegotiationException.SDP_NO_BUNDLE),
                Arguments.of("BUNDLE misses video", replace(CHROMIUM, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0"),
                        NegotiationException.SDP_NO_BUNDLE),
                Arguments.of("Firefox without BUNDLE", withoutLines(FIREFOX, "a=group:BUNDLE"), NegotiationException.SDP_NO_BUNDLE),
                Arguments.of("no rtcp-mux", withoutLines(CHROMIUM, "a=rtcp-mux"), NegotiationException.SDP_NO_RTCP_MUX),
                Arguments.of("no opus", replace(CHROMIUM, "opus/48000", "OPUX/48000"), NegotiationException.SDP_NO_COMMON_CODEC),
                Arguments.of("no VP8", replace(CHROMIUM, "VP8/90000", "VP7/90000"), NegotiationException.SDP_NO_COMMON_CODEC),
                Arguments.of("Firefox without VP8", replace(FIREFOX, "VP8/90000", "H264/90000"),
                        NegotiationException.SDP_NO_COMMON_CODEC),
                Arguments.of("no ice-ufrag", withoutLines(CHROMIUM, "a=ice-ufrag"), NegotiationException.SDP_MISSING_ICE),
                Arguments.of("no ice-pwd", withoutLines(FIREFOX, "a=ice-pwd"), NegotiationException.SDP_MISSING_ICE),
                Arguments.of("no fingerprint", withoutLines(CHROMIUM, "a=fingerprint"), NegotiationException.SDP_MISSING_FINGERPRINT),
                Arguments.of("Firefox without session fingerprint", withoutLines(FIREFOX, "a=fingerprint"),
                        NegotiationException.SDP_MISSING_FINGERPRINT),
                Arguments.of("RTP/AVP", replace(CHROMIUM, "UDP/TLS/RTP/SAVPF", "RTP/AVP"), NegotiationException.SDP_UNSUPPORTED),
                Arguments.of("holdconn", replace(CHROMIUM, "a=setup:actpass", "a=setup:holdconn"),
                        NegotiationException.SDP_UNSUPPORTED),
                Arguments.of("only a data channel", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                        + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n",
                        NegotiationException.SDP_UNSUPPORTED),
                Arguments.of("all m-lines rejected", CHROMIUM.replace("m=audio 9 ", "m=audio 0 ").replaceAll("m=audio [0-9]+ ", "m=audio 0 ")
                        .replace("m=video 9 ", "m=video 0 "), NegotiationException.SDP_UNSUPPORTED),
                Arguments.of("one extension, two ids in one BUNDLE group",
                        replace(CHROMIUM, "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\na=extmap:13",
                                "a=extmap:9 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\na=extmap:13"),
                        NegotiationException.SDP_UNSUPPORTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejectsWithAStableCode(String name, String offer, String code) {
        NegotiationException e = catchThrowableOfType(NegotiationException.class, () -> PublisherNegotiation.answer(offer, LOCAL));
        assertThat(e).as(name).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    }

    @Test
    void simulcastOffersAreAnsweredWithEveryRidReceived() throws Exception {
        for (String file : List.of("chromium-156-offer-simulcast.sdp", "firefox-153-offer-simulcast.sdp")) {
            SessionDescription offer = SdpParser.parse(new String(
                    getClass().getResourceAsStream("/sdp/" + file).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            PublisherAnswer result = PublisherNegotiation.answer(offer, new LocalTransportParameters("ufrag", "pwdpwdpwdpwdpwdpwdpwdpwd",
                    "sha-256", "AB:CD", List.of("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host"), 1));
            PublishedTrack video = result.tracks().stream().filter(t -> t.kind() == MediaKind.VIDEO).findFirst().orElseThrow();
            assertThat(video.simulcast()).as(file).isTrue();
            assertThat(video.rids()).as(file).hasSize(3);
            assertThat(video.ssrc()).as(file).isEqualTo(-1);
            var answered = result.answer().mediaByMid(video.mid()).orElseThrow();
            assertThat(answered.rids()).extracting(org.medibridge.sdp.Rid::id).containsExactlyElementsOf(video.rids());
            assertThat(answered.rids()).allMatch(r -> r.direction().equals("recv"));
            assertThat(answered.simulcast()).isEqualTo("recv " + String.join(";", video.rids()));
            assertThat(result.headerExtensions()).containsKey("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
            // The answer is valid SDP that parses back.
            assertThat(SdpParser.parse(org.medibridge.sdp.SdpWriter.write(result.answer())).media()).hasSameSizeAs(offer.media());
        }
    }
}
