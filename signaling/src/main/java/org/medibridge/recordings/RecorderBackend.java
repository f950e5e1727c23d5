package org.medibridge.recordings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.medibridge.recording.ParticipantRecorder;
import org.medibridge.recording.storage.EncryptedFileOutput;
import org.medibridge.recording.storage.PlainFileOutput;
import org.medibridge.recording.storage.RecordingOutput;
import org.medibridge.router.IncomingStream;
import org.medibridge.signaling.room.RecordingBackend;
import org.medibridge.signaling.room.RecordingSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording for the rooms: a {@link ParticipantRecorder} (recorder module) per participant,
 * writing WebM into the {@link FileRecordingCatalog}'s directory, encrypted at rest when a key is
 * configured; metadata kept in the catalog. File closing and metadata updates run on one
 * {@code recording-io} thread, in order, off the media threads.
 */
public final class RecorderBackend implements RecordingBackend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecorderBackend.class);

    private final FileRecordingCatalog catalog;
    private final byte[] key;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final ExecutorService io = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "recording-io");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    /** @param key 32-byte AES key for encryption at rest, or null to write plain WebM */
    public RecorderBackend(FileRecordingCatalog catalog, byte[] key) {
        this.catalog = catalog;
        this.key = key == null ? null : key.clone();
    }

    @Override
    public Recorder newRecorder(RecordingSession session, String participantId, String fileName,
                                Runnable requestKeyframe, Consumer<Exception> onFailure) throws IOException {
        Path file = catalog.pathFor(session.id(), fileName);
        Files.createDirectories(file.getParent());
        RecordingOutput out = key == null ? PlainFileOutput.create(file) : EncryptedFileOutput.create(file, key);
        ParticipantRecorder recorder = new ParticipantRecorder(participantId, out,
                "MediBridge visit " + session.appointmentId() + " — " + participantId, requestKeyframe,
                Thread::new, onFailure);
        return new Recorder() {
            @Override public String fileName() { return fileName; }
            @Override public void close() { recorder.close(); }
            /** The file's size on disk (container and, when encrypted, its framing included). */
            @Override public long bytesWritten() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return recorder.stats().bytesWritten();
                }
            }
            @Override public void onRtp(IncomingStream s, byte[] buf, int off, int len, long arrivalNanos) {
                recorder.onRtp(s, buf, off, len, arrivalNanos);
            }
            @Override public void onSenderReport(IncomingStream s, long ntp, long rtp, long arrivalNanos) {
                recorder.onSenderReport(s, ntp, rtp, arrivalNanos);
            }
        };
    }

    @Override
    public void save(RecordingSession session) {
        RecordingMeta meta = toMeta(session);
        if (created.add(session.id())) {
            // The first save makes the directory the recorders write into: done at once (rare, small).
            catalog.create(meta);
            return;
        }
        io.execute(() -> {
            try {
                catalog.update(meta);
            } catch (RuntimeException e) {
                LOG.warn("recording {}: metadata not saved: {}", session.id(), e.toString());
            }
        });
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void background(Runnable task) {
        io.execute(task);
    }

    private RecordingMeta toMeta(RecordingSession s) {
        List<RecordingMeta.Participant> people = s.files().stream()
                .map(f -> new RecordingMeta.Participant(f.participantId(), f.name(), f.role(), f.consentedAt(),
                        f.file(), f.bytes()))
                .toList();
        List<RecordingMeta.Consent> consents = s.consents().stream()
                .map(c -> new RecordingMeta.Consent(c.participantId(), c.consent(), c.at()))
                .toList();
        return new RecordingMeta(s.id(), s.appointmentId(), s.requestedBy(), s.requestedAt(),
                RecordingMeta.State.valueOf(s.state().name()), s.startedAt(), s.stoppedAt(), s.stopReason(),
                key != null, people, consents);
    }

    @Override
    public void close() {
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
