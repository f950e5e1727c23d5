package org.medibridge.recordings;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where recordings live: their metadata ({@link RecordingMeta}) and their files. The room side
 * creates and updates entries as a recording goes on; the REST API lists, serves and deletes them.
 * Implementations are thread-safe. {@link FileRecordingCatalog} is the one on disk.
 */
public interface RecordingCatalog {

    /** Result of {@link #delete}. */
    enum DeleteResult { DELETED, NOT_FOUND, ACTIVE }

    /**
     * Records a new recording (usually just requested) and makes its directory, so files can be
     * written with {@link #pathFor}. Durable when it returns.
     *
     * @throws IllegalStateException if a recording with that id exists
     * @throws java.io.UncheckedIOException if it cannot be written
     */
    void create(RecordingMeta meta);

    /**
     * Replaces the metadata of an existing recording (state, consents, files), durably and
     * atomically: a reader or a crash sees the old or the new version, never a mix.
     *
     * @return false if there is no such recording (e.g. an operator deleted it meanwhile); nothing is written then
     * @throws IllegalArgumentException if the appointment id differs from the stored one
     * @throws java.io.UncheckedIOException if it cannot be written
     */
    boolean update(RecordingMeta meta);

    /** The recordings of one appointment, oldest request first. */
    List<RecordingMeta> list(String appointmentId);

    Optional<RecordingMeta> get(String recordingId);

    /**
     * Where the recorder writes (or wrote) the file {@code fileName} of an existing recording.
     *
     * @throws IllegalArgumentException if the name is not a valid file name ({@link RecordingIds#isValidFileName})
     * @throws IllegalStateException if there is no such recording
     */
    Path pathFor(String recordingId, String fileName);

    /**
     * The stored file {@code name} of a recording, only if {@code name} is exactly one of the files
     * its metadata lists and it exists as a regular file: never anything else on disk.
     */
    Optional<Path> fileOf(String recordingId, String name);

    /** Deletes the files and metadata of a stopped recording; ACTIVE (nothing deleted) while it is not stopped. */
    DeleteResult delete(String recordingId);
}
