package org.medibridge.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.medibridge.codec.vp8.Vp8Descriptor;
import org.medibridge.rtp.RtpPacket;

/**
 * Drives a {@link SimulcastSource} through the per-leg chain the router runs — LayerBitrates,
 * LayerSelector, SimulcastRewriter — and, when checking, plays the subscriber: every packet that
 * goes out is checked for continuity (SSRC, sequence +1, timestamps, picture id, TL0PICIDX, key
 * flag), and every output frame for completeness and decodability under the source's
 * dependency model.
 */
final class SimulcastHarness {
    static final long LEG_SSRC = 0xC0FFEE01L;
    static final long PACING_NANOS = 200_000L;

    final SimulcastSource source;
    final LayerSelector selector = new LayerSelector();
    final SimulcastRewriter rewriter;
    final LayerBitrates bitrates = new LayerBitrates();
    final byte[] scratch = new byte[SimulcastSource.PACKET_SIZE];
    final boolean check;
    final Receiver receiver = new Receiver();
    /** Key frames asked for by "other subscribers" per instant, per mille. */
    int otherKeyframesPerMille = 20;

    SimulcastHarness(SimulcastSource source, int firstSequence, long timestampOffset, boolean check) {
        this.source = source;
        this.rewriter = new SimulcastRewriter(LEG_SSRC, firstSequence, timestampOffset, 90000);
        this.check = check;
    }

    /** One capture instant: every layer's frame, packet by packet, then keyframe requests. */
    void step() {
        SimulcastSource s = source;
        s.nextInstant();
        for (int i = 0; i < s.count; i++) {
            long now = s.nowNanos + i * PACING_NANOS;
            int l = s.layer[i];
            bitrates.onPacket(l, s.tid[i], s.len[i], now);
            Decision d = selector.onPacket(l, s.tid[i], s.sync[i], s.key[i], s.start[i], s.marker[i]);
            if (d.forwards()) {
                System.arraycopy(s.buf[i], 0, scratch, 0, s.len[i]);
                boolean sent = rewriter.rewrite(scratch, 0, s.len[i], l, d == Decision.SWITCH, now);
                if (check) {
                    assertThat(sent).as("a forwarded packet goes out").isTrue();
                    receiver.accept(scratch, s.len[i], i, d, now);
                }
            } else {
                rewriter.onDropped(s.buf[i], 0, s.len[i], l);
            }
        }
        for (int l = 0; l < SimulcastSource.LAYERS; l++) {
            if (selector.needsKeyframe(l)) {
                s.requestKeyframe(l, 1 + s.random.nextInt(4));
            }
        }
        if (s.random.nextInt(1000) < otherKeyframesPerMille) {
            s.requestKeyframe(s.random.nextInt(SimulcastSource.LAYERS), 1 + s.random.nextInt(4));
        }
    }

    /** The subscriber's view of the output. */
    final class Receiver {
        private final RtpPacket rtp = new RtpPacket();
        private final Vp8Descriptor vp8 = new Vp8Descriptor();
        long packets;
        long frames;
        int seqWraps;
        int tsWraps;
        int pictureIdWraps;
        int tl0Wraps;
        int switches;
        int abandoned;
        int decodedFrames;
        private int lastSeq;
        private long lastTs;
        private long lastNanos;
        private int lastPid;
        private int lastTl0 = -1;
        // The output frame being received.
        private int fLayer = -1;
        private int fFrame;
        private int fPackets;
        private int fExpected;
        private boolean fKey;
        private int fRefA;
        private int fRefB;
        private int decoderLayer = -1;
        private final Set<Integer> decoded = new HashSet<>();

