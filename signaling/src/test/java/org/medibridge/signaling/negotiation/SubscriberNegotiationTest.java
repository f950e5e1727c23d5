package org.medibridge.signaling.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.junit.jupiter.params.provider.ValueSource;
import org.medibridge.rtp.RtpHeaderExtensionUris;
import org.medibridge.sdp.Codec;
import org.medibridge.sdp.Direction;
import org.medibridge.sdp.ExtMap;
import org.medibridge.sdp.Group;
import org.medibridge.sdp.MediaDescription;
import org.medibridge.sdp.Msid;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.sdp.Setup;
import org.medibridge.sdp.SsrcAttribute;
import org.medibridge.sdp.SsrcGroup;

class SubscriberNegotiationTest {
    private static final SessionDescription OFFER_1 = SubscriberNegotiation.offer(LOCAL, 1, Fixtures.SUBSCRIBER_TRACKS_1);
    private static final SessionDescription OFFER_2 = SubscriberNegotiation.offer(LOCAL, 2, Fixtures.SUBSCRIBER_TRACKS_2);
    private static final String CHROMIUM_ANSWER = Fixtures.sdp(Fixtures.CHROMIUM + "-subscriber-answer.sdp");
    private static final Map<String, Integer> OUR_EXTENSIONS = Map.of(RtpHeaderExtensionUris.AUDIO_LEVEL, 1,
            RtpHeaderExtensionUris.ABS_SEND_TIME, 2, RtpHeaderExtensionUris.TRANSPORT_CC, 3, RtpHeaderExtensionUris.MID, 4);

    private static SessionDescription written(SessionDescription s) throws Exception {
        return SdpParser.parse(SdpWriter.write(s));
    }

