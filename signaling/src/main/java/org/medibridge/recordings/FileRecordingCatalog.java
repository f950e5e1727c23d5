package org.medibridge.recordings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recordings on disk:
 * <pre>
 * &lt;recordingsDir&gt;/&lt;appointmentId&gt;/&lt;recordingId&gt;/recording.json
 *                                           /&lt;participantId&gt;.webm ...
 * </pre>
 * {@code recording.json} is {@link RecordingJson}; every write goes to a temporary file in the same
 * directory, is forced to disk and then renamed over the old one (atomic), so a reader or a crash
 * sees a whole version. Metadata is kept in memory too (reads never touch the disk); writes are
 * serialized by one lock. Thread-safe.
 * <p>
 * On {@link #open}, recordings left active by a process that died are marked stopped with reason
 * {@code failed} (their files were written cluster by cluster and stay playable), and half-done
 * deletions are finished. A delete first renames the recording's directory to a hidden name
 * ({@code .deleting-<id>}), so it vanishes at once and for good even if the process dies half-way.
 */
public final class FileRecordingCatalog implements RecordingCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(FileRecordingCatalog.class);
    private static final String DELETING = ".deleting-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final Map<String, RecordingMeta> byId = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();

    private FileRecordingCatalog(Path root) {
        this.root = root;
    }

    /** Opens (creating it if needed) the recordings directory and loads what is there. */
    public static FileRecordingCatalog open(Path recordingsDir, Clock clock) throws IOException {
        Path root = recordingsDir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        if (!Files.isWritable(root)) {
            throw new IOException("recordings directory " + root + " is not writable");
        }
        FileRecordingCatalog c = new FileRecordingCatalog(root);
        c.load(clock);
        return c;
    }

    public Path root() {
        return root;
    }

    private void load(Clock clock) throws IOException {
        try (DirectoryStream<Path> appointments = Files.newDirectoryStream(root)) {
            for (Path appt : appointments) {
                String apptId = appt.getFileName().toString();
                if (!Files.isDirectory(appt, LinkOption.NOFOLLOW_LINKS) || !RecordingIds.isValidAppointmentId(apptId)) {
                    continue;
                }
                try (DirectoryStream<Path> recs = Files.newDirectoryStream(appt)) {
                    for (Path dir : recs) {
                        String name = dir.getFileName().toString();
                        if (name.startsWith(DELETING)) {
                            deleteTree(dir);
                        } else if (RecordingIds.isValid(name) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                            loadOne(apptId, name, dir, clock);
                        }
                    }
                }
            }
        }
        LOG.info("recordings catalog {}: {} recordings", root, byId.size());
    }

    private void loadOne(String apptId, String id, Path dir, Clock clock) {
        Path meta = dir.resolve(RecordingIds.METADATA);
        try {
            Files.deleteIfExists(dir.resolve(RecordingIds.METADATA + ".tmp"));
            if (!Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("recording directory {} has no {}; ignored", dir, RecordingIds.METADATA);
                return;
            }
            RecordingMeta m = RecordingJson.fromJson(JSON.readTree(meta.toFile()));
            if (!m.recordingId().equals(id) || !m.appointmentId().equals(apptId)) {
                LOG.warn("{} names another recording ({} / {}); ignored", meta, m.appointmentId(), m.recordingId());
                return;
            }
            if (m.active()) {
                // The process that wrote it died: nothing is recording it any more.
                Instant at = lastModified(dir).orElse(clock.instant());
                m = m.withState(RecordingMeta.State.STOPPED, m.startedAt(), at, "failed");
                write(dir, m);
                LOG.warn("recording {} of appointment {} was left active; marked stopped (failed)", id, apptId);
            }
            byId.put(id, m);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read {}: {}; ignored", meta, e.toString());
        }
    }

    private static Optional<Instant> lastModified(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> {
                try {
                    return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    return FileTime.fromMillis(0);
                }
            }).max(Comparator.naturalOrder()).map(FileTime::toInstant);
        }
    }

    private Path dirOf(String appointmentId, String recordingId) {
        return root.resolve(appointmentId).resolve(recordingId);
    }

    @Override
    public void create(RecordingMeta meta) {
        synchronized (writeLock) {
            if (byId.containsKey(meta.recordingId())) {
                throw new IllegalStateException("recording " + meta.recordingId() + " exists");
            }
            Path dir = dirOf(meta.appointmentId(), meta.recordingId());
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir);
                write(dir, meta);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException("recording directory " + dir + " exists", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create recording " + meta.recordingId(), e);
            }
            byId.put(meta.recordingId(), meta);
        }
    }

    @Override
    public boolean update(RecordingMeta meta) {
        synchronized (writeLock) {
            RecordingMeta old = byId.get(meta.recordingId());
            if (old == null) {
                return false;
            }
            if (!old.appointmentId().equals(meta.appointmentId())) {
                throw new IllegalArgumentException("recording " + meta.recordingId() + " belongs to appointment "
                        + old.appointmentId());
            }
            try {
                write(dirOf(meta.appointmentId(), meta.recordingId()), meta);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save recording " + meta.recordingId(), e);
            }
            byId.put(meta.recordingId(), meta);
            return true;
        }
    }

    /** Temp file, fsync, atomic rename, so recording.json is always one whole version. */
    private static void write(Path dir, RecordingMeta meta) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(RecordingJson.toJson(meta));
        Path tmp = dir.resolve(RecordingIds.METADATA + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(RecordingIds.METADATA), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public List<RecordingMeta> list(String appointmentId) {
        return byId.values().stream().filter(m -> m.appointmentId().equals(appointmentId))
                .sorted(Comparator.comparing(RecordingMeta::requestedAt).thenComparing(RecordingMeta::recordingId))
                .toList();
    }

    @Override
    public Optional<RecordingMeta> get(String recordingId) {
        return recordingId == null ? Optional.empty() : Optional.ofNullable(byId.get(recordingId));
    }

    @Override
    public Path pathFor(String recordingId, String fileName) {
        if (!RecordingIds.isValidFileName(fileName)) {
            throw new IllegalArgumentException("bad file name: " + fileName);
        }
        RecordingMeta m = byId.get(recordingId);
        if (m == null) {
            throw new IllegalStateException("no recording " + recordingId);
        }
        return dirOf(m.appointmentId(), recordingId).resolve(fileName);
    }

    @Override
    public Optional<Path> fileOf(String recordingId, String name) {
        RecordingMeta m = get(recordingId).orElse(null);
        if (m == null || name == null || !RecordingIds.isValidFileName(name) || !m.files().contains(name)) {
            return Optional.empty();
        }
        Path dir = dirOf(m.appointmentId(), recordingId);
        Path p = dir.resolve(name).normalize();
        if (!p.getParent().equals(dir) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    @Override
    public DeleteResult delete(String recordingId) {
        Path doomed;
        synchronized (writeLock) {
            RecordingMeta m = byId.get(recordingId);
            if (m == null) {
                return DeleteResult.NOT_FOUND;
            }
            if (m.active()) {
                return DeleteResult.ACTIVE;
            }
            Path dir = dirOf(m.appointmentId(), recordingId);
            doomed = dir.resolveSibling(DELETING + recordingId);
            try {
                Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete recording " + recordingId, e);
            }
            byId.remove(recordingId);
        }
        try {
            deleteTree(doomed);
            // The appointment's directory goes with its last recording; under the lock, so that a
            // create() of the same appointment never finds its parent gone.
            synchronized (writeLock) {
                try {
                    Files.deleteIfExists(doomed.getParent());
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    // other recordings of the appointment remain
                }
            }
        } catch (IOException e) {
            LOG.warn("recording {} is deleted from the catalog; removing its files failed: {} (retried at start-up)",
                    recordingId, e.toString());
        }
        return DeleteResult.DELETED;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
