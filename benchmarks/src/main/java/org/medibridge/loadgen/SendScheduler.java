package org.medibridge.loadgen;

import java.nio.ByteBuffer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.medibridge.buffer.PacketBuffer;

/**
 * The one thread that sends every emulated publisher's media (and every subscriber's RTCP): it
 * wakes about every millisecond and lets each publisher send what is due. One thread for all
 * streams keeps the load generator's thread count flat however many participants it emulates.
 */
final class SendScheduler implements AutoCloseable {
    private static final long TICK_NANOS = 1_000_000L;
    private static final long RTCP_INTERVAL_NANOS = 1_000_000_000L;

    private final CopyOnWriteArrayList<Publisher> publishers = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Participant> subscribers = new CopyOnWriteArrayList<>();
    /** Room for the largest packet plus the SRTP tag and SRTCP index. */
    private final byte[] scratchArray = new byte[1600];
    private final PacketBuffer scratch = PacketBuffer.wrap(scratchArray, 0, 0);
    private final ByteBuffer wrapper = ByteBuffer.wrap(scratchArray);
    private final Thread thread;
    private volatile boolean running = true;

    SendScheduler() {
        thread = new Thread(this::run, "loadgen-send");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    void add(Publisher p) { publishers.add(p); }
    void remove(Publisher p) { publishers.remove(p); }
    void addSubscriber(Participant p) { subscribers.addIfAbsent(p); }
    void removeSubscriber(Participant p) { subscribers.remove(p); }

    private void run() {
        long nextRtcp = System.nanoTime() + RTCP_INTERVAL_NANOS;
        while (running) {
            long now = System.nanoTime();
            for (Publisher p : publishers) {
                try {
                    p.tick(now, scratch, wrapper);
                } catch (RuntimeException e) {
                    System.err.println("loadgen: publisher " + p.index + ": " + e);
                }
            }
            if (now - nextRtcp >= 0) {
                nextRtcp = now + RTCP_INTERVAL_NANOS;
                for (Participant s : subscribers) {
                    try {
                        s.sendSubscriberRtcp(scratch, wrapper);
                    } catch (RuntimeException e) {
                        System.err.println("loadgen: RTCP of " + s.name + ": " + e);
                    }
                }
            }
            long sleep = TICK_NANOS - (System.nanoTime() - now);
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
