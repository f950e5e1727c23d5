package org.medibridge.recording.storage;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a recording's bytes go. Appends are sequential; the header region {@code [0, HEADER_REGION)}
 * may be overwritten later (a WebM writer patches Duration, the Segment size and the SeekHead there).
 *
 * <p>Not thread-safe: one recorder thread owns an output.
 */
public interface RecordingOutput extends Closeable {
    int HEADER_REGION = 4096;

    /** Appends {@code len} bytes to the end. */
    void append(byte[] buf, int off, int len) throws IOException;

    /**
     * Overwrites bytes already appended inside the header region: {@code position + len <= HEADER_REGION}
     * and {@code position + len <= size()}, otherwise {@link IllegalArgumentException}.
     */
    void overwriteHeader(long position, byte[] buf, int off, int len) throws IOException;

    /** Bytes appended so far (the plaintext size). */
    long size();

    /**
     * Makes everything appended (and overwritten) so far readable by another process and after a crash
     * of this process. It does not fsync: after a power loss the operating system may still lose
     * what it had not written back; {@link #close()} forces the file to the device.
     */
    void flush() throws IOException;
}
