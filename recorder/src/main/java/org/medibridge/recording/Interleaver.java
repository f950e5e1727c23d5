package org.medibridge.recording;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Merges the audio and video frames of one recording into timeline order before they are
 * written. Each track's frames come in order, but the two tracks come out of their jitter
 * buffers and the frame assembler with different delays; a WebM cluster wants its blocks in time
 * order. A frame goes out once the other track has a later frame, or once it is
 * {@code holdNanos} older than the newest frame seen on either track (a silent or absent track
 * never stalls the other for longer than that).
 * <p>
 * Owned by the recorder's writer thread. Frames are copied in (one allocation per frame, off the
 * media path).
 */
final class Interleaver {
    /** One frame waiting for its turn. */
    static final class Frame {
        final boolean video;
        final long nanos;
        final boolean keyframe;
        final int width;
        final int height;
        final byte[] data;

        Frame(boolean video, long nanos, boolean keyframe, int width, int height, byte[] data) {
            this.video = video;
            this.nanos = nanos;
            this.keyframe = keyframe;
            this.width = width;
            this.height = height;
            this.data = data;
        }
    }

    interface Output {
        void write(Frame f) throws IOException;
    }

    private final long holdNanos;
    private final Output output;
    private final ArrayDeque<Frame> audio = new ArrayDeque<>();
    private final ArrayDeque<Frame> video = new ArrayDeque<>();
    private boolean any;
    private long newestNanos;
    private long lastAudioNanos = Long.MIN_VALUE;
    private long lastVideoNanos = Long.MIN_VALUE;

    Interleaver(long holdNanos, Output output) {
        this.holdNanos = holdNanos;
        this.output = output;
    }

    void audio(long nanos, byte[] buf, int off, int len) throws IOException {
        nanos = Math.max(nanos, lastAudioNanos);  // a track never goes backwards
        lastAudioNanos = nanos;
        push(audio, new Frame(false, nanos, false, -1, -1, Arrays.copyOfRange(buf, off, off + len)));
    }

    void video(long nanos, boolean keyframe, int width, int height, byte[] buf, int off, int len) throws IOException {
        nanos = Math.max(nanos, lastVideoNanos);
        lastVideoNanos = nanos;
        push(video, new Frame(true, nanos, keyframe, width, height, Arrays.copyOfRange(buf, off, off + len)));
    }

    /** Writes what has waited long enough, by the newest frame time seen. */
    void release() throws IOException {
        drain(false);
    }

    /** Writes everything, in order (end of recording). */
    void flush() throws IOException {
        drain(true);
    }

    int pending() {
        return audio.size() + video.size();
    }

    private void push(ArrayDeque<Frame> track, Frame f) throws IOException {
        track.addLast(f);
        newestNanos = any ? Math.max(newestNanos, f.nanos) : f.nanos;
        any = true;
        drain(false);
    }

    private void drain(boolean all) throws IOException {
        while (true) {
            Frame a = audio.peekFirst();
            Frame v = video.peekFirst();
            Frame next;
            if (a != null && v != null) {
                next = v.nanos < a.nanos ? v : a;
            } else {
                next = a != null ? a : v;
                if (next == null || (!all && newestNanos - next.nanos < holdNanos)) {
                    return;
                }
            }
            (next.video ? video : audio).removeFirst();
            output.write(next);
        }
    }
}
