package org.medibridge.recording;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a recorder writes whole frames, with timecodes in milliseconds from the recording's
 * start: {@link WebmFrameSink} in production, a fake in tests. Called on the writer thread only.
 */
interface FrameSink extends Closeable {
    void setVideoSize(int width, int height) throws IOException;

    void writeAudio(long timecodeMillis, byte[] buf, int off, int len) throws IOException;

    void writeVideo(long timecodeMillis, boolean keyframe, byte[] buf, int off, int len) throws IOException;

    /** Normal end: finalize (cues, duration) and close. */
    void finish() throws IOException;

    /** Abnormal end: close, keeping what was written playable. */
    @Override
    void close() throws IOException;

    /** Opens the sink; runs on the writer thread, so its first I/O is off the media thread. */
    @FunctionalInterface
    interface Factory {
        FrameSink open() throws IOException;
    }
}