    @Test
    void firstOffer() throws Exception {
        SessionDescription offer = written(OFFER_1);
        assertThat(offer).isEqualTo(OFFER_1);
        assertThat(offer.origin().sessionId()).isEqualTo("4242424242");
        assertThat(offer.origin().sessionVersion()).isEqualTo(1);
        assertThat(offer.bundleGroup()).contains(new Group(Group.BUNDLE, List.of("0", "1")));
        assertThat(offer.iceOptions()).isEqualTo("trickle");
        for (MediaDescription m : offer.media()) {
            assertThat(m.direction()).isEqualTo(Direction.SENDONLY);
            assertThat(m.setup()).isEqualTo(Setup.ACTPASS);
            assertThat(m.rtcpMux()).isTrue();
            assertThat(m.iceUfrag()).isEqualTo(LOCAL.iceUfrag());
            assertThat(m.fingerprints()).hasSize(1);
        }
        MediaDescription audio = offer.media().get(0);
        Codec opus = audio.codec(111);
        assertThat(audio.formats()).containsExactly("111");
        assertThat(opus.name()).isEqualTo("opus");
        assertThat(opus.fmtp()).containsExactly(Map.entry("minptime", "10"), Map.entry("useinbandfec", "1"));
        assertThat(audio.extMaps()).containsExactly(new ExtMap(1, RtpHeaderExtensionUris.AUDIO_LEVEL),
                new ExtMap(2, RtpHeaderExtensionUris.ABS_SEND_TIME), new ExtMap(3, RtpHeaderExtensionUris.TRANSPORT_CC),
                new ExtMap(4, RtpHeaderExtensionUris.MID));
        assertThat(audio.ssrcs()).containsExactly(new SsrcAttribute(1001, "cname", "remote-cname"),
                new SsrcAttribute(1001, "msid", "remote-stream remote-audio"));
        assertThat(audio.msids()).containsExactly(new Msid("remote-stream", "remote-audio"));
        assertThat(audio.candidates()).containsExactlyElementsOf(LOCAL.candidates());
        assertThat(audio.endOfCandidates()).isTrue();

        MediaDescription video = offer.media().get(1);
        assertThat(video.formats()).containsExactly("96", "97");
        Codec rtx = video.codec(97);
        assertThat(rtx.name()).isEqualTo("rtx");
        assertThat(rtx.clockRate()).isEqualTo(90000);
        assertThat(rtx.fmtp()).containsExactly(Map.entry("apt", "96"));
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2001L, 2002L)));
        assertThat(video.ssrcs()).containsExactly(new SsrcAttribute(2001, "cname", "remote-cname"),
                new SsrcAttribute(2001, "msid", "remote-stream remote-video"),
                new SsrcAttribute(2002, "cname", "remote-cname"),
                new SsrcAttribute(2002, "msid", "remote-stream remote-video"));
        assertThat(audio.ssrcGroups()).isEmpty();
        assertThat(audio.codecs()).hasSize(1);
        assertThat(video.codec(96).feedback()).containsExactlyInAnyOrder("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
        assertThat(video.extMaps()).extracting(ExtMap::id).containsExactly(2, 3, 4);
        assertThat(video.candidates()).isEmpty();
    }

    @Test
    void reOfferRejectsTheEndedTrackAndAppendsTheNewOne() throws Exception {
        SessionDescription offer = written(OFFER_2);
        assertThat(offer.origin().sessionId()).isEqualTo(OFFER_1.origin().sessionId());
        assertThat(offer.origin().sessionVersion()).isEqualTo(2);
        assertThat(offer.media()).extracting(MediaDescription::mid).containsExactly("0", "1", "2");
        assertThat(offer.bundleGroup()).contains(new Group(Group.BUNDLE, List.of("0", "2")));
        MediaDescription ended = offer.media().get(1);
        assertThat(ended.port()).isZero();
        assertThat(ended.isRejected()).isTrue();
        assertThat(ended.direction()).isNull();
        assertThat(ended.iceUfrag()).isNull();
        assertThat(ended.codecs()).isEmpty();
        assertThat(ended.ssrcs()).isEmpty();
        assertThat(ended.extMaps()).isEmpty();
        assertThat(SdpWriter.writeMedia(ended)).isEqualTo("m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n");
        assertThat(offer.media().get(2).ssrcs().get(0).ssrc()).isEqualTo(3001);
    }

    @Test
    void candidatesMoveToTheNewBundleTag() {
        SessionDescription offer = SubscriberNegotiation.offer(LOCAL, 3,
                List.of(Fixtures.AUDIO_0.deactivated(), Fixtures.VIDEO_1.deactivated(), Fixtures.VIDEO_2));
        assertThat(offer.bundleGroup().orElseThrow().mids()).containsExactly("2");
        assertThat(offer.media().get(2).candidates()).isNotEmpty();
        assertThat(offer.media().get(2).endOfCandidates()).isTrue();
    }

    @Test
    void anOfferWithEveryTrackEndedHasNoBundleGroup() throws Exception {
        SessionDescription offer = SubscriberNegotiation.offer(LOCAL, 3,
                List.of(Fixtures.AUDIO_0.deactivated(), Fixtures.VIDEO_1.deactivated()));
        assertThat(offer.groups()).isEmpty();
        String answer = SdpWriter.write(offer).replace("o=- 4242424242 3", "o=- 1 1");
        SubscriberAnswer a = SubscriberNegotiation.acceptAnswer(offer, answer);
        assertThat(a.acceptedMids()).isEmpty();
        assertThat(a.remoteIceUfrag()).isNull();
    }

    @Test
    void duplicateMidsAreAProgrammingError() {
        assertThatThrownBy(() -> SubscriberNegotiation.offer(LOCAL, 1, List.of(Fixtures.AUDIO_0, Fixtures.AUDIO_0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.CHROMIUM, Fixtures.FIREFOX})
    void acceptsTheRealAnswers(String browser) throws Exception {
        SessionDescription answer1 = SdpParser.parse(Fixtures.sdp(browser + "-subscriber-answer.sdp"));
        SubscriberAnswer first = SubscriberNegotiation.acceptAnswer(OFFER_1, answer1);
        assertThat(first.acceptedMids()).containsExactly("0", "1");
        assertThat(first.serverIsDtlsServer()).isTrue(); // both browsers answer a=setup:active
        assertThat(first.remoteIceUfrag()).isNotBlank();
        assertThat(first.remoteIcePwd()).isNotBlank();
        assertThat(first.remoteFingerprint().algorithm()).isEqualTo("sha-256");
        assertThat(first.remoteCandidates()).isNotEmpty();
        assertThat(first.headerExtensions()).isEqualTo(OUR_EXTENSIONS);
        // Captured before the offer had rtx: the leg falls back to plain retransmission.
        assertThat(first.rtxMids()).isEmpty();

        SubscriberAnswer second = SubscriberNegotiation.acceptAnswer(OFFER_2,
                Fixtures.sdp(browser + "-subscriber-reanswer.sdp"));
        assertThat(second.acceptedMids()).containsExactly("0", "2");
        assertThat(second.remoteIceUfrag()).isEqualTo(first.remoteIceUfrag());
        assertThat(second.remoteFingerprint()).isEqualTo(first.remoteFingerprint());
    }

    /** Chromium's answer with the rtx our offer now carries, as Chromium 156 writes it. */
    static String withRtx(String answer, String apt) {
        return replace(answer.replace("m=video 9 UDP/TLS/RTP/SAVPF 96\r\n", "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"),
                "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=" + apt);
    }

    @Test
    void rtxKeptInTheAnswerIsUsedOnThatMLine() throws Exception {
        SubscriberAnswer a = SubscriberNegotiation.acceptAnswer(OFFER_1, withRtx(CHROMIUM_ANSWER, "96"));
        assertThat(a.acceptedMids()).containsExactly("0", "1");
        assertThat(a.rtxMids()).containsExactly("1");
    }

    @Test
    void rtxRepairingAnotherFormatOrAbsentMeansPlainRetransmission() throws Exception {
        assertThat(SubscriberNegotiation.acceptAnswer(OFFER_1, withRtx(CHROMIUM_ANSWER, "98")).rtxMids()).isEmpty();
        assertThat(SubscriberNegotiation.acceptAnswer(OFFER_1, CHROMIUM_ANSWER).rtxMids()).isEmpty();
        // An offer without rtx (a track built without an RTX SSRC) never reports it, whatever the answer says.
        SessionDescription noRtx = SubscriberNegotiation.offer(LOCAL, 1, List.of(Fixtures.AUDIO_0,
                new OutgoingTrack("1", org.medibridge.sdp.MediaKind.VIDEO, true, 2001, "remote-cname", "remote-stream",
                        "remote-video")));
        assertThat(noRtx.media().get(1).formats()).containsExactly("96");
        assertThat(noRtx.media().get(1).ssrcGroups()).isEmpty();
        assertThat(SubscriberNegotiation.acceptAnswer(noRtx, withRtx(CHROMIUM_ANSWER, "96")).rtxMids()).isEmpty();
    }

    @Test
    void anRtxSsrcIsForVideoAndDiffersFromTheMediaSsrc() {
        assertThatThrownBy(() -> new OutgoingTrack("1", org.medibridge.sdp.MediaKind.AUDIO, true, 1, "c", "s", "t", 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutgoingTrack("1", org.medibridge.sdp.MediaKind.VIDEO, true, 1, "c", "s", "t", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passiveAnswerMakesTheServerTheDtlsClient() throws Exception {
        String answer = replace(CHROMIUM_ANSWER, "a=setup:active", "a=setup:passive");
        assertThat(SubscriberNegotiation.acceptAnswer(OFFER_1, answer).serverIsDtlsServer()).isFalse();
    }

    @Test
    void anAnswerMayRejectAnMLine() throws Exception {
        String answer = CHROMIUM_ANSWER.replace("m=video 9 ", "m=video 0 ");
        assertThat(SubscriberNegotiation.acceptAnswer(OFFER_1, answer).acceptedMids()).containsExactly("0");
    }

    static Stream<Arguments> errors() {
        String reanswer = Fixtures.sdp(Fixtures.CHROMIUM + "-subscriber-reanswer.sdp");
        return Stream.of(
                Arguments.of("not SDP", OFFER_1, "nonsense", NegotiationException.SDP_INVALID),
                Arguments.of("answer to another offer", OFFER_2, CHROMIUM_ANSWER, NegotiationException.SDP_INVALID),
                Arguments.of("mid changed", OFFER_1, replace(CHROMIUM_ANSWER, "a=mid:1", "a=mid:9"),
                        NegotiationException.SDP_INVALID),
                Arguments.of("sendrecv answer", OFFER_1, CHROMIUM_ANSWER.replaceFirst("a=recvonly", "a=sendrecv"),
                        NegotiationException.SDP_INVALID),
                Arguments.of("extension id changed", OFFER_1, replace(CHROMIUM_ANSWER, "a=extmap:2 ", "a=extmap:12 "),
                        NegotiationException.SDP_INVALID),
                Arguments.of("accepts a rejected m-line", OFFER_2, reanswer.replace("m=video 0 ", "m=video 9 "),
                        NegotiationException.SDP_INVALID),
                Arguments.of("no BUNDLE", OFFER_1, withoutLines(CHROMIUM_ANSWER, "a=group:BUNDLE"),
                        NegotiationException.SDP_NO_BUNDLE),
                Arguments.of("no rtcp-mux", OFFER_1, withoutLines(CHROMIUM_ANSWER, "a=rtcp-mux"),
                        NegotiationException.SDP_NO_RTCP_MUX),
                Arguments.of("VP8 not accepted", OFFER_1, replace(CHROMIUM_ANSWER, "a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP9/90000"),
                        NegotiationException.SDP_NO_COMMON_CODEC),
                Arguments.of("no ice-ufrag", OFFER_1, withoutLines(CHROMIUM_ANSWER, "a=ice-ufrag"),
                        NegotiationException.SDP_MISSING_ICE),
                Arguments.of("no fingerprint", OFFER_1, withoutLines(CHROMIUM_ANSWER, "a=fingerprint"),
                        NegotiationException.SDP_MISSING_FINGERPRINT),
                Arguments.of("actpass in an answer", OFFER_1, replace(CHROMIUM_ANSWER, "a=setup:active", "a=setup:actpass"),
                        NegotiationException.SDP_UNSUPPORTED),
                Arguments.of("no setup", OFFER_1, withoutLines(CHROMIUM_ANSWER, "a=setup"), NegotiationException.SDP_UNSUPPORTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void rejectsWithAStableCode(String name, SessionDescription offer, String answer, String code) {
        NegotiationException e = catchThrowableOfType(NegotiationException.class,
                () -> SubscriberNegotiation.acceptAnswer(offer, answer));
        assertThat(e).as(name).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    }
}
