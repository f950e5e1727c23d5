package org.medibridge.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link AuditLog} on a JSON Lines file (format in {@link AuditLines}), append only.
 *
 * <p>Opening an existing file continues its chain: the last line's {@code seq} and hash are read
 * back (the rest of the file is not re-verified; that is {@link AuditVerifier}'s job). A file whose
 * last line is incomplete or unreadable (a crash mid-write, or an edit) is refused with an
 * IOException rather than silently extended or repaired: the operator runs {@code audit-verify} and
 * moves it aside. The file is locked while open, so a second server cannot interleave lines.
 *
 * <p>Durability: each append is one write(2) of the whole line straight to the file (no user-space
 * buffer) at the end of the file, then, unless disabled, {@code fsync}. Audit events are a handful per visit, so the
 * fsync costs nothing that matters and a power cut does not lose who joined. If a write fails, the
 * partial line is cut off again and the append throws {@link UncheckedIOException}.
 *
 * <p>Only the chain is tamper-evident, and only up to its last line: whoever can rewrite the file
 * can rewrite the whole chain, and a change to the final line shows only once another line
 * follows. {@link #head()} gives the latest hash so that it can be recorded elsewhere.
 */
public final class FileAuditLog implements AuditLog {
    private final Path path;
    private final Clock clock;
    private final boolean fsync;
    private final FileChannel channel;
    private final FileLock lock;
    private long seq;
    /** File size after the last complete line: where the next line is written. */
    private long end;
    private String prev;
    private boolean closed;

    /** Appends to {@code path} (created with its parent directories if needed), fsync on, UTC clock. */
    public static FileAuditLog open(Path path) throws IOException {
        return new FileAuditLog(path, Clock.systemUTC(), true);
    }

    public FileAuditLog(Path path, Clock clock, boolean fsync) throws IOException {
        this.path = path;
        this.clock = clock;
        this.fsync = fsync;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // READ to find the last line; writes go to the tracked end (we hold the lock, nobody else writes).
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            this.lock = lockOrFail(ch, path);
            readHead(ch);
            this.end = ch.size();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.channel = ch;
    }

    private static FileLock lockOrFail(FileChannel ch, Path path) throws IOException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new IOException("audit log " + path + " is already open (by this or another process)");
        }
        return l;
    }

    /** Sets {@link #seq} and {@link #prev} from the file's last line, or to the start of a chain. */
    private void readHead(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            seq = 0;
            prev = AuditLines.GENESIS;
            return;
        }
        byte[] last = lastLine(ch, size);
        long lastSeq;
        try {
            JsonNode node = AuditLines.JSON.readTree(last);
            JsonNode s = node == null ? null : node.get(AuditLines.SEQ);
            if (s == null || !s.canConvertToExactIntegral() || s.asLong() < 1) {
                throw new IOException("its last line has no valid 'seq'");
            }
            lastSeq = s.asLong();
        } catch (JsonProcessingException e) {
            throw new IOException("audit log " + path + ": its last line is not JSON; "
                    + "check it with 'audit-verify' and move it aside");
        } catch (IOException e) {
            throw new IOException("audit log " + path + ": " + e.getMessage()
                    + "; check it with 'audit-verify' and move it aside");
        }
        seq = lastSeq;
        prev = AuditLines.sha256Hex(last, 0, last.length);
    }

    /** The bytes of the last line, without its '\n'; fails if the file does not end with one. */
    private byte[] lastLine(FileChannel ch, long size) throws IOException {
        if (readByte(ch, size - 1) != '\n') {
            throw new IOException("audit log " + path + " ends with an incomplete line (a crash during a "
                    + "write?); check it with 'audit-verify' and move it aside");
        }
        long end = size - 1;
        long start = end;
        int chunk = 4096;
        ByteBuffer buf = ByteBuffer.allocate(chunk);
        search:
        while (start > 0) {
            long from = Math.max(0, start - chunk);
            buf.clear().limit((int) (start - from));
            readFully(ch, buf, from);
            for (int i = buf.limit() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    start = from + i + 1;
                    break search;
                }
            }
            start = from;
            if (end - start > AuditLines.MAX_LINE_BYTES) {
                throw new IOException("audit log " + path + ": its last line is too long");
            }
        }
        ByteBuffer line = ByteBuffer.allocate((int) (end - start));
        readFully(ch, line, start);
        return line.array();
    }

    private static byte readByte(FileChannel ch, long pos) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        readFully(ch, one, pos);
        return one.get(0);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    @Override
    public void append(String event, String appointmentId, Map<String, String> fields) {
        if (event == null || event.isBlank()) {
            throw new IllegalArgumentException("an audit event needs a name");
        }
        Map<String, String> extra = fields == null ? Map.of() : fields;
        for (Map.Entry<String, String> f : extra.entrySet()) {
            AuditLines.checkFieldName(f.getKey());
            AuditLines.checkValue(f.getKey(), f.getValue());
        }
        AuditLines.checkValue(AuditLines.APPOINTMENT_ID, appointmentId);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("audit log " + path + " is closed");
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put(AuditLines.SEQ, seq + 1);
            line.put(AuditLines.TIME, clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
            line.put(AuditLines.EVENT, event);
            line.put(AuditLines.APPOINTMENT_ID, appointmentId);
            line.putAll(extra);
            line.put(AuditLines.PREV, prev);
            byte[] json;
            try {
                json = AuditLines.JSON.writeValueAsBytes(line);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode an audit line", e);
            }
            write(json);
            seq++;
            prev = AuditLines.sha256Hex(json, 0, json.length);
        }
    }

    private void write(byte[] json) {
        byte[] bytes = Arrays.copyOf(json, json.length + 1);
        bytes[json.length] = '\n';
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            long pos = end;
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
            if (fsync) {
                channel.force(false);
            }
            end = pos;
        } catch (IOException e) {
            try {
                channel.truncate(end);
            } catch (IOException ignored) {
                // the verifier will point at the partial line
            }
            throw new UncheckedIOException("cannot write audit log " + path, e);
        }
    }

    /** The file this log appends to. */
    public Path path() {
        return path;
    }

    /** The {@code seq} and hash of the last line written (0 and 64 zeros for an empty log). */
    public synchronized Head head() {
        return new Head(seq, prev);
    }

    /** The end of the chain: record it elsewhere to make changes to the final lines detectable too. */
    public record Head(long seq, String sha256) {
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close audit log " + path, e);
        }
    }
}
