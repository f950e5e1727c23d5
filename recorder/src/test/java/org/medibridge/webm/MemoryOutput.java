package org.medibridge.webm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.medibridge.recording.storage.RecordingOutput;

/** A RecordingOutput in memory; {@link #flushedBytes()} is what a crash would leave. */
class MemoryOutput implements RecordingOutput {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private byte[] flushed = new byte[0];
    int flushes;
    boolean closed;

    @Override
    public void append(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        bytes.write(buf, off, len);
    }

    @Override
    public void overwriteHeader(long position, byte[] buf, int off, int len) {
        if (position + len > HEADER_REGION || position + len > bytes.size()) {
            throw new IllegalArgumentException("outside header region");
        }
        byte[] all = bytes.toByteArray();
        System.arraycopy(buf, off, all, (int) position, len);
        bytes.reset();
        bytes.writeBytes(all);
    }

    @Override
    public long size() {
        return bytes.size();
    }

    @Override
    public void flush() {
        flushes++;
        flushed = bytes.toByteArray();
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    byte[] flushedBytes() {
        return Arrays.copyOf(flushed, flushed.length);
    }

    @Override
    public void close() {
        closed = true;
    }
}
