package org.medibridge.dtls;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads for DTLS: BouncyCastle's handshake ({@code DTLSServerProtocol.accept},
 * {@code DTLSClientProtocol.connect}) blocks its thread for the whole exchange, so handshakes
 * run here, on a fixed number of named threads with a bounded queue. When the queue is full the
 * task is refused and counted; the transport fails with {@code handshake_rejected} instead of
 * queueing without bound (a burst of joins must not become unbounded memory or latency).
 * Post-handshake drain tasks run here too. A single timer thread enforces handshake timeouts.
 */
public final class DtlsHandshakePool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService timer;
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param name thread name prefix
     * @param threads concurrent handshakes (each holds a thread while waiting for the peer)
     * @param queueCapacity handshakes waiting for a thread before new ones are refused
     */
    public DtlsHandshakePool(String name, int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        // Idle handshake threads go away; a quiet server holds none.
        this.executor.allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on a pool thread; returns false (and counts) when the queue is full or the pool closed. */
    public boolean execute(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            rejected.incrementAndGet();
            return false;
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Tasks refused because the queue was full (or the pool closed). */
    public long rejected() {
        return rejected.get();
    }

    /** Handshakes and drains currently running. */
    public int active() {
        return executor.getActiveCount();
    }

    public int queued() {
        return executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        timer.shutdownNow();
    }
}
