package org.medibridge.recording;

import java.io.IOException;
import org.medibridge.recording.storage.RecordingOutput;
import org.medibridge.webm.WebmWriter;

/** A {@link FrameSink} over {@link WebmWriter}; owns the writer and, through it, the output. */
final class WebmFrameSink implements FrameSink {
    private final WebmWriter writer;

    private WebmFrameSink(WebmWriter writer) {
        this.writer = writer;
    }

    /** Writes the WebM header to {@code out}; closes {@code out} if that fails. */
    static FrameSink open(RecordingOutput out, String title) throws IOException {
        try {
            return new WebmFrameSink(new WebmWriter(out, title));
        } catch (IOException | RuntimeException e) {
            try {
                out.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void setVideoSize(int width, int height) throws IOException {
        writer.setVideoSize(width, height);
    }

    @Override
    public void writeAudio(long timecodeMillis, byte[] buf, int off, int len) throws IOException {
        writer.writeAudio(timecodeMillis, buf, off, len);
    }

    @Override
    public void writeVideo(long timecodeMillis, boolean keyframe, byte[] buf, int off, int len) throws IOException {
        writer.writeVideo(timecodeMillis, keyframe, buf, off, len);
    }

    @Override
    public void finish() throws IOException {
        writer.finish();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
