package org.medibridge.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medibridge.recording.storage.PlainFileOutput;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.TestStreams;
import org.medibridge.rtcp.NtpTime;

/**
 * Real VP8 and Opus from ffmpeg, packetized into RTP here (RFC 7741, RFC 7587), sent through a
 * {@link ParticipantRecorder} with reordering, a loss and sender reports; the file must probe as
 * VP8 + Opus with the right duration and decode without errors. Skipped without ffmpeg, except
 * under CI=true where ffmpeg is required.
 */
@Timeout(120)
class FfmpegEndToEndTest {
    private static final double SECONDS = 4;
    private static final int FPS = 30;
    private static final int MAX_PACKET_PAYLOAD = 1100;

    @TempDir
    static Path dir;
    private static List<byte[]> vp8Frames;
    private static List<byte[]> opusPackets;

    private final IncomingStream audio = TestStreams.audio(0xA0D10);
    private final IncomingStream video = TestStreams.video(0x51DE0);

    @BeforeAll
    static void generateMedia() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but /usr/bin/ffmpeg or /usr/bin/ffprobe is missing");
        }
        Assumptions.assumeTrue(present, "ffmpeg not installed: skipping the end-to-end recording test");
        Path ivf = dir.resolve("in.ivf");
        Path ogg = dir.resolve("in.ogg");
        run("/usr/bin/ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=" + FPS,
                "-t", Double.toString(SECONDS), "-c:v", "libvpx", "-g", "30", "-b:v", "500k", "-f", "ivf", ivf.toString());
        run("/usr/bin/ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Double.toString(SECONDS), "-c:a", "libopus", "-frame_duration", "20", "-b:a", "32k",
                "-f", "ogg", ogg.toString());
        vp8Frames = readIvf(Files.readAllBytes(ivf));
        opusPackets = readOggPackets(Files.readAllBytes(ogg));
        opusPackets = opusPackets.subList(2, opusPackets.size());  // OpusHead, OpusTags (RFC 7845 §5)
        assertThat(vp8Frames).hasSize((int) (SECONDS * FPS));
        assertThat(opusPackets.size()).isBetween((int) (SECONDS * 50) - 1, (int) (SECONDS * 50) + 2);
    }

    @Test
    void recordsPlayableSynchronizedWebmDespiteReorderingAndLoss() throws Exception {
        Path file = dir.resolve("p1.webm");
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        ParticipantRecorder r = new ParticipantRecorder("p1", PlainFileOutput.create(file), "visit p1",
                () -> { }, Thread::new, failures::add);
        feed(r, true);
        r.close();

        assertThat(failures).isEmpty();
        RecorderStats s = r.stats();
        assertThat(s.packetsLost()).isEqualTo(1);
        // The key frame at 1 s lost a packet: it and its 29 deltas are dropped, 2 s is a key frame again.
        assertThat(s.videoFramesDropped()).isEqualTo(30);
        assertThat(s.videoFrames()).isEqualTo(vp8Frames.size() - 30);
        assertThat(s.keyframeRequests()).isGreaterThanOrEqualTo(1);
        assertThat(s.audioFrames()).isEqualTo(opusPackets.size());

        String probe = run("/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height:format=duration",
                "-of", "default=nw=1", file.toString());
        assertThat(probe).contains("codec_name=vp8", "codec_name=opus", "width=320", "height=240");
        double duration = Double.parseDouble(probe.lines().filter(l -> l.startsWith("duration="))
                .findFirst().orElseThrow().substring("duration=".length()));
        assertThat(duration).isBetween(SECONDS - 1, SECONDS + 1);
        assertThat(run("/usr/bin/ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-")).isEmpty();
    }

    @Test
    void aDiskFullMidwayLeavesAPlayableFile() throws Exception {
        long media = vp8Frames.stream().mapToLong(f -> f.length).sum() + opusPackets.stream().mapToLong(p -> p.length).sum();
        FullDiskOutput out = new FullDiskOutput(media * 2 / 3);  // the disk fills up after about 2.5 s
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        ParticipantRecorder r = new ParticipantRecorder("p2", out, "visit p2", () -> { }, Thread::new, failures::add);
        feed(r, false);
        r.close();

        assertThat(r.failure()).hasMessageContaining("No space left");
        assertThat(failures).hasSize(1);
        Path file = dir.resolve("full.webm");
        Files.write(file, out.bytes());
        String probe = run("/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                "-of", "default=nw=1", file.toString());
        assertThat(probe).contains("codec_name=vp8", "codec_name=opus");
        assertThat(run("/usr/bin/ffmpeg", "-v", "error", "-i", file.toString(), "-f", "null", "-")).isEmpty();
    }

    /**
     * Sends both streams as a browser would: random SSRC-specific timestamp offsets, a sender
     * report per stream each second, video arriving 40 ms after audio; with {@code impair}, some
     * packets swapped and one lost.
     */
    private void feed(ParticipantRecorder r, boolean impair) {
        long t0 = System.nanoTime();
        long audioTs0 = 4_294_900_000L;  // RTP timestamps wrap after ~1.4 s of audio
        long videoTs0 = 4_294_800_000L;  // and ~1.9 s of video
        long ntp0Millis = 1_700_000_000_000L;
        List<SyntheticMedia.Packet> a = new ArrayList<>();
        for (int i = 0; i < opusPackets.size(); i++) {
            a.add(new SyntheticMedia.Packet(audio, TestRtp.packet(111, (60000 + i) & 0xFFFF,
                    (audioTs0 + 960L * i) & 0xFFFF_FFFFL, audio.ssrc(), i == 0, opusPackets.get(i)),
                    t0 + i * 20_000_000L + 5_000_000L));
        }
        List<SyntheticMedia.Packet> v = new ArrayList<>();
        int lostIndex = -1;
        int seq = 65000;  // sequence numbers wrap too
        for (int f = 0; f < vp8Frames.size(); f++) {
            byte[] frame = vp8Frames.get(f);
            long ts = (videoTs0 + 3000L * f) & 0xFFFF_FFFFL;
            long arrival = t0 + f * 1_000_000_000L / FPS + 40_000_000L;
            int packets = (frame.length + MAX_PACKET_PAYLOAD - 1) / MAX_PACKET_PAYLOAD;
            for (int k = 0; k < packets; k++) {
                int off = k * MAX_PACKET_PAYLOAD;
                int len = Math.min(MAX_PACKET_PAYLOAD, frame.length - off);
                // RFC 7741 §4.2: X=1, S on the first packet, PID 0; I=1 with a 15-bit picture id.
                byte[] payload = new byte[4 + len];
                payload[0] = (byte) (k == 0 ? 0x90 : 0x80);
                payload[1] = (byte) 0x80;
                payload[2] = (byte) (0x80 | (f >>> 8));
                payload[3] = (byte) f;
                System.arraycopy(frame, off, payload, 4, len);
                v.add(new SyntheticMedia.Packet(video, TestRtp.packet(96, seq & 0xFFFF, ts, video.ssrc(), k == packets - 1,
                        payload), arrival + k * 200_000L));
                if (f == FPS && k == 2) {
                    lostIndex = v.size() - 1;  // the middle of the key frame at 1 s (4.5 KB: 5 packets)
                }
                seq++;
            }
        }
        if (impair) {
            SyntheticMedia.swapArrivals(a, 30, 31);
            SyntheticMedia.swapArrivals(a, 77, 79);
            SyntheticMedia.swapArrivals(v, 1, 3);    // inside the first key frame
            SyntheticMedia.swapArrivals(v, 20, 21);
            SyntheticMedia.swapArrivals(v, 60, 63);  // across frames
            v.remove(lostIndex);
        }
        List<SyntheticMedia.Packet> all = SyntheticMedia.byArrival(a, v);
        int nextSrSecond = 0;
        for (SyntheticMedia.Packet p : all) {
            long elapsed = p.arrivalNanos() - t0;
            if (elapsed >= nextSrSecond * 1_000_000_000L) {
                // RFC 3550 §6.4.1: both sender reports pair one NTP instant with each stream's RTP time.
                long ntp = NtpTime.fromUnixMillis(ntp0Millis + nextSrSecond * 1000L);
                r.onSenderReport(audio, ntp, (audioTs0 + 48_000L * nextSrSecond) & 0xFFFF_FFFFL, p.arrivalNanos());
                r.onSenderReport(video, ntp, (videoTs0 + 90_000L * nextSrSecond) & 0xFFFF_FFFFL, p.arrivalNanos());
                nextSrSecond++;
            }
            r.onRtp(p.stream(), p.bytes(), 0, p.bytes().length, p.arrivalNanos());
            while (r.queued() > 1000) {
                Thread.yield();  // the test feeds faster than real time; stay under the queue bound
            }
        }
    }

    /** IVF: a 32-byte file header, then per frame a 12-byte header (LE size, LE pts) and the frame. */
    private static List<byte[]> readIvf(byte[] b) {
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("DKIF");
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int pos = bb.getShort(6);
        List<byte[]> frames = new ArrayList<>();
        while (pos + 12 <= b.length) {
            int size = bb.getInt(pos);
            frames.add(Arrays.copyOfRange(b, pos + 12, pos + 12 + size));
            pos += 12 + size;
        }
        return frames;
    }

    /** Ogg pages (RFC 3533 §6): packets are laced from 255-byte segments across pages. */
    private static List<byte[]> readOggPackets(byte[] b) {
        List<byte[]> packets = new ArrayList<>();
        java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        int pos = 0;
        while (pos + 27 <= b.length) {
            assertThat(new String(b, pos, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
            int segments = b[pos + 26] & 0xFF;
            int data = pos + 27 + segments;
            for (int i = 0; i < segments; i++) {
                int lace = b[pos + 27 + i] & 0xFF;
                current.write(b, data, lace);
                data += lace;
                if (lace < 255) {
                    packets.add(current.toByteArray());
                    current.reset();
                }
            }
            pos = data;
        }
        return packets;
    }

    /** Runs a command; returns its stderr and stdout together, trimmed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), text).isZero();
        return text;
    }
}
