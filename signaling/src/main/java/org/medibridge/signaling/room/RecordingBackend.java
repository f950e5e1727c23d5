package org.medibridge.signaling.room;

import java.io.IOException;
import java.util.function.Consumer;
import org.medibridge.router.MediaTap;

/**
 * What a room needs to record: a recorder per participant and a place for the recording's
 * metadata. Implemented over the recorder module and the recording catalog by the server.
 */
public interface RecordingBackend {

    /** A participant's recorder: fed by the router as a tap, closed (finalized) off the media threads. */
    interface Recorder extends MediaTap, AutoCloseable {
        /** The file's name within the recording, e.g. {@code pat-1.webm}. */
        String fileName();

        /** Drains, finalizes the file (cues, duration) and closes it. Blocks: never call on a media thread. */
        @Override
        void close();

        long bytesWritten();
    }

    /**
     * Starts a recorder for one participant of {@code session}. {@code requestKeyframe} asks the
     * participant's publisher for a keyframe (any thread); {@code onFailure} reports a write
     * failure such as a full disk (any thread).
     */
    Recorder newRecorder(RecordingSession session, String participantId, String fileName,
                         Runnable requestKeyframe, Consumer<Exception> onFailure) throws IOException;

    /** Persists the recording's metadata (state, consents, files). Called on the room's thread; must be quick. */
    void save(RecordingSession session);

    /** Whether recording is possible at all (a recordings directory is configured). */
    boolean available();

    /** Runs finalizing work (closing recorders) off the media threads. */
    void background(Runnable task);

    /** No recordings directory configured: every request gets {@code recording_unavailable}. */
    RecordingBackend UNAVAILABLE = new RecordingBackend() {
        @Override public Recorder newRecorder(RecordingSession s, String pid, String file, Runnable kf,
                                              Consumer<Exception> onFailure) throws IOException {
            throw new IOException("recording is not configured");
        }
        @Override public void save(RecordingSession session) { }
        @Override public boolean available() { return false; }
        @Override public void background(Runnable task) { task.run(); }
    };
}
