package org.medibridge.signaling.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Rooms as the API sees them, answering on their own thread like a media worker. Presence is
 * keyed "appointmentId/participantId"; {@link #hang} makes every call never complete.
 */
final class FakeBackend implements ApiBackend, AutoCloseable {
    final Map<String, Presence> present = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean hang;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-media-worker"));

    void connect(String appointmentId, Presence p) {
        present.put(appointmentId + "/" + p.participantId(), p);
    }

    private <T> CompletableFuture<T> onWorker(Supplier<T> task) {
        return hang ? new CompletableFuture<>() : CompletableFuture.supplyAsync(task, worker);
    }

    @Override
    public CompletableFuture<List<Presence>> participants(String appointmentId) {
        return onWorker(() -> {
            List<Presence> out = new ArrayList<>();
            present.forEach((k, v) -> {
                if (k.startsWith(appointmentId + "/")) {
                    out.add(v);
                }
            });
            return out;
        });
    }

    @Override
    public CompletableFuture<Outcome> admit(String a, String p) {
        return onWorker(() -> {
            calls.add("admit " + a + " " + p);
            Presence pr = present.get(a + "/" + p);
            if (pr == null) {
                return Outcome.NOT_CONNECTED;
            }
            present.put(a + "/" + p, new Presence(p, Presence.State.ADMITTED, pr.connectedSince(),
                    pr.connectedSince().plusSeconds(60), pr.audioMuted(), pr.videoMuted()));
            return Outcome.DONE;
        });
    }

    @Override
    public CompletableFuture<Outcome> deny(String a, String p) {
        return onWorker(() -> {
            calls.add("deny " + a + " " + p);
            Presence pr = present.get(a + "/" + p);
            if (pr == null) {
                return Outcome.NOT_CONNECTED;
            }
            if (pr.state() != Presence.State.WAITING) {
                return Outcome.NOT_WAITING;
            }
            present.remove(a + "/" + p);
            return Outcome.DONE;
        });
    }

    @Override
    public CompletableFuture<Outcome> remove(String a, String p) {
        return onWorker(() -> {
            calls.add("remove " + a + " " + p);
            return present.remove(a + "/" + p) == null ? Outcome.NOT_CONNECTED : Outcome.DONE;
        });
    }

    @Override
    public CompletableFuture<Outcome> mute(String a, String p, Boolean audio, Boolean video) {
        return onWorker(() -> {
            calls.add("mute " + a + " " + p + " audio=" + audio + " video=" + video);
            return present.containsKey(a + "/" + p) ? Outcome.DONE : Outcome.NOT_CONNECTED;
        });
    }

    @Override
    public CompletableFuture<Void> close(String a, String reason) {
        return onWorker(() -> {
            calls.add("close " + a + " " + reason);
            present.keySet().removeIf(k -> k.startsWith(a + "/"));
            return null;
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
