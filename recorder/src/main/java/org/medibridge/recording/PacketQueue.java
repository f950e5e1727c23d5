package org.medibridge.recording;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The hand-off from the media worker to a recorder's writer thread: a fixed pool of
 * {@link QueuedPacket} slots and a bounded queue of filled ones. The producer never waits — no
 * free slot means the packet is dropped (the caller counts it). The pool holds
 * {@code capacity + held} slots so that packets the jitter buffers hold back (at most
 * {@code held}) do not shrink the queue.
 */
final class PacketQueue {
    private final ArrayBlockingQueue<QueuedPacket> free;
    private final ArrayBlockingQueue<QueuedPacket> filled;

    PacketQueue(int capacity, int held) {
        int slots = capacity + held;
        free = new ArrayBlockingQueue<>(slots);
        filled = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            free.add(new QueuedPacket());
        }
    }

    /** A free slot for the producer, or null when all are in use (queue full). Never blocks. */
    QueuedPacket acquire() {
        return free.poll();
    }

    /** Hands a filled slot to the consumer. Cannot fail: there are never more slots than room. */
    void publish(QueuedPacket p) {
        filled.offer(p);
    }

    /** Gives a slot back unfilled (the producer could not use it) or after use (the consumer). */
    void recycle(QueuedPacket p) {
        p.clear();
        free.offer(p);
    }

    /** The next filled slot, waiting at most {@code timeoutMillis}; null if none came. */
    QueuedPacket poll(long timeoutMillis) throws InterruptedException {
        return filled.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    QueuedPacket pollNow() {
        return filled.poll();
    }

    int queued() {
        return filled.size();
    }
}
