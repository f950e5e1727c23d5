package org.medibridge.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.medibridge.buffer.PacketBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media thread. It owns the rooms assigned to it: their packets, their RTCP timers and
 * their state changes all run here, so the media path takes no locks.
 *
 * <p>Two named, bounded hand-offs feed it: {@code packets} (from the ICE receive thread; when
 * full the packet is dropped and counted as {@link DropReason#WORKER_QUEUE_FULL}) and
 * {@code tasks} (state changes from signaling and DTLS threads; when full the caller gets an
 * exception, since losing a state change silently would be worse).
 */
public final class MediaWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaWorker.class);
    static final long TICK_NANOS = 20_000_000L;
    public static final int PACKET_QUEUE_CAPACITY = 8192;
    static final int TASK_QUEUE_CAPACITY = 4096;

    private final String name;
    private final ArrayBlockingQueue<PacketBuffer> packets = new ArrayBlockingQueue<>(PACKET_QUEUE_CAPACITY);
    private final ArrayBlockingQueue<Runnable> tasks = new ArrayBlockingQueue<>(TASK_QUEUE_CAPACITY);
    private final Thread thread;
    private final List<MediaRoom> rooms = new ArrayList<>();
    private final AtomicLong queueFullDrops = new AtomicLong();
    /** Every drop of this worker's endpoints, by reason, outliving the endpoints (for metrics). */
    private final DropCounters drops = new DropCounters();
    private final AtomicLong packetsProcessed = new AtomicLong();
    /** Loss repair toward publishers, outliving the endpoints (for metrics): NACKed sequence numbers, RTX repairs used. */
    final AtomicLong nacksSent = new AtomicLong();
    final AtomicLong rtxRecovered = new AtomicLong();
    /** PLIs sent to publishers (after throttling), outliving the endpoints (for metrics). */
    final AtomicLong keyframeRequestsSent = new AtomicLong();
    /**
     * Target layer changes the allocator made on subscribers' simulcast legs, up (including
     * resume) and down (including pause): each spatial one costs a keyframe from the publisher
     * and a visible jump in quality, so flapping shows here.
     */
    final AtomicLong layerTargetUps = new AtomicLong();
    final AtomicLong layerTargetDowns = new AtomicLong();
    /** Receive → send per forwarded packet; written only by this worker's thread. */
    private final LatencyHistogram forwardLatency = new LatencyHistogram();
    private final Egress egress = new Egress(forwardLatency);
    private final RtcpTermination rtcp = new RtcpTermination(egress);
    private final Ingress ingress = new Ingress(egress, rtcp);
    private final RtcpReports reports = new RtcpReports(egress);
    /** The pacing timer (probe clusters): finer than the tick, armed only while a cluster is sent. */
    private boolean paceScheduled;
    private long nextPaceNanos;
    private volatile boolean running = true;
    private volatile boolean sleeping;
    /** No thread of its own: see {@link #inline}. */
    private final boolean inline;

    public MediaWorker(String name) {
        this(name, false);
    }

    private MediaWorker(String name, boolean inline) {
        this.name = name;
        this.inline = inline;
        if (inline) {
            this.thread = Thread.currentThread();
        } else {
            this.thread = new Thread(this::run, name);
            this.thread.setDaemon(true);
            this.thread.start();
        }
    }

    /**
     * A worker without a thread of its own, for benchmarks of the packet path (JMH measures the
     * thread it runs on): the calling thread becomes the worker thread and drives it itself.
     * {@link #execute} runs a task at once and {@link #processInline} runs one datagram through
     * the receive path. No RTCP timers run. The server always uses {@link #MediaWorker(String)}.
     */
    public static MediaWorker inline(String name) {
        return new MediaWorker(name, true);
    }

    /**
     * Inline workers only: runs {@code packet} through the receive path now, on the calling
     * (owner) thread, exactly as the worker loop would. Takes ownership.
     */
    public void processInline(PacketBuffer packet) {
        if (!inline) {
            packet.release();
            throw new IllegalStateException(name + " has its own thread: use submit");
        }
        checkThread();
        onPacket(packet);
        packetsProcessed.incrementAndGet();
    }

    public String name() { return name; }

    /** Creates a room owned by this worker (on the worker thread). */
    public MediaRoom createRoom(String roomId) {
        checkThread();
        MediaRoom room = new MediaRoom(roomId, this);
        rooms.add(room);
        return room;
    }

    void removeRoom(MediaRoom room) {
        rooms.remove(room);
    }

    /**
     * Hands a received datagram to this worker. Takes ownership: on a full queue the packet is
     * released and counted. Called on the ICE receive thread; never blocks.
     * {@code packet.receiver()} must be the {@link MediaEndpoint} it arrived on.
     */
    public void submit(PacketBuffer packet) {
        if (!running || !packets.offer(packet)) {
            queueFullDrops.incrementAndGet();
            Object r = packet.receiver();
            if (r instanceof MediaEndpoint ep) {
                ep.stats.drops.count(DropReason.WORKER_QUEUE_FULL);
            }
            packet.release();
            return;
        }
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** Runs {@code task} on this worker. */
    public void execute(Runnable task) {
        if (inline) {
            checkThread();
            task.run();
            return;
        }
        if (!running) {
            throw new IllegalStateException(name + " is stopped");
        }
        try {
            if (!tasks.offer(task, 1, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " task queue is full");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        LockSupport.unpark(thread);
    }

    /**
     * Wakes the worker at {@code atNanos} (or as soon as possible after) to call
     * {@link MediaRoom#onPace}; the earliest request wins. Worker thread only.
     */
    void schedulePace(long atNanos) {
        if (!paceScheduled || atNanos - nextPaceNanos < 0) {
            paceScheduled = true;
            nextPaceNanos = atNanos;
        }
    }

    public boolean isWorkerThread() {
        return Thread.currentThread() == thread;
    }

    void checkThread() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("must run on " + name + ", not " + Thread.currentThread().getName());
        }
    }

    public long queueFullDrops() { return queueFullDrops.get(); }
    private final java.util.concurrent.atomic.AtomicLong tasksFailed = new java.util.concurrent.atomic.AtomicLong();
    public DropCounters drops() { return drops; }
    public long packetsProcessed() { return packetsProcessed.get(); }
    public long nacksSent() { return nacksSent.get(); }
    public long rtxRecovered() { return rtxRecovered.get(); }
    public long keyframeRequestsSent() { return keyframeRequestsSent.get(); }
    public long layerTargetUps() { return layerTargetUps.get(); }
    public long layerTargetDowns() { return layerTargetDowns.get(); }
    public int queuedPackets() { return packets.size(); }
    /**
     * Latency the server added per forwarded RTP packet: from the datagram's receive timestamp
     * (taken on the ICE receive thread, so the wait in this worker's queue is included) to the
     * return of the send. Safe to read from any thread through {@link LatencyHistogram#snapshot()}.
     */
    public LatencyHistogram forwardLatency() { return forwardLatency; }

    private void run() {
        long nextTick = System.nanoTime() + TICK_NANOS;
        while (running) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                runTask(task);
            }
            int n = 0;
            PacketBuffer p;
            while (n < 256 && (p = packets.poll()) != null) {
                n++;
                onPacket(p);
            }
            if (n > 0) {
                packetsProcessed.addAndGet(n);
            }
            long now = System.nanoTime();
            if (paceScheduled && now - nextPaceNanos >= 0) {
                paceScheduled = false;
                for (int i = 0; i < rooms.size(); i++) {
                    try {
                        rooms.get(i).onPace(egress, now);   // re-arms through schedulePace
                    } catch (RuntimeException | Error e) {
                        LOG.warn("{}: pacing failed in room {}", name, rooms.get(i).id(), e);
                    }
                }
            }
            if (now - nextTick >= 0) {
                for (int i = 0; i < rooms.size(); i++) {
                    try {
                        rooms.get(i).onTick(reports, now);
                    } catch (RuntimeException | Error e) {
                        LOG.warn("{}: RTCP tick failed in room {}", name, rooms.get(i).id(), e);
                    }
                }
                nextTick = now + TICK_NANOS;
            }
            if (n == 0) {
                sleeping = true;
                if (packets.isEmpty() && tasks.isEmpty() && running) {
                    long wake = paceScheduled && nextPaceNanos - nextTick < 0 ? nextPaceNanos : nextTick;
                    LockSupport.parkNanos(this, Math.max(0, wake - System.nanoTime()));
                }
                sleeping = false;
            }
        }
        PacketBuffer p;
        while ((p = packets.poll()) != null) {
            p.release();
        }
    }

    private void onPacket(PacketBuffer p) {
        if (!(p.receiver() instanceof MediaEndpoint from)) {
            // A caller broke submit()'s contract; the buffer is still ours to release.
            LOG.warn("{}: packet without a receiving endpoint dropped", name);
            p.release();
            return;
        }
        try {
            ingress.onDatagram(from, p, System.nanoTime());
        } catch (RuntimeException | Error e) {
            // Ingress released the packet in its finally block; one bad packet must not stop the worker.
            LOG.warn("{}: packet processing failed", name, e);
        }
    }

    /**
     * Errors too (an AssertionError, a LinkageError from a bad deployment, a StackOverflowError):
     * the thread serves every room on this worker, and one room's failed task must not end the
     * others' media. As Netty's event loops do, the worker logs and goes on.
     */
    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: task failed", name, e);
            tasksFailed.incrementAndGet();
        }
    }

    /** Tasks that threw (logged); see {@link #runTask}. */
    public long tasksFailed() { return tasksFailed.get(); }

    @Override
    public void close() {
        running = false;
        if (inline) {
            PacketBuffer p;
            while ((p = packets.poll()) != null) {
                p.release();
            }
            return;
        }
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
