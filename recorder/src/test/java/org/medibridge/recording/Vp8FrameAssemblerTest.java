package org.medibridge.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 7741 frame assembly behind a jitter buffer, as the recorder runs it. */
class Vp8FrameAssemblerTest {
    /** RFC 6386 §9.1 key frame start, from libvpx: tag b0 5a 00, start code, 320 x 240. */
    private static final byte[] KEY_HEADER = {(byte) 0xb0, 0x5a, 0x00, (byte) 0x9d, 0x01, 0x2a, 0x40, 0x01, (byte) 0xf0, 0x00};

    private final List<String> frames = new ArrayList<>();
    private final List<byte[]> frameBytes = new ArrayList<>();
    private int keyframeRequests;
    private Vp8FrameAssembler vp8;
    private JitterBuffer jitter;

    @BeforeEach
    void setUp() {
        vp8 = new Vp8FrameAssembler(new Vp8FrameAssembler.Listener() {
            @Override
            public void onFrame(long ts, boolean keyframe, byte[] frame, int len, long arrival, int w, int h) {
                frames.add((keyframe ? "K" : "D") + ts + (keyframe ? "(" + w + "x" + h + ")" : ""));
                frameBytes.add(Arrays.copyOf(frame, len));
            }

            @Override
            public void onKeyframeNeeded() {
                keyframeRequests++;
            }
        });
        jitter = new JitterBuffer(64, 150_000_000L, new JitterBuffer.Listener() {
            @Override
            public void onPacket(QueuedPacket p) throws IOException {
                vp8.onPacket(p);
            }

            @Override
            public void onLoss(int count) {
                vp8.onLoss();
            }

            @Override
            public void onDiscard(QueuedPacket p) {
            }
        });
    }

