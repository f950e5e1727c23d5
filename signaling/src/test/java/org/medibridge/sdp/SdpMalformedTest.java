package org.medibridge.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed descriptions: each must fail with SdpParseException naming the line, nothing else. */
class SdpMalformedTest {
    /** Lines 1-4 are the session, 5 the m= line, 6 its c= line; a case's own lines start at 7. */
    private static final String HEAD = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String MEDIA = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n";

    private static Arguments media(String name, String lines, int line) {
        return Arguments.of(name, HEAD + MEDIA + lines, line);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty", "", 0),
                Arguments.of("v=1", "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", 1),
                Arguments.of("no v= line", "o=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", 1),
                Arguments.of("o= with five fields", "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n", 2),
                Arguments.of("o= session id not a number", "v=0\r\no=- x1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", 2),
                Arguments.of("o= version overflows", "v=0\r\no=- 1 99999999999999999999 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", 2),
                Arguments.of("o= version negative", "v=0\r\no=- 1 -1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", 2),
                Arguments.of("no s= line", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n", 3),
                Arguments.of("ends after o=", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", 0),
                Arguments.of("no t= line", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n", 0),
                Arguments.of("two t= lines", HEAD + "t=0 0\r\n", 5),
                Arguments.of("t= not numbers", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=now later\r\n", 4),
                Arguments.of("m= before t=", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n" + MEDIA + "t=0 0\r\n", 4),
                Arguments.of("line without =", HEAD + "garbage\r\n", 5),
                Arguments.of("upper-case type", HEAD + "A=foo\r\n", 5),
                Arguments.of("empty line", HEAD + "\r\n" + MEDIA, 5),
                Arguments.of("empty attribute name", HEAD + "a=\r\n", 5),
                Arguments.of("bad attribute name", HEAD + "a=fo o:1\r\n", 5),
                Arguments.of("a=rtpmap without an m= line", HEAD + "a=rtpmap:111 opus/48000/2\r\n", 5),
                Arguments.of("a=mid without an m= line", HEAD + "a=mid:0\r\n", 5),
                Arguments.of("a=candidate without an m= line", HEAD + "a=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\n", 5),
                Arguments.of("NUL in a line", HEAD + "a=foo:b\0r\r\n", 5),
                Arguments.of("CR in a line", HEAD + "a=foo:b\rr\r\n", 5),
                Arguments.of("m= port not a number", HEAD + "m=audio x UDP/TLS/RTP/SAVPF 111\r\n", 5),
                Arguments.of("m= port too large", HEAD + "m=audio 70000 UDP/TLS/RTP/SAVPF 111\r\n", 5),
                Arguments.of("m= port count", HEAD + "m=audio 9/2 UDP/TLS/RTP/SAVPF 111\r\n", 5),
                Arguments.of("m= without formats", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", 5),
                Arguments.of("m= payload type 128", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 128\r\n", 5),
                Arguments.of("m= payload type not a number", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF opus\r\n", 5),
                Arguments.of("m= duplicate format", HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 111 111\r\n", 5),
                media("rtpmap for a payload type not in m=", "a=rtpmap:96 VP8/90000\r\n", 7),
                media("rtpmap clock rate not a number", "a=rtpmap:111 opus/fast/2\r\n", 7),
                media("rtpmap without clock rate", "a=rtpmap:111 opus\r\n", 7),
                media("rtpmap zero channels", "a=rtpmap:111 opus/48000/0\r\n", 7),
                media("rtpmap four parts", "a=rtpmap:111 opus/48000/2/1\r\n", 7),
                media("duplicate rtpmap", "a=rtpmap:111 opus/48000/2\r\na=rtpmap:111 opus/48000/2\r\n", 8),
                media("fmtp without parameters", "a=fmtp:111\r\n", 7),
                media("fmtp with empty parameters", "a=fmtp:111 ;;\r\n", 7),
                media("fmtp parameter without name", "a=fmtp:111 =1\r\n", 7),
                media("duplicate fmtp", "a=fmtp:111 minptime=10\r\na=fmtp:111 useinbandfec=1\r\n", 8),
                media("rtcp-fb without type", "a=rtcp-fb:111\r\n", 7),
                media("rtcp-fb for unknown payload type", "a=rtcp-fb:100 nack\r\n", 7),
                media("extmap id 0", "a=extmap:0 urn:x\r\n", 7),
                media("extmap id 256", "a=extmap:256 urn:x\r\n", 7),
                media("extmap bad direction", "a=extmap:1/sideways urn:x\r\n", 7),
                media("extmap without URI", "a=extmap:1\r\n", 7),
                media("duplicate extmap id", "a=extmap:1 urn:x\r\na=extmap:1 urn:y\r\n", 8),
                media("ssrc not a number", "a=ssrc:abc cname:x\r\n", 7),
                media("ssrc above 32 bits", "a=ssrc:4294967296 cname:x\r\n", 7),
                media("ssrc without attribute", "a=ssrc:1\r\n", 7),
                media("ssrc-group without ssrcs", "a=ssrc-group:FID\r\n", 7),
                media("fingerprint not hex", "a=fingerprint:sha-256 ZZ:11\r\n", 7),
                media("fingerprint without value", "a=fingerprint:sha-256\r\n", 7),
                media("unknown setup", "a=setup:sideways\r\n", 7),
                media("two directions", "a=sendonly\r\na=recvonly\r\n", 8),
                media("direction with a value", "a=sendonly:yes\r\n", 7),
                media("rtcp-mux with a value", "a=rtcp-mux:1\r\n", 7),
                media("duplicate rtcp-mux", "a=rtcp-mux\r\na=rtcp-mux\r\n", 8),
                media("duplicate mid", "a=mid:0\r\na=mid:1\r\n", 8),
                media("mid of an earlier m-line", "a=mid:0\r\n" + MEDIA + "a=mid:0\r\n", 10),
                media("empty mid", "a=mid:\r\n", 7),
                media("duplicate ice-ufrag", "a=ice-ufrag:a\r\na=ice-ufrag:b\r\n", 8),
                media("ice-ufrag of two words", "a=ice-ufrag:a b\r\n", 7),
                media("candidate too short", "a=candidate:1 1 udp 1 1.2.3.4 5\r\n", 7),
                media("candidate without typ", "a=candidate:1 1 udp 1 1.2.3.4 5 type host\r\n", 7),
                media("candidate port too large", "a=candidate:1 1 udp 1 1.2.3.4 65536 typ host\r\n", 7),
                media("candidate priority not a number", "a=candidate:1 1 udp high 1.2.3.4 5 typ host\r\n", 7),
                media("rid bad direction", "a=rid:q sideways\r\n", 7),
                media("msid with three parts", "a=msid:a b c\r\n", 7),
                media("duplicate simulcast", "a=simulcast:send q\r\na=simulcast:send q\r\n", 8),
                media("c= with two fields", "c=IN IP4\r\n", 7),
                media("duplicate c=", "c=IN IP4 0.0.0.0\r\n", 7),
                media("b= without type", "b=100\r\n", 7),
                media("u= inside media", "u=http://example.invalid/\r\n", 7),
                media("t= inside media", "t=0 0\r\n", 7),
                media("o= again", "o=- 1 1 IN IP4 0.0.0.0\r\n", 7),
                Arguments.of("65 m= lines", HEAD + MEDIA.repeat(65), 5 + 2 * 64),
                Arguments.of("larger than 64 KiB", HEAD + "a=x:" + "y".repeat(SdpParser.MAX_BYTES) + "\r\n", 0),
                Arguments.of("64 KiB in UTF-8 bytes", HEAD + "a=x:" + "\u00e9".repeat(SdpParser.MAX_BYTES / 2) + "\r\n", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(String name, String sdp, int line) {
        Throwable t = catchThrowable(() -> SdpParser.parse(sdp));
        assertThat(t).isInstanceOf(SdpParseException.class);
        SdpParseException e = (SdpParseException) t;
        assertThat(e.lineNumber()).as(e.getMessage()).isEqualTo(line);
        if (line > 0) {
            assertThat(e.getMessage()).startsWith("line " + line + ": ");
        }
    }
}