        void accept(byte[] b, int len, int i, Decision d, long now) {
            SimulcastSource s = source;
            assertThat(rtp.wrap(b, 0, len)).isTrue();
            assertThat(vp8.wrap(b, rtp.payloadOffset(), rtp.payloadLength())).isTrue();
            assertThat(rtp.ssrc()).isEqualTo(LEG_SSRC);
            int seq = rtp.sequenceNumber();
            long ts = rtp.timestamp();
            int pid = vp8.pictureId();
            int mask = (1 << vp8.pictureIdBits()) - 1;
            int tl0 = vp8.tl0PicIdx();
            assertThat(vp8.isKeyFrameStart()).as("key flag untouched").isEqualTo(s.key[i]);
            assertThat(vp8.isFrameStart()).isEqualTo(s.start[i]);
            assertThat(vp8.temporalLayer()).isEqualTo(s.tid[i]);
            if (packets > 0) {
                assertThat(seq).as("sequence +1 per forwarded packet").isEqualTo((lastSeq + 1) & 0xFFFF);
                assertThat((int) (ts - lastTs)).as("timestamps never go back").isGreaterThanOrEqualTo(0);
                if (d == Decision.SWITCH) {
                    long elapsed = Math.max(1, (now - lastNanos) / 1000 * 90000 / 1_000_000L);
                    assertThat(ts).as("a switch continues the timeline").isEqualTo((lastTs + elapsed) & 0xFFFFFFFFL);
                }
                if (s.start[i]) {
                    assertThat((pid - lastPid) & mask).as("picture id +1 per frame").isEqualTo(1);
                    assertThat(tl0).as("TL0PICIDX +1 per TID 0 frame")
                            .isEqualTo(s.tid[i] == 0 ? (lastTl0 + 1) & 0xFF : lastTl0);
                    assertThat(ts).as("a new frame has a new timestamp").isNotEqualTo(lastTs);
                } else {
                    assertThat(pid).isEqualTo(lastPid);
                    assertThat(tl0).isEqualTo(lastTl0);
                    assertThat(ts).as("one timestamp per frame").isEqualTo(lastTs);
                }
                seqWraps += seq < lastSeq ? 1 : 0;
                tsWraps += ts < lastTs ? 1 : 0;
                pictureIdWraps += pid < lastPid ? 1 : 0;
                tl0Wraps += tl0 < lastTl0 ? 1 : 0;
            }
            if (d == Decision.SWITCH) {
                switches++;
            }
            if (s.start[i]) {
                finishFrame(s.key[i]);
                fLayer = s.layer[i];
                fFrame = s.frame[i];
                fPackets = 0;
                fExpected = s.framePackets[i];
                fKey = s.key[i];
                fRefA = s.refA[i];
                fRefB = s.refB[i];
                frames++;
            } else {
                assertThat(s.layer[i] == fLayer && s.frame[i] == fFrame)
                        .as("a continuation belongs to the frame being sent").isTrue();
            }
            assertThat(s.frameIndex[i]).as("no packet of a frame skipped").isEqualTo(fPackets);
            fPackets++;
            lastSeq = seq;
            lastTs = ts;
            lastNanos = now;
            lastPid = pid;
            lastTl0 = tl0;
            packets++;
        }

        private void finishFrame(boolean nextIsKey) {
            if (fLayer < 0) {
                return;
            }
            if (fPackets < fExpected) {
                assertThat(nextIsKey).as("a frame is cut only right before a key frame").isTrue();
                abandoned++;
                return;
            }
            if (fKey) {
                decoderLayer = fLayer;
                decoded.clear();
            } else {
                assertThat(fLayer).as("a delta frame of the layer the decoder holds").isEqualTo(decoderLayer);
                assertThat(fRefA < 0 || decoded.contains(fRefA)).as("reference %d of frame %d/%d", fRefA, fLayer, fFrame).isTrue();
                assertThat(fRefB < 0 || decoded.contains(fRefB)).as("reference %d of frame %d/%d", fRefB, fLayer, fFrame).isTrue();
            }
            decoded.add(fFrame);
            decodedFrames++;
        }
    }
}