    /**
     * One frame as RTP packets: {@code parts} payloads, each with a 1-byte descriptor
     * (S = 1 PID = 0 on the first: 0x10, else 0x00), the marker on the last.
     */
    private static List<QueuedPacket> frame(int firstSeq, long ts, boolean key, int parts, boolean marker) {
        List<QueuedPacket> out = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            byte[] body;
            if (i == 0) {
                body = key ? KEY_HEADER.clone() : new byte[] {(byte) 0xb1, 0x11, 0x22};
            } else {
                body = new byte[] {(byte) (0x40 + i), (byte) (ts & 0x7f)};
            }
            byte[] payload = new byte[1 + body.length];
            payload[0] = (byte) (i == 0 ? 0x10 : 0x00);
            System.arraycopy(body, 0, payload, 1, body.length);
            out.add(QueuedPacket.of((firstSeq + i) & 0xFFFF, ts, marker && i == parts - 1, 0, payload));
        }
        return out;
    }

    private void feed(List<QueuedPacket> packets, int... order) throws IOException {
        for (int i : order) {
            jitter.insert(packets.get(i));
        }
    }

    private void feedAll(List<QueuedPacket> packets) throws IOException {
        for (QueuedPacket p : packets) {
            jitter.insert(p);
        }
    }

    @Test
    void reorderedPacketsMakeOneFrameWithDescriptorsStripped() throws IOException {
        feedAll(frame(99, 6000, true, 1, true));  // the buffer starts at the first packet it sees
        List<QueuedPacket> key = frame(100, 9000, true, 3, true);
        feed(key, 2, 0, 1);
        assertThat(frames).containsExactly("K6000(320x240)", "K9000(320x240)");
        // descriptor bytes gone, payloads concatenated in sequence order
        byte[] expected = new byte[KEY_HEADER.length + 4];
        System.arraycopy(KEY_HEADER, 0, expected, 0, KEY_HEADER.length);
        expected[10] = 0x41;
        expected[11] = (byte) (9000 & 0x7f);
        expected[12] = 0x42;
        expected[13] = (byte) (9000 & 0x7f);
        assertThat(frameBytes.get(1)).isEqualTo(expected);
        assertThat(keyframeRequests).isZero();
    }

    @Test
    void recordingStartsAtAKeyFrame() throws IOException {
        feedAll(frame(1, 0, false, 2, true));        // delta first: useless
        feedAll(frame(3, 3000, true, 2, true));
        feedAll(frame(5, 6000, false, 1, true));
        assertThat(frames).containsExactly("K3000(320x240)", "D6000");
        assertThat(keyframeRequests).isEqualTo(1);
        assertThat(vp8.framesDropped()).isEqualTo(1);
    }

    @Test
    void lostMiddlePacketDropsTheFrameAndDeltasUntilTheNextKeyFrame() throws IOException {
        feedAll(frame(1, 0, true, 2, true));            // K0: seq 1-2
        List<QueuedPacket> broken = frame(3, 3000, false, 3, true);  // seq 3-5, 4 is lost
        feed(broken, 0, 2);
        feedAll(frame(6, 6000, false, 2, true));        // seq 6-7: arrives, gap at 4 still open
        // 150 ms later the buffer gives up on seq 4.
        jitter.expire(200_000_000L);
        assertThat(frames).containsExactly("K0(320x240)");
        assertThat(keyframeRequests).isGreaterThanOrEqualTo(1);
        int requestsAfterLoss = keyframeRequests;

        feedAll(frame(8, 9000, false, 1, true));        // still waiting for a key frame
        assertThat(keyframeRequests).isGreaterThan(requestsAfterLoss);  // asked again (caller throttles)
        feedAll(frame(9, 12000, true, 2, true));
        feedAll(frame(11, 15000, false, 1, true));
        assertThat(frames).containsExactly("K0(320x240)", "K12000(320x240)", "D15000");
        assertThat(vp8.framesDropped()).isEqualTo(3);  // D3000 (broken), D6000, D9000 (no reference)
    }

    @Test
    void lossOfAWholeFrameBetweenFramesStillWaitsForAKeyFrame() throws IOException {
        feedAll(frame(1, 0, true, 1, true));
        feedAll(frame(3, 6000, false, 1, true));   // seq 2 (a whole delta frame) never comes
        jitter.flush();
        assertThat(frames).containsExactly("K0(320x240)");
        assertThat(keyframeRequests).isGreaterThanOrEqualTo(1);
    }

    @Test
    void markerlessFramesAreEndedByTheNextTimestamp() throws IOException {
        feedAll(frame(1, 0, true, 2, false));
        feedAll(frame(3, 3000, false, 2, false));
        feedAll(frame(5, 6000, false, 1, true));
        assertThat(frames).containsExactly("K0(320x240)", "D3000", "D6000");
    }

    @Test
    void openFrameAtEndOfStreamIsDropped() throws IOException {
        feedAll(frame(1, 0, true, 1, true));
        feedAll(frame(2, 3000, false, 2, false));
        jitter.flush();
        vp8.flush();
        assertThat(frames).containsExactly("K0(320x240)");
        assertThat(vp8.framesDropped()).isEqualTo(1);
    }

    @Test
    void paddingOnlyPacketsAreNeitherMediaNorLoss() throws IOException {
        feedAll(frame(1, 0, true, 1, true));
        jitter.insert(QueuedPacket.of(2, 0, false, 0, new byte[0]));
        feedAll(frame(3, 3000, false, 1, true));
        assertThat(frames).containsExactly("K0(320x240)", "D3000");
        assertThat(keyframeRequests).isZero();
    }

    @Test
    void keyFrameWithBadStartCodeIsNotWritten() throws IOException {
        List<QueuedPacket> key = frame(1, 0, true, 1, true);
        key.get(0).buf[5] = 0x00;  // start code 9d 01 2a broken
        feedAll(key);
        assertThat(frames).isEmpty();
        assertThat(keyframeRequests).isEqualTo(1);
    }
}
