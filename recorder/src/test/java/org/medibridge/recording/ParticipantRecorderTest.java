package org.medibridge.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.TestStreams;
import org.medibridge.rtcp.NtpTime;

@Timeout(30)
class ParticipantRecorderTest {
    private static final long MS = 1_000_000L;

    private final IncomingStream audio = TestStreams.audio(0x1111);
    private final IncomingStream video = TestStreams.video(0x2222);
    private final AtomicInteger keyframeRequests = new AtomicInteger();
    private final List<Exception> failures = new CopyOnWriteArrayList<>();

    private ParticipantRecorder recorder(FrameSink.Factory sinks, int queueCapacity) {
        return new ParticipantRecorder("p1", sinks, keyframeRequests::incrementAndGet, Thread::new, failures::add,
                queueCapacity, System::nanoTime);
    }

    private static void feed(ParticipantRecorder r, List<SyntheticMedia.Packet> packets) {
        for (SyntheticMedia.Packet p : packets) {
            r.onRtp(p.stream(), p.bytes(), 0, p.bytes().length, p.arrivalNanos());
        }
    }

    @Test
    void writesBothTracksFromTimeZeroStartingWithTheVideoSizeAndAKeyFrame() {
        FakeSink sink = new FakeSink();
        ParticipantRecorder r = recorder(() -> sink, 4096);
        long t0 = System.nanoTime();
        feed(r, SyntheticMedia.byArrival(
                SyntheticMedia.audio(audio, 4_294_960_000L, 100, t0, 40),   // timestamps wrap
                SyntheticMedia.video(video, 123_456, 60, t0, 1000)));
        r.close();

        assertThat(r.failure()).isNull();
        assertThat(sink.events.get(sink.events.size() - 1)).isEqualTo("finish");
        assertThat(sink.events).doesNotContain("close");
        int firstVideo = sink.events.indexOf(sink.events.stream().filter(e -> e.startsWith("V")).findFirst().orElseThrow());
        assertThat(sink.events.get(firstVideo)).endsWith("K");
        assertThat(sink.events.indexOf("size 320x240")).isBetween(0, firstVideo);
        assertThat(sink.frames.get(0).timecode()).isZero();
        long prev = 0;
        for (FakeSink.Written w : sink.frames) {
            assertThat(w.timecode()).isGreaterThanOrEqualTo(prev);
            prev = w.timecode();
            // Arrival anchoring (no SR): both streams started at t0, so timecode = media time.
            assertThat(w.timecode()).isCloseTo(SyntheticMedia.mediaMillis(w), org.assertj.core.data.Offset.offset(1L));
        }
        RecorderStats s = r.stats();
        assertThat(s.packetsIn()).isEqualTo(220);
        assertThat(s.audioFrames()).isEqualTo(100);
        assertThat(s.videoFrames()).isEqualTo(60);
        assertThat(s.packetsLost()).isZero();
        assertThat(s.droppedQueueFull()).isZero();
        assertThat(s.bytesWritten()).isEqualTo(100 * 40 + 60 * 1000);
        assertThat(failures).isEmpty();
    }

    @Test
    void senderReportsSyncVideoThatArrivesLateWithAudio() {
        FakeSink sink = new FakeSink();
        ParticipantRecorder r = recorder(() -> sink, 4096);
        long t0 = System.nanoTime();
        long ntp = NtpTime.fromUnixMillis(1_700_000_000_000L);
        // Both captured from NTP time T: audio RTP 5000, video RTP 777_000 at T.
        r.onSenderReport(audio, ntp, 5000, t0);
        r.onSenderReport(video, ntp, 777_000, t0);
        // Video takes 250 ms longer through the sender's pipeline and the network.
        feed(r, SyntheticMedia.byArrival(
                SyntheticMedia.audio(audio, 5000, 100, t0, 40),
                SyntheticMedia.video(video, 777_000, 60, t0 + 250 * MS, 800)));
        r.close();

        for (FakeSink.Written w : sink.frames) {
            assertThat(w.timecode()).as("%s", w).isCloseTo(SyntheticMedia.mediaMillis(w), org.assertj.core.data.Offset.offset(1L));
        }
        assertThat(r.stats().videoFrames()).isEqualTo(60);
    }

