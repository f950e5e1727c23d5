package org.medibridge.recording;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.medibridge.recording.storage.RecordingOutput;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.MediaTap;

/**
 * Records one participant's audio (Opus) and video (VP8) into one WebM file, straight from RTP,
 * without transcoding. Attach it as a {@link MediaTap} to the participant's incoming streams.
 *
 * <h2>Threads</h2>
 * <pre>
 *  media worker ── onRtp / onSenderReport: copy into a pooled slot, offer ──▶ PacketQueue
 *                  (bounded; no free slot → dropped, counted droppedQueueFull; never waits)
 *  recorder-&lt;participant&gt; ── per stream: jitter buffer → VP8 frame assembly → RTP/NTP → timeline
 *                  → interleaver → WebmWriter → RecordingOutput (all disk I/O here)
 * </pre>
 * The writer thread is created from the given {@link ThreadFactory} and renamed
 * {@code recorder-<participant>}. {@code requestKeyframe} is called on that thread, at most once
 * per 500 ms; the caller posts it to the media worker.
 *
 * <h2>Stop and failure</h2>
 * {@link #close()} stops accepting packets, lets the writer thread drain the queue and the jitter
 * buffers, finalizes the file (cues, duration) and waits for the thread: it may block on disk
 * I/O, so call it off the media thread. On any I/O error (disk full) the writer closes the WebM
 * writer without finalizing — what was written stays playable — records the error
 * ({@link #failure()}), calls {@code onFailure} (on the writer thread), and from then on every
 * packet is dropped and counted; nothing is thrown at the router.
 *
 * <h2>Ownership</h2>
 * The recorder owns the {@link RecordingOutput} it is given and closes it (through the WebM
 * writer) on close or failure.
 */
public final class ParticipantRecorder implements MediaTap, AutoCloseable {
    public static final int DEFAULT_QUEUE_CAPACITY = 2048;
    /** How long the writer thread sleeps when idle before it looks at the jitter buffers' clocks. */
    static final long IDLE_POLL_MILLIS = 20;

    private final String participant;
    private final PacketQueue queue;
    private final RecorderCounters counters = new RecorderCounters();
    private final FrameSink.Factory sinks;
    private final KeyframeRequester keyframes;
    private final Consumer<Exception> onFailure;
    private final LongSupplier nanoClock;
    private final Thread thread;

    /** Set by close() or a failure: the media worker drops from then on. */
    private volatile boolean stopped;
    private volatile boolean closing;
    private volatile IOException failure;
    private FrameSink sink;  // writer thread only

    /**
     * Starts recording into {@code output} (owned from now on); the WebM header is written on the
     * writer thread.
     *
     * @param participant     names the writer thread, {@code recorder-<participant>}
     * @param title           the WebM segment title
     * @param requestKeyframe asks the publisher for a key frame; called on the writer thread
     * @param threads         makes the one writer thread
     * @param onFailure       told once, on the writer thread, when writing failed
     */
    public ParticipantRecorder(String participant, RecordingOutput output, String title, Runnable requestKeyframe,
                               ThreadFactory threads, Consumer<Exception> onFailure) {
        this(participant, () -> WebmFrameSink.open(output, title), requestKeyframe, threads, onFailure,
                DEFAULT_QUEUE_CAPACITY, System::nanoTime);
        Objects.requireNonNull(output, "output");
    }

    ParticipantRecorder(String participant, FrameSink.Factory sinks, Runnable requestKeyframe, ThreadFactory threads,
                        Consumer<Exception> onFailure, int queueCapacity, LongSupplier nanoClock) {
        this.participant = Objects.requireNonNull(participant, "participant");
        this.sinks = Objects.requireNonNull(sinks, "sinks");
        this.onFailure = onFailure != null ? onFailure : e -> { };
        this.nanoClock = nanoClock;
        this.queue = new PacketQueue(queueCapacity, RecordingPipeline.MAX_HELD_PACKETS);
        this.keyframes = new KeyframeRequester(Objects.requireNonNull(requestKeyframe, "requestKeyframe"),
                nanoClock, counters);
        this.thread = threads.newThread(this::run);
        thread.setName("recorder-" + participant);
        thread.start();
    }

    // --- Media worker side: copy, offer, return. ---

    @Override
    public void onRtp(IncomingStream stream, byte[] buf, int off, int len, long arrivalNanos) {
        if (stopped) {
            counters.droppedStopped.incrementAndGet();
            return;
        }
        counters.packetsIn.incrementAndGet();
        QueuedPacket slot = queue.acquire();
        if (slot == null) {
            counters.droppedQueueFull.incrementAndGet();
            return;
        }
        slot.setRtp(stream, buf, off, len, arrivalNanos);
        queue.publish(slot);
    }

    @Override
    public void onSenderReport(IncomingStream stream, long ntpTimestamp, long rtpTimestamp, long arrivalNanos) {
        if (stopped) {
            return;
        }
        QueuedPacket slot = queue.acquire();
        if (slot == null) {
            counters.droppedQueueFull.incrementAndGet();
            return;
        }
        slot.setSenderReport(stream, ntpTimestamp, rtpTimestamp, arrivalNanos);
        queue.publish(slot);
    }

    // --- Control, any thread. ---

    /**
     * Stops: drains the queue, writes what is held, finalizes the file, and waits for the writer
     * thread. Idempotent. Called on the writer thread itself (from {@code onFailure}), it only
     * asks the thread to stop.
     */
    @Override
    public void close() {
        stopped = true;
        closing = true;
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public RecorderStats stats() {
        return counters.snapshot();
    }

    /** The error that stopped the recording, or null. */
    public IOException failure() {
        return failure;
    }

    public boolean isFailed() {
        return failure != null;
    }

    public String participant() {
        return participant;
    }

    /** Packets waiting for the writer thread. */
    public int queued() {
        return queue.queued();
    }

    // --- Writer thread. ---

    private void run() {
        RecordingPipeline pipeline = null;
        try {
            sink = sinks.open();
            pipeline = new RecordingPipeline(sink, counters, keyframes, queue::recycle);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        while (true) {
            QueuedPacket p;
            try {
                p = queue.poll(IDLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                closing = true;  // asked to stop the hard way: finish what is queued
                stopped = true;
                p = queue.pollNow();
            }
            if (p == null) {
                if (closing) {
                    break;
                }
                if (failure == null) {
                    try {
                        pipeline.tick(nanoClock.getAsLong());
                    } catch (IOException | RuntimeException e) {
                        fail(e);
                    }
                }
                continue;
            }
            if (failure != null) {
                queue.recycle(p);
                continue;
            }
            try {
                if (p.senderReport) {
                    pipeline.onSenderReport(p.stream, p.ntpTimestamp, p.srRtpTimestamp, p.arrivalNanos);
                    queue.recycle(p);
                } else {
                    pipeline.onRtp(p);  // takes ownership
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }
        if (failure == null) {
            try {
                pipeline.finish();
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }
    }

    /** Stops writing for good, keeping the file playable, and tells the owner. Writer thread. */
    private void fail(Exception e) {
        IOException io = e instanceof IOException ? (IOException) e
                : new IOException("recorder " + participant + " failed", e);
        stopped = true;
        failure = io;
        if (sink != null) {
            try {
                sink.close();  // without finish: the clusters written so far stay playable
            } catch (IOException | RuntimeException closeError) {
                io.addSuppressed(closeError);
            }
        }
        try {
            onFailure.accept(io);
        } catch (RuntimeException ignored) {
            // the owner's callback must not kill the writer thread, which still drains the queue
        }
    }
}
