package org.medibridge.recording;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.medibridge.recording.storage.RecordingOutput;

/**
 * An in-memory {@link RecordingOutput} whose disk fills up after {@code limit} bytes: the append
 * that would pass the limit writes nothing and throws, as {@code PlainFileOutput} leaves a file
 * when the disk is full.
 */
final class FullDiskOutput implements RecordingOutput {
    private final long limit;
    private byte[] data = new byte[0];
    private int size;
    volatile boolean closed;
    volatile int appendFailures;

    FullDiskOutput(long limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void append(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        if (size + len > limit) {
            appendFailures++;
            throw new IOException("No space left on device");
        }
        if (size + len > data.length) {
            data = java.util.Arrays.copyOf(data, Math.max(2 * data.length, size + len));
        }
        System.arraycopy(buf, off, data, size, len);
        size += len;
    }

    @Override
    public synchronized void overwriteHeader(long position, byte[] buf, int off, int len) {
        System.arraycopy(buf, off, data, (int) position, len);
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        closed = true;
    }

    synchronized byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(data, 0, size);
        return out.toByteArray();
    }
}
