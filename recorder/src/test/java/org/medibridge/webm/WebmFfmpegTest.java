package org.medibridge.webm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medibridge.webm.MatroskaIds.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medibridge.recording.storage.EncryptedFileOutput;
import org.medibridge.recording.storage.PlainFileOutput;
import org.medibridge.recording.storage.RecordingDecryptor;
import org.medibridge.recording.storage.RecordingOutput;
import org.medibridge.webm.EbmlReader.Element;
import org.medibridge.webm.EbmlReader.Frame;

/**
 * Real Opus and VP8 frames (encoded by ffmpeg into a WebM, extracted with {@link EbmlReader}) re-muxed
 * through {@link WebmWriter}, then checked with Debian's ffprobe and decoded by ffmpeg.
 */
class WebmFfmpegTest {
    static final double SECONDS = 10;

    @TempDir
    static Path dir;
    /** The source frames in file order, track numbers mapped to ours (1 Opus, 2 VP8). */
    static List<Frame> frames;

    @BeforeAll
    static void encode() throws Exception {
        Ffmpeg.require();
        Path src = dir.resolve("src.webm");
        Ffmpeg.Output o = Ffmpeg.run(Ffmpeg.FFMPEG.toString(), "-v", "error",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + SECONDS,
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=" + SECONDS,
                "-ac", "2", "-c:a", "libopus", "-b:a", "32k",
                "-c:v", "libvpx", "-b:v", "300k", "-g", "60", "-deadline", "realtime", "-cpu-used", "8",
                "-f", "webm", src.toString());
        assertThat(o.exit()).as(o.stderr()).isZero();
        byte[] file = Files.readAllBytes(src);
        Map<Integer, Integer> ours = new HashMap<>();
        for (Element t : EbmlReader.segment(file).child(TRACKS).all(TRACK_ENTRY)) {
            ours.put((int) t.child(TRACK_NUMBER).uint(), t.child(CODEC_ID).string().equals("A_OPUS") ? 1 : 2);
        }
        frames = EbmlReader.frames(file).stream()
                .map(f -> new Frame(ours.get(f.track()), f.timecode(), f.keyframe(), f.data())).toList();
        assertThat(count(frames, 2)).isEqualTo(300);
        assertThat(count(frames, 1)).isBetween(499L, 502L);
    }

    static long count(List<Frame> fs, int track) {
        return fs.stream().filter(f -> f.track() == track).count();
    }

