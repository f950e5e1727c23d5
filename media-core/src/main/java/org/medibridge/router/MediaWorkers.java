package org.medibridge.router;

import java.util.concurrent.atomic.AtomicInteger;

/** The media threads of the server, one per core by default; rooms are spread over them. */
public final class MediaWorkers implements AutoCloseable {
    private final MediaWorker[] workers;
    private final AtomicInteger next = new AtomicInteger();

    public MediaWorkers(int count) {
        workers = new MediaWorker[Math.max(1, count)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new MediaWorker("media-worker-" + i);
        }
    }

    /** The worker for a new room: round robin, which spreads rooms evenly enough. */
    public MediaWorker pick() {
        return workers[Math.floorMod(next.getAndIncrement(), workers.length)];
    }

    public MediaWorker[] all() {
        return workers.clone();
    }

    @Override
    public void close() {
        for (MediaWorker w : workers) {
            w.close();
        }
    }
}