    @Test
    void reorderingAndALostVideoPacketAreRepaired() {
        FakeSink sink = new FakeSink();
        ParticipantRecorder r = recorder(() -> sink, 4096);
        long t0 = System.nanoTime();
        List<SyntheticMedia.Packet> v = new ArrayList<>(SyntheticMedia.video(video, 0, 60, t0, 600));
        // Packets of frame 3 arrive swapped, frame 4's first after frame 5's first; frame 40 loses its second.
        SyntheticMedia.swapArrivals(v, 6, 7);
        SyntheticMedia.swapArrivals(v, 8, 10);
        v.remove(81);
        List<SyntheticMedia.Packet> a = new ArrayList<>(SyntheticMedia.audio(audio, 0, 100, t0, 40));
        SyntheticMedia.swapArrivals(a, 10, 12);
        feed(r, SyntheticMedia.byArrival(a, v));
        r.close();

        RecorderStats s = r.stats();
        assertThat(s.packetsLost()).isEqualTo(1);
        assertThat(s.audioFrames()).isEqualTo(100);
        // Frame 40 is broken; 41..59 have no reference until the next key frame (none before 60).
        assertThat(s.videoFrames()).isEqualTo(40);
        assertThat(s.videoFramesDropped()).isEqualTo(20);
        assertThat(s.keyframeRequests()).isGreaterThanOrEqualTo(1);
        assertThat(keyframeRequests.get()).isEqualTo((int) s.keyframeRequests());
        assertThat(sink.frames.stream().filter(w -> !w.video()).map(SyntheticMedia::mediaMillis).toList())
                .isSorted();
    }

    @Test
    void aFullQueueDropsAndCountsAndOnRtpNeverWaits() throws Exception {
        CountDownLatch diskStuck = new CountDownLatch(1);
        FakeSink sink = new FakeSink();
        ParticipantRecorder r = recorder(() -> {
            try {
                diskStuck.await();  // the writer thread hangs on the disk
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sink;
        }, 16);
        List<SyntheticMedia.Packet> packets = SyntheticMedia.audio(audio, 0, 1000, System.nanoTime(), 40);
        long slowest = 0;
        for (SyntheticMedia.Packet p : packets) {
            long start = System.nanoTime();
            r.onRtp(p.stream(), p.bytes(), 0, p.bytes().length, p.arrivalNanos());
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        int slots = 16 + RecordingPipeline.MAX_HELD_PACKETS;
        RecorderStats s = r.stats();
        assertThat(s.packetsIn()).isEqualTo(1000);
        assertThat(s.droppedQueueFull()).isEqualTo(1000 - slots);
        assertThat(r.queued()).isEqualTo(slots);
        assertThat(slowest).as("slowest onRtp, ns").isLessThan(50 * MS);

        diskStuck.countDown();
        r.close();
        assertThat(r.stats().audioFrames()).isEqualTo(slots);
        r.onRtp(audio, packets.get(0).bytes(), 0, 20, 0);  // after close: dropped, counted
        assertThat(r.stats().droppedStopped()).isEqualTo(1);
    }

    @Test
    void aFullDiskStopsTheRecordingCleanlyAndKeepsTheFile() throws Exception {
        FullDiskOutput out = new FullDiskOutput(60_000);
        AtomicReference<ParticipantRecorder> self = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        ParticipantRecorder r = new ParticipantRecorder("p1", () -> WebmFrameSink.open(out, "visit"),
                keyframeRequests::incrementAndGet, Thread::new, e -> {
                    failures.add(e);
                    self.get().close();  // the room may stop the recorder from the callback: no deadlock
                    failed.countDown();
                }, 4096, System::nanoTime);
        self.set(r);
        long t0 = System.nanoTime();
        feed(r, SyntheticMedia.byArrival(
                SyntheticMedia.audio(audio, 0, 250, t0, 80),
                SyntheticMedia.video(video, 0, 150, t0, 1500)));
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();

        r.onRtp(audio, new byte[20], 0, 20, t0);  // the router keeps calling: nothing thrown
        r.close();
        assertThat(r.failure()).isInstanceOf(IOException.class).hasMessageContaining("No space left");
        assertThat(failures).containsExactly(r.failure());
        assertThat(r.stats().droppedStopped()).isGreaterThanOrEqualTo(1);
        assertThat(out.closed).isTrue();
        byte[] file = out.bytes();
        assertThat(file.length).isGreaterThan(4096).isLessThanOrEqualTo(60_000);
        assertThat(file).startsWith(0x1A, 0x45, 0xDF, 0xA3);  // EBML header (RFC 8794 §8)
        assertThat(out.appendFailures).isEqualTo(1);           // one failed append, then no more writes
    }

    @Test
    void aSinkThatCannotOpenFailsWithoutThrowingAtTheRouter() {
        ParticipantRecorder r = recorder(() -> {
            throw new IOException("Permission denied");
        }, 16);
        feed(r, SyntheticMedia.audio(audio, 0, 10, System.nanoTime(), 40));
        r.close();
        assertThat(r.failure()).hasMessage("Permission denied");
        assertThat(failures).hasSize(1);
    }
}
