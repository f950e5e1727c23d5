package org.medibridge.recording;

import java.io.IOException;
import java.util.function.Consumer;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.MediaKind;

/**
 * One recorded stream, top to bottom: jitter buffer → (VP8: frame assembly) → timestamp mapping
 * → the interleaver. Opus needs no assembly: one RTP payload is one Opus packet (RFC 7587 §4.2).
 * Owned by the recorder's writer thread.
 */
final class Track implements JitterBuffer.Listener, Vp8FrameAssembler.Listener {
    /** Packets behind a gap wait at most this long for the missing one. */
    static final long JITTER_DELAY_NANOS = 150_000_000L;
    /** 150 ms of 20 ms Opus packets is 8; room for bursts. */
    static final int AUDIO_JITTER_PACKETS = 64;
    /** A 720p key frame can take ~100 packets; hold a few frames' worth. */
    static final int VIDEO_JITTER_PACKETS = 512;

    final IncomingStream stream;
    final boolean video;
    final JitterBuffer jitter;
    final StreamClock clock;
    private final Vp8FrameAssembler vp8;
    private final Interleaver interleaver;
    private final KeyframeRequester keyframes;
    private final RecorderCounters counters;
    private final Consumer<QueuedPacket> recycler;
    private long framesDroppedReported;
    long lastArrivalNanos;

    Track(IncomingStream stream, SenderClock senderClock, Interleaver interleaver, KeyframeRequester keyframes,
          RecorderCounters counters, Consumer<QueuedPacket> recycler) {
        this.stream = stream;
        this.video = stream.kind() == MediaKind.VIDEO;
        this.jitter = new JitterBuffer(video ? VIDEO_JITTER_PACKETS : AUDIO_JITTER_PACKETS, JITTER_DELAY_NANOS, this);
        this.clock = new StreamClock(stream.clockRate(), senderClock);
        this.vp8 = video ? new Vp8FrameAssembler(this) : null;
        this.interleaver = interleaver;
        this.keyframes = keyframes;
        this.counters = counters;
        this.recycler = recycler;
    }

    /** Takes ownership of {@code p}. */
    void insert(QueuedPacket p) throws IOException {
        lastArrivalNanos = p.arrivalNanos;
        if (video && vp8.waitingForKeyframe() && counters.videoFrames.get() == 0) {
            keyframes.request();  // recording starts mid-stream: ask at once (throttled)
        }
        jitter.insert(p);
        syncDropped();
    }

    void expire(long nowNanos) throws IOException {
        jitter.expire(nowNanos);
        syncDropped();
    }

    void flush() throws IOException {
        jitter.flush();
        if (video) {
            vp8.flush();
        }
        syncDropped();
    }

    @Override
    public void onPacket(QueuedPacket p) throws IOException {
        try {
            if (video) {
                vp8.onPacket(p);
            } else if (p.payloadLength > 0) {
                long ext = clock.unwrap(p.timestamp);
                interleaver.audio(clock.toNanos(ext, p.arrivalNanos), p.buf, p.payloadOffset, p.payloadLength);
            }
        } finally {
            recycler.accept(p);
        }
    }

    @Override
    public void onLoss(int count) {
        counters.packetsLost.addAndGet(count);
        if (video) {
            vp8.onLoss();
        }
    }

    @Override
    public void onDiscard(QueuedPacket p) {
        counters.packetsLate.incrementAndGet();
        recycler.accept(p);
    }

    @Override
    public void onFrame(long rtpTimestamp, boolean keyframe, byte[] frame, int len, long arrivalNanos,
                        int width, int height) throws IOException {
        long ext = clock.unwrap(rtpTimestamp);
        interleaver.video(clock.toNanos(ext, arrivalNanos), keyframe, width, height, frame, 0, len);
    }

    @Override
    public void onKeyframeNeeded() {
        keyframes.request();
    }

    private void syncDropped() {
        if (video && vp8.framesDropped() != framesDroppedReported) {
            counters.videoFramesDropped.addAndGet(vp8.framesDropped() - framesDroppedReported);
            framesDroppedReported = vp8.framesDropped();
        }
    }
}
