package org.medibridge.webm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.webm.MatroskaIds.*;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medibridge.recording.storage.RecordingOutput;
import org.medibridge.webm.EbmlReader.Element;
import org.medibridge.webm.EbmlReader.Frame;

/** The writer's output walked with {@link EbmlReader}: structure, positions and patches. */
class WebmWriterTest {
    static final byte[] OPUS = {0x78, 1, 2, 3, 4, 5};
    static final byte[] VP8_KEY = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, 0x40, 0x01, (byte) 0xf0, 0x00};
    static final byte[] VP8_DELTA = {0x31, 0x02, 0x00, 7, 7, 7};

    /** 20 ms audio and 33 ms video for {@code millis}, a keyframe every {@code gop} video frames. */
    static void feed(WebmWriter w, long millis, int gop) throws IOException {
        long audio = 0;
        long video = 0;
        int frame = 0;
        while (audio < millis || video < millis) {
            if (audio <= video && audio < millis) {
                w.writeAudio(audio, OPUS, 0, OPUS.length);
                audio += 20;
            } else {
                byte[] f = frame % gop == 0 ? VP8_KEY : VP8_DELTA;
                w.writeVideo(video, frame % gop == 0, f, 0, f.length);
                video += 33;
                frame++;
            }
        }
    }

    @Test
    void headFillsTheHeaderRegionExactly() throws IOException {
        MemoryOutput out = new MemoryOutput();
        WebmWriter w = new WebmWriter(out, "Visit 42 — Dr. Müller");
        assertThat(out.size()).isEqualTo(RecordingOutput.HEADER_REGION);
        assertThat(out.flushes).isEqualTo(1);

        Element segment = EbmlReader.segment(out.bytes());
        assertThat(segment.unknownSize()).isTrue();
        assertThat(segment.dataStart()).isEqualTo(48);   // 36-byte EBML header + Segment id (4) + size (8)
        List<Element> children = segment.children();
        assertThat(children).extracting(Element::id).containsExactly(SEEK_HEAD, INFO, TRACKS, VOID);
        assertThat(children.get(children.size() - 1).end()).isEqualTo(RecordingOutput.HEADER_REGION);

        Element seekHead = segment.child(SEEK_HEAD);
        assertThat(seekHead.all(SEEK)).hasSize(2);
        assertThat(seekHead.child(VOID).size()).isEqualTo(19);   // 21 bytes reserved for the Cues entry
        for (Element seek : seekHead.all(SEEK)) {
            int id = (int) seek.child(SEEK_ID).uint();
            long at = segment.dataStart() + seek.child(SEEK_POSITION).uint();
            assertThat(children).filteredOn(e -> e.start() == at).extracting(Element::id).containsExactly(id);
        }

        Element info = segment.child(INFO);
        assertThat(info.child(TIMECODE_SCALE).uint()).isEqualTo(1_000_000);
        assertThat(info.has(DURATION)).isFalse();
        assertThat(info.child(VOID).size()).isEqualTo(9);   // 11 bytes reserved for Duration
        assertThat(info.child(TITLE).string()).isEqualTo("Visit 42 — Dr. Müller");
        assertThat(info.child(MUXING_APP).string()).isEqualTo("MediBridge");
        assertThat(info.child(WRITING_APP).string()).isEqualTo("MediBridge");

        List<Element> tracks = segment.child(TRACKS).all(TRACK_ENTRY);
        assertThat(tracks).hasSize(2);
        Element audio = tracks.get(0);
        assertThat(audio.child(TRACK_NUMBER).uint()).isEqualTo(1);
        assertThat(audio.child(TRACK_UID).uint()).isNotZero();
        assertThat(audio.child(TRACK_TYPE).uint()).isEqualTo(2);
        assertThat(audio.child(CODEC_ID).string()).isEqualTo("A_OPUS");
        assertThat(audio.child(CODEC_PRIVATE).bytes()).isEqualTo(WebmWriter.opusHead());
        assertThat(audio.child(CODEC_DELAY).uint()).isEqualTo(6_500_000);
        assertThat(audio.child(SEEK_PRE_ROLL).uint()).isEqualTo(80_000_000);
        assertThat(audio.child(AUDIO).child(SAMPLING_FREQUENCY).floatValue()).isEqualTo(48_000.0);
        assertThat(audio.child(AUDIO).child(CHANNELS).uint()).isEqualTo(2);
        Element video = tracks.get(1);
        assertThat(video.child(TRACK_NUMBER).uint()).isEqualTo(2);
        assertThat(video.child(TRACK_TYPE).uint()).isEqualTo(1);
        assertThat(video.child(CODEC_ID).string()).isEqualTo("V_VP8");
        assertThat(video.child(VIDEO).child(PIXEL_WIDTH).uint()).isEqualTo(640);
        assertThat(video.child(VIDEO).child(PIXEL_HEIGHT).uint()).isEqualTo(480);

        w.setVideoSize(1280, 720);
        Element patched = EbmlReader.segment(out.bytes()).child(TRACKS).all(TRACK_ENTRY).get(1).child(VIDEO);
        assertThat(patched.child(PIXEL_WIDTH).uint()).isEqualTo(1280);
        assertThat(patched.child(PIXEL_HEIGHT).uint()).isEqualTo(720);
        assertThat(out.size()).isEqualTo(RecordingOutput.HEADER_REGION);
    }

    @Test
    void longestTitleStillFits() throws IOException {
        MemoryOutput out = new MemoryOutput();
        new WebmWriter(out, "x".repeat(WebmWriter.MAX_TITLE_BYTES));
        assertThat(out.size()).isEqualTo(RecordingOutput.HEADER_REGION);
        assertThatThrownBy(() -> new WebmWriter(new MemoryOutput(), "x".repeat(WebmWriter.MAX_TITLE_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void finishedFileRoundTrips() throws IOException {
        MemoryOutput out = new MemoryOutput();
        WebmWriter w = new WebmWriter(out, null);
        feed(w, 12_000, 90);   // keyframes at 0, ~2.97 s, ~5.94 s, ~8.91 s, ~11.88 s
        assertThat(w.durationMillis()).isBetween(12_000L, 12_040L);
        w.finish();
        assertThat(out.closed).isTrue();
        byte[] file = out.bytes();

        Element segment = EbmlReader.segment(file);
        assertThat(segment.unknownSize()).isFalse();
        assertThat(segment.end()).isEqualTo(file.length);
        assertThat(segment.child(INFO).child(DURATION).floatValue()).isEqualTo(w.durationMillis());
        assertThat(segment.child(INFO).child(DURATION).size()).isEqualTo(8);

        // SeekHead: three entries now, each pointing at its element.
        Element seekHead = segment.child(SEEK_HEAD);
        assertThat(seekHead.all(SEEK)).hasSize(3);
        assertThat(seekHead.has(VOID)).isFalse();
        for (Element seek : seekHead.all(SEEK)) {
            int id = (int) seek.child(SEEK_ID).uint();
            long at = segment.dataStart() + seek.child(SEEK_POSITION).uint();
            assertThat(segment.children()).filteredOn(e -> e.start() == at).extracting(Element::id).containsExactly(id);
        }

        List<Element> clusters = segment.all(CLUSTER);
        assertThat(clusters.get(0).start()).isEqualTo(RecordingOutput.HEADER_REGION);
        // Clusters: at each keyframe, and no longer than 5 s.
        for (Element c : clusters) {
            long t = c.child(TIMECODE).uint();
            List<Element> blocks = c.all(SIMPLE_BLOCK);
            long last = t + (short) ((blocks.get(blocks.size() - 1).bytes()[1] & 0xFF) << 8
                    | (blocks.get(blocks.size() - 1).bytes()[2] & 0xFF));
            assertThat(last - t).isLessThan(WebmWriter.MAX_CLUSTER_MILLIS);
        }
        List<Frame> frames = EbmlReader.frames(file);
        List<Frame> keyframes = frames.stream().filter(f -> f.track() == 2 && f.keyframe()).toList();
        assertThat(keyframes).hasSize(5);

        // Cues: one per video keyframe, each at the start of a Cluster that holds that keyframe.
        List<Element> points = segment.child(CUES).all(CUE_POINT);
        assertThat(points).hasSizeGreaterThanOrEqualTo(keyframes.size());
        long previous = -1;
        for (Element p : points) {
            long time = p.child(CUE_TIME).uint();
            assertThat(time).isGreaterThanOrEqualTo(previous);
            previous = time;
            Element tp = p.child(CUE_TRACK_POSITIONS);
            long at = segment.dataStart() + tp.child(CUE_CLUSTER_POSITION).uint();
            Element cluster = clusters.stream().filter(c -> c.start() == at).findFirst()
                    .orElseThrow(() -> new AssertionError("cue at " + at + " is not a Cluster"));
            long clusterTime = cluster.child(TIMECODE).uint();
            int track = (int) tp.child(CUE_TRACK).uint();
            assertThat(EbmlReader.frames(slice(file, cluster)).stream()
                    .anyMatch(f -> f.track() == track && f.timecode() == time && f.keyframe())).isTrue();
            assertThat(time).isGreaterThanOrEqualTo(clusterTime);
        }
        assertThat(points.stream().filter(p -> p.child(CUE_TRACK_POSITIONS).child(CUE_TRACK).uint() == 2))
                .hasSize(keyframes.size());
        // Every cluster that starts with a keyframe starts a GOP.
        for (Frame k : keyframes) {
            assertThat(clusters.stream().anyMatch(c -> c.child(TIMECODE).uint() <= k.timecode()
                    && firstVideo(file, c) == k.timecode())).isTrue();
        }

        // Frames: all there, per-track timecodes as written.
        assertThat(frames.stream().filter(f -> f.track() == 1)).hasSize(600);
        assertThat(frames.stream().filter(f -> f.track() == 2).map(Frame::timecode).toList())
                .isSorted().startsWith(0L, 33L, 66L);
        assertThat(frames.stream().filter(f -> f.track() == 1).allMatch(f -> f.keyframe())).isTrue();
    }

    @Test
    void audioOnlyClustersEveryFiveSecondsWithCues() throws IOException {
        MemoryOutput out = new MemoryOutput();
        WebmWriter w = new WebmWriter(out, null);
        for (long t = 0; t < 16_000; t += 20) {
            w.writeAudio(t, OPUS, 0, OPUS.length);
        }
        w.finish();
        Element segment = EbmlReader.segment(out.bytes());
        assertThat(segment.all(CLUSTER)).extracting(c -> c.child(TIMECODE).uint())
                .containsExactly(0L, 5000L, 10000L, 15000L);
        assertThat(segment.child(CUES).all(CUE_POINT)).extracting(p -> p.child(CUE_TIME).uint())
                .containsExactly(0L, 5000L, 10000L, 15000L);
        assertThat(out.flushes).isEqualTo(1 + 4 + 1);   // head, four clusters, finish
    }

    @Test
    void relativeTimecodeStaysInSigned16Bits() throws IOException {
        MemoryOutput out = new MemoryOutput();
        WebmWriter w = new WebmWriter(out, null);
        // Video frames far apart: a frame 40 s later must start a new cluster.
        w.writeVideo(0, true, VP8_KEY, 0, VP8_KEY.length);
        w.writeVideo(40_000, false, VP8_DELTA, 0, VP8_DELTA.length);
        w.finish();
        assertThat(EbmlReader.segment(out.bytes()).all(CLUSTER)).extracting(c -> c.child(TIMECODE).uint())
                .containsExactly(0L, 40_000L);
    }

    @Test
    void crossTrackReorderingIsSortedWithinTheCluster() throws IOException {
        MemoryOutput out = new MemoryOutput();
        WebmWriter w = new WebmWriter(out, null);
        w.writeVideo(100, true, VP8_KEY, 0, VP8_KEY.length);
        w.writeAudio(80, OPUS, 0, OPUS.length);     // late audio, earlier than the keyframe
        w.writeAudio(100, OPUS, 0, OPUS.length);
        w.writeVideo(133, false, VP8_DELTA, 0, VP8_DELTA.length);
        w.writeAudio(120, OPUS, 0, OPUS.length);
        w.finish();
        Element cluster = EbmlReader.segment(out.bytes()).child(CLUSTER);
        assertThat(cluster.child(TIMECODE).uint()).isEqualTo(80);
        assertThat(EbmlReader.frames(out.bytes())).extracting(Frame::track, Frame::timecode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 80L), org.assertj.core.groups.Tuple.tuple(2, 100L),
                org.assertj.core.groups.Tuple.tuple(1, 100L), org.assertj.core.groups.Tuple.tuple(1, 120L),
                org.assertj.core.groups.Tuple.tuple(2, 133L));
        assertThat(w.clampedTimecodes()).isZero();
    }

    @Test
    void audioNeverStartsBeforeThePreviousPacketEnded() throws IOException {
        MemoryOutput out = new MemoryOutput();
        WebmWriter w = new WebmWriter(out, null);
        byte[] opus20 = OPUS.clone();
        opus20[0] = (byte) (31 << 3); // CELT-only, 20 ms frame, one frame (RFC 6716 §3.1)
        w.writeAudio(100, opus20, 0, opus20.length);
        w.writeAudio(90, opus20, 0, opus20.length);   // earlier: moved to the end of the previous packet
        w.writeAudio(-5, opus20, 0, opus20.length);   // likewise
        w.writeAudio(200, opus20, 0, opus20.length);  // a gap (DTX, loss) stays a gap
        w.writeAudio(200, opus20, 0, 0);              // empty: ignored
        w.writeAudio(205, opus20, 0, opus20.length);  // starts inside the previous packet: moved to its end
        w.finish();
        assertThat(EbmlReader.frames(out.bytes())).extracting(Frame::timecode)
                .containsExactly(100L, 120L, 140L, 200L, 220L);
        assertThat(w.clampedTimecodes()).isEqualTo(3);
    }

    @Test
    void opusDurationsFollowTheTocByte() {
        assertThat(WebmWriter.opusDurationMillis(new byte[] {(byte) (31 << 3)}, 0, 1)).isEqualTo(20);   // CELT 20 ms
        assertThat(WebmWriter.opusDurationMillis(new byte[] {(byte) (1 << 3)}, 0, 1)).isEqualTo(20);    // SILK 20 ms
        assertThat(WebmWriter.opusDurationMillis(new byte[] {(byte) ((3 << 3) | 1)}, 0, 1)).isEqualTo(120); // SILK 60 ms × 2
        assertThat(WebmWriter.opusDurationMillis(new byte[] {(byte) ((29 << 3) | 3), 3}, 0, 2)).isEqualTo(15); // CELT 5 ms × 3
        assertThat(WebmWriter.opusDurationMillis(new byte[0], 0, 0)).isEqualTo(20);
    }

    @Test
    void aFileCutBeforeFinishEndsOnAClusterBoundary() throws IOException {
        MemoryOutput out = new MemoryOutput();
        WebmWriter w = new WebmWriter(out, null);
        feed(w, 7_000, 60);
        byte[] crashed = out.flushedBytes();
        Element segment = EbmlReader.segment(crashed);
        assertThat(segment.unknownSize()).isTrue();
        assertThat(segment.all(CLUSTER)).isNotEmpty().allMatch(c -> !c.truncated());
        assertThat(segment.has(CUES)).isFalse();
        // Duration follows the clusters written: up to the last frame of the last cluster (+ one frame).
        long lastKept = EbmlReader.frames(crashed).stream().mapToLong(Frame::timecode).max().orElseThrow();
        assertThat(segment.child(INFO).child(DURATION).floatValue()).isBetween(lastKept + 1.0, lastKept + 33.0);
        assertThat(crashed).isEqualTo(out.bytes());   // nothing appended that is not flushed

        w.close();   // close without finish: the open cluster is written, no Cues
        byte[] closed = out.bytes();
        assertThat(EbmlReader.frames(closed)).hasSize(350 + 213);
        assertThat(EbmlReader.segment(closed).unknownSize()).isTrue();
        assertThat(out.closed).isTrue();
        assertThatThrownBy(() -> w.writeAudio(8000, OPUS, 0, OPUS.length)).isInstanceOf(IOException.class);
        w.close();   // idempotent
    }

    @Test
    void anIoErrorStopsTheWriter() throws IOException {
        MemoryOutput out = new MemoryOutput() {
            @Override
            public void append(byte[] buf, int off, int len) throws IOException {
                if (size() > 0) {
                    throw new IOException("No space left on device");
                }
                super.append(buf, off, len);
            }
        };
        WebmWriter w = new WebmWriter(out, null);
        w.writeVideo(0, true, VP8_KEY, 0, VP8_KEY.length);
        assertThatThrownBy(() -> w.writeVideo(33, true, VP8_KEY, 0, VP8_KEY.length)).hasMessageContaining("No space");
        assertThatThrownBy(() -> w.writeAudio(40, OPUS, 0, OPUS.length)).hasMessageContaining("earlier I/O error");
        w.close();
        assertThat(out.closed).isTrue();
    }

    private static long firstVideo(byte[] file, Element cluster) {
        return EbmlReader.frames(slice(file, cluster)).stream().filter(f -> f.track() == 2)
                .mapToLong(Frame::timecode).findFirst().orElse(-1);
    }

    /** A fake file holding only this cluster, so EbmlReader.frames can read it. */
    private static byte[] slice(byte[] file, Element cluster) {
        byte[] head = java.util.Arrays.copyOf(file, 48);
        byte[] c = java.util.Arrays.copyOfRange(file, (int) cluster.start(), (int) cluster.end());
        byte[] all = java.util.Arrays.copyOf(head, head.length + c.length);
        System.arraycopy(c, 0, all, head.length, c.length);
        java.util.Arrays.fill(all, 40, 48, (byte) 0xFF);
        all[40] = 0x01;   // unknown size
        return all;
    }
}
