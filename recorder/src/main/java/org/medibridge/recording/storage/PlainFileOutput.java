package org.medibridge.recording.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * An unencrypted recording file. Appends go straight to the operating system ({@link FileChannel},
 * no user-space buffer), so {@link #flush()} has nothing left to do: what was appended survives a
 * crash of this process. {@link #close()} forces the file to the device (fsync).
 *
 * <p>A failed append (disk full) truncates the file back to its size before that append, so the file
 * still ends where the previous append ended (for WebM, on a Cluster boundary).
 */
public final class PlainFileOutput implements RecordingOutput {
    private final FileChannel channel;
    private long size;
    private boolean closed;

    private PlainFileOutput(FileChannel channel) {
        this.channel = channel;
    }

    /** Creates {@code file}, which must not exist yet: a recording is never written over another. */
    public static PlainFileOutput create(Path file) throws IOException {
        return new PlainFileOutput(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    @Override
    public void append(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        ensureOpen();
        try {
            writeFully(ByteBuffer.wrap(buf, off, len), size);
        } catch (IOException e) {
            try {
                channel.truncate(size);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        size += len;
    }

    @Override
    public void overwriteHeader(long position, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkHeaderRange(position, len, size);
        ensureOpen();
        writeFully(ByteBuffer.wrap(buf, off, len), position);
    }

    static void checkHeaderRange(long position, int len, long size) {
        if (position < 0 || position + len > HEADER_REGION || position + len > size) {
            throw new IllegalArgumentException("overwrite [" + position + ", " + (position + len)
                    + ") outside the written header region [0, " + Math.min(size, HEADER_REGION) + ")");
        }
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
    }

    @Override
    public long size() {
        return size;
    }

    /** Nothing to do: appends are already in the operating system's hands. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            channel.force(true);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("recording output is closed");
        }
    }
}