    /** Writes frames[from, to) in file order. */
    static void write(WebmWriter w, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            Frame f = frames.get(i);
            if (f.track() == 1) {
                w.writeAudio(f.timecode(), f.data(), 0, f.data().length);
            } else {
                w.writeVideo(f.timecode(), f.keyframe(), f.data(), 0, f.data().length);
            }
        }
    }

    static int indexAt(long millis) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).timecode() >= millis) {
                return i;
            }
        }
        return frames.size();
    }

    static WebmWriter writer(RecordingOutput out) throws IOException {
        WebmWriter w = new WebmWriter(out, "ffmpeg round trip");
        w.setVideoSize(320, 240);
        return w;
    }

    static void assertPlayable(Path file, List<Frame> expected) throws Exception {
        Map<String, String> p = Ffmpeg.probe(file, "-count_packets");
        assertThat(p).containsEntry("streams.stream.0.codec_name", "opus")
                .containsEntry("streams.stream.1.codec_name", "vp8")
                .containsEntry("streams.stream.1.width", "320")
                .containsEntry("streams.stream.1.height", "240")
                .containsEntry("streams.stream.0.channels", "2")
                .containsEntry("streams.stream.0.sample_rate", "48000")
                .containsEntry("format.format_name", "matroska,webm");
        assertThat(Long.parseLong(p.get("streams.stream.0.nb_read_packets"))).isEqualTo(count(expected, 1));
        assertThat(Long.parseLong(p.get("streams.stream.1.nb_read_packets"))).isEqualTo(count(expected, 2));
        assertThat(Ffmpeg.decodeErrors(file)).isEmpty();
    }

    @Test
    void remuxedFramesProbeAndDecode() throws Exception {
        Path out = dir.resolve("remux.webm");
        WebmWriter w = writer(PlainFileOutput.create(out));
        write(w, 0, frames.size());
        w.finish();

        assertPlayable(out, frames);
        Map<String, String> p = Ffmpeg.probe(out);
        assertThat(Double.parseDouble(p.get("format.duration"))).isBetween(SECONDS - 1, SECONDS + 1);
        // What we wrote is what ffmpeg wrote, frame for frame.
        List<Frame> back = EbmlReader.frames(Files.readAllBytes(out));
        assertThat(back).hasSameSizeAs(frames);
        for (int track = 1; track <= 2; track++) {
            int t = track;
            List<Frame> a = back.stream().filter(f -> f.track() == t).toList();
            List<Frame> b = frames.stream().filter(f -> f.track() == t).toList();
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).timecode()).isEqualTo(b.get(i).timecode());
                assertThat(a.get(i).data()).isEqualTo(b.get(i).data());
            }
        }
    }

    @Test
    void aFileCutMidRecordingProbesAndDecodesUpToTheCut() throws Exception {
        Path out = dir.resolve("live.webm");
        Path cut = dir.resolve("cut.webm");
        try (WebmWriter w = writer(PlainFileOutput.create(out))) {
            write(w, 0, indexAt(6_500));
            Files.copy(out, cut);   // what a crash now would leave
            write(w, indexAt(6_500), frames.size());
        }
        List<Frame> kept = EbmlReader.frames(Files.readAllBytes(cut));
        assertThat(kept.get(kept.size() - 1).timecode()).isBetween(3_900L, 6_500L);   // clusters close at keyframes (2 s)
        assertPlayable(cut, kept);
        double duration = Double.parseDouble(Ffmpeg.probe(cut).get("format.duration"));
        assertThat(duration).isBetween(kept.get(kept.size() - 1).timecode() / 1000.0, kept.get(kept.size() - 1).timecode() / 1000.0 + 1);
        assertPlayable(out, frames);   // closed without finish(): everything, no Cues
    }

    @Test
    void aFileTruncatedInsideAClusterStillProbes() throws Exception {
        Path out = dir.resolve("whole.webm");
        WebmWriter w = writer(PlainFileOutput.create(out));
        write(w, 0, frames.size());
        w.finish();
        byte[] all = Files.readAllBytes(out);
        Path torn = dir.resolve("torn.webm");
        Files.write(torn, java.util.Arrays.copyOf(all, all.length * 3 / 5));
        Map<String, String> p = Ffmpeg.probe(torn);
        assertThat(p).containsEntry("streams.stream.0.codec_name", "opus").containsEntry("streams.stream.1.codec_name", "vp8");
        Ffmpeg.Output decode = Ffmpeg.run(Ffmpeg.FFMPEG.toString(), "-v", "error", "-i", torn.toString(), "-f", "null", "-");
        assertThat(decode.exit()).as(decode.stderr()).isZero();
    }

    @Test
    void encryptedRecordingDecryptsToTheSameBytesAndPlays() throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Path plain = dir.resolve("enc-plain.webm");
        Path enc = dir.resolve("rec.webm.enc");
        Path encCut = dir.resolve("rec-cut.webm.enc");
        Path plainCut = dir.resolve("plain-cut.webm");
        WebmWriter p = writer(PlainFileOutput.create(plain));
        WebmWriter e = writer(EncryptedFileOutput.create(enc, key));
        int half = indexAt(5_000);
        write(p, 0, half);
        write(e, 0, half);
        Files.copy(enc, encCut);      // a crash now
        Files.copy(plain, plainCut);
        write(p, half, frames.size());
        write(e, half, frames.size());
        p.finish();
        e.finish();

        Path dec = dir.resolve("rec.webm");
        RecordingDecryptor.Result r = RecordingDecryptor.decrypt(enc, dec, key);
        assertThat(r.finalized()).isTrue();
        assertThat(Files.readAllBytes(dec)).isEqualTo(Files.readAllBytes(plain));
        assertPlayable(dec, frames);

        Path decCut = dir.resolve("rec-cut.webm");
        RecordingDecryptor.Result rc = RecordingDecryptor.decrypt(encCut, decCut, key);
        assertThat(rc.finalized()).isFalse();
        assertThat(Files.readAllBytes(decCut)).isEqualTo(Files.readAllBytes(plainCut));
        assertPlayable(decCut, EbmlReader.frames(Files.readAllBytes(decCut)));
    }
}
