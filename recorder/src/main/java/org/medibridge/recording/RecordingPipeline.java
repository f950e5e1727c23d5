package org.medibridge.recording;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.medibridge.router.IncomingStream;
import org.medibridge.rtp.RtpPacket;

/**
 * Everything the writer thread does with a dequeued packet, without the thread: per stream a
 * {@link Track}, then the {@link Interleaver}, then the recording's timeline (time zero is the
 * first written frame) and the {@link FrameSink}. I/O errors propagate to the caller, which
 * stops the recording.
 * <p>
 * One audio and one video stream are recorded. Should the publisher switch to a new stream of
 * the same kind (a new SSRC), the new one takes over once the current one has been silent for
 * {@link #STREAM_SWITCH_SILENCE_NANOS}; until then its packets are ignored (counted).
 */
final class RecordingPipeline implements Interleaver.Output {
    static final long INTERLEAVE_HOLD_NANOS = 500_000_000L;
    static final long STREAM_SWITCH_SILENCE_NANOS = 1_000_000_000L;
    /** Packets the jitter buffers can hold, which the queue's slot pool must allow for. */
    static final int MAX_HELD_PACKETS = Track.AUDIO_JITTER_PACKETS + Track.VIDEO_JITTER_PACKETS;

    private final FrameSink sink;
    private final RecorderCounters counters;
    private final KeyframeRequester keyframes;
    private final Consumer<QueuedPacket> recycler;
    private final SenderClock senderClock = new SenderClock();
    private final Interleaver interleaver = new Interleaver(INTERLEAVE_HOLD_NANOS, this);
    private final Map<IncomingStream, Track> tracks = new IdentityHashMap<>();
    private final RtpPacket view = new RtpPacket();
    private Track audio;
    private Track video;

    private boolean started;
    private long zeroNanos;
    private long lastMillis;
    private int width = -1;
    private int height = -1;

    RecordingPipeline(FrameSink sink, RecorderCounters counters, KeyframeRequester keyframes,
                      Consumer<QueuedPacket> recycler) {
        this.sink = sink;
        this.counters = counters;
        this.keyframes = keyframes;
        this.recycler = recycler;
    }

    /** Takes ownership of {@code p}, an RTP slot. */
    void onRtp(QueuedPacket p) throws IOException {
        if (!p.parse(view)) {
            counters.malformed.incrementAndGet();
            recycler.accept(p);
            return;
        }
        Track t = tracks.computeIfAbsent(p.stream, this::newTrack);
        if (p.payloadType != p.stream.payloadType() || !isActive(t, p.arrivalNanos)) {
            counters.ignored.incrementAndGet();
            recycler.accept(p);
            return;
        }
        t.insert(p);
    }

    void onSenderReport(IncomingStream stream, long ntpTimestamp, long rtpTimestamp, long arrivalNanos) {
        tracks.computeIfAbsent(stream, this::newTrack).clock.onSenderReport(ntpTimestamp, rtpTimestamp, arrivalNanos);
    }

    /** Time passes without packets: release what waited long enough. */
    void tick(long nowNanos) throws IOException {
        if (audio != null) {
            audio.expire(nowNanos);
        }
        if (video != null) {
            video.expire(nowNanos);
        }
        interleaver.release();
    }

    /** End of recording: writes everything still held, then finalizes the file. */
    void finish() throws IOException {
        if (audio != null) {
            audio.flush();
        }
        if (video != null) {
            video.flush();
        }
        interleaver.flush();
        sink.finish();
    }

    @Override
    public void write(Interleaver.Frame f) throws IOException {
        if (!started) {
            started = true;
            zeroNanos = f.nanos;
        }
        // Blocks stay in time order in the file even if a frame came later than the hold time.
        long ms = Math.max(lastMillis, (f.nanos - zeroNanos) / 1_000_000L);
        lastMillis = ms;
        if (f.video) {
            if (f.keyframe && (f.width != width || f.height != height)) {
                width = f.width;
                height = f.height;
                sink.setVideoSize(width, height);
            }
            sink.writeVideo(ms, f.keyframe, f.data, 0, f.data.length);
            counters.videoFrames.incrementAndGet();
        } else {
            sink.writeAudio(ms, f.data, 0, f.data.length);
            counters.audioFrames.incrementAndGet();
        }
        counters.bytesWritten.addAndGet(f.data.length);
    }

    private Track newTrack(IncomingStream s) {
        return new Track(s, senderClock, interleaver, keyframes, counters, recycler);
    }

    private boolean isActive(Track t, long arrivalNanos) throws IOException {
        Track current = t.video ? video : audio;
        if (current == t) {
            return true;
        }
        if (current != null && arrivalNanos - current.lastArrivalNanos < STREAM_SWITCH_SILENCE_NANOS) {
            return false;
        }
        if (current != null) {
            current.flush();
        }
        if (t.video) {
            video = t;
        } else {
            audio = t;
        }
        return true;
    }
}
