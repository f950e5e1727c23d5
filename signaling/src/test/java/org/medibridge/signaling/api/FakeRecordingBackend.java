package org.medibridge.signaling.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.medibridge.recordings.RecordingCatalog;
import org.medibridge.recordings.RecordingIds;
import org.medibridge.recordings.RecordingMeta;

/**
 * The rooms' recording side as the API sees it, on its own "media worker" thread: who is in the
 * call per appointment, at most one active recording each, kept in the real catalog.
 */
final class FakeRecordingBackend implements RecordingApiBackend, AutoCloseable {
    static final Instant AT = Instant.parse("2026-11-24T09:05:00Z");

    final Map<String, Set<String>> inCall = new ConcurrentHashMap<>();
    final Map<String, String> active = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean hang;
    volatile boolean encrypted;
    private final RecordingCatalog catalog;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-media-worker"));

    FakeRecordingBackend(RecordingCatalog catalog) {
        this.catalog = catalog;
    }

    void join(String appointmentId, String... participantIds) {
        inCall.computeIfAbsent(appointmentId, k -> ConcurrentHashMap.newKeySet()).addAll(List.of(participantIds));
    }

    private <T> CompletableFuture<T> onWorker(Supplier<T> task) {
        return hang ? new CompletableFuture<>() : CompletableFuture.supplyAsync(task, worker);
    }

    @Override
    public CompletableFuture<StartResult> request(String appointmentId) {
        return onWorker(() -> {
            calls.add("request " + appointmentId);
            Set<String> people = inCall.getOrDefault(appointmentId, Set.of());
            if (people.isEmpty()) {
                return StartResult.of(StartStatus.NOBODY_CONNECTED);
            }
            String cur = active.get(appointmentId);
            if (cur != null) {
                return StartResult.active(cur, catalog.get(cur).orElseThrow().state().json());
            }
            String id = RecordingIds.generate();
            catalog.create(RecordingMeta.requested(id, appointmentId, "api", AT, encrypted));
            active.put(appointmentId, id);
            return StartResult.requested(id, people.stream().sorted().toList());
        });
    }

    @Override
    public CompletableFuture<StopOutcome> stop(String appointmentId, String recordingId) {
        return onWorker(() -> {
            calls.add("stop " + appointmentId + " " + recordingId);
            if (!recordingId.equals(active.get(appointmentId))) {
                return StopOutcome.NOT_ACTIVE;
            }
            active.remove(appointmentId);
            RecordingMeta m = catalog.get(recordingId).orElseThrow();
            catalog.update(m.withState(RecordingMeta.State.STOPPED, m.startedAt(), AT.plusSeconds(60), "stopped"));
            return StopOutcome.STOPPED;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
