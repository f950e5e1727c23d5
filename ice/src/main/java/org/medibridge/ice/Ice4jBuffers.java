package org.medibridge.ice;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import kotlin.Unit;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;

/**
 * Routes ice4j's push-API receive buffers through our {@link PacketPool}, so receiving a datagram
 * allocates no buffer on our side.
 *
 * <h2>How ice4j uses the hooks (AbstractUdpListener.runInHarvesterThreadPush, ice4j 3.2-15)</h2>
 * For every datagram from a known remote address, and for a STUN Binding request from a new one,
 * the receive thread calls {@code BufferPool.getBuffer(start + len + end)} and copies the datagram
 * to offset {@code BYTES_TO_LEAVE_AT_START_OF_PACKET}. Then:
 * <ul>
 * <li>non-STUN: {@code Component.handleBuffer} → our callback, which <b>takes ownership</b>
 *     (if the callback throws, ice4j calls {@code returnBuffer}; our callbacks never throw);</li>
 * <li>STUN: queued to the session's virtual socket; ice4j's STUN thread copies it out and calls
 *     {@code returnBuffer};</li>
 * <li>a new remote address that no session accepts: {@code returnBuffer} at once.</li>
 * </ul>
 * Known leak in ice4j: a STUN buffer dropped from a full per-socket queue (128) or still queued
 * when the socket closes is never returned. We only lose the pool slot (the PacketBuffer is
 * garbage collected; {@link PacketPool#outstanding()} stays one higher).
 *
 * <h2>Mapping back</h2>
 * Each PacketBuffer gets one pinned ice4j {@link Buffer} wrapping the same array
 * ({@link PacketBuffer#setTransportAttachment}). ice4j hands us the Buffer; a weak identity map
 * (ice4j's Buffer does not override equals) finds its PacketBuffer without pinning either in
 * memory when the pool lets a buffer go.
 *
 * <p>The hooks are JVM-global (Kotlin companion fields): the most recently installed pool serves
 * all harvesters; buffers always return to the pool they came from.
 */
final class Ice4jBuffers {
    private static final Map<Buffer, WeakReference<PacketBuffer>> OWNERS = new WeakHashMap<>();
    private static volatile PacketPool pool;
    /** Told about every STUN buffer ice4j returns (consent checks keep a session alive). */
    private static volatile Consumer<Buffer> stunObserver = b -> { };

    static final AtomicLong UNPOOLED = new AtomicLong();
    static final AtomicLong FOREIGN_RETURNS = new AtomicLong();

    private Ice4jBuffers() {
    }

    static synchronized void install(PacketPool packetPool, Consumer<Buffer> observer) {
        pool = packetPool;
        stunObserver = observer;
        // ice4j copies to this offset: our headroom stays free for header growth (RTX, extensions).
        AbstractUdpListener.BYTES_TO_LEAVE_AT_START_OF_PACKET = PacketPool.HEADROOM;
        AbstractUdpListener.BYTES_TO_LEAVE_AT_END_OF_PACKET = PacketPool.TAILROOM;
        BufferPool.getBuffer = Ice4jBuffers::get;
        BufferPool.returnBuffer = b -> {
            giveBack(b);
            return Unit.INSTANCE;
        };
    }

    /** ice4j receive thread: a buffer for {@code size} bytes (headroom + datagram + tailroom). */
    private static Buffer get(int size) {
        PacketPool p = pool;
        if (p == null || size > PacketPool.CAPACITY) {
            UNPOOLED.incrementAndGet();
            return new Buffer(new byte[size], 0, size);
        }
        PacketBuffer pb = p.acquire();
        Object pinned = pb.transportAttachment();
        if (pinned instanceof Buffer) {
            return (Buffer) pinned;
        }
        Buffer b = new Buffer(pb.getBuffer(), 0, 0);
        pb.setTransportAttachment(b);
        synchronized (OWNERS) {
            OWNERS.put(b, new WeakReference<>(pb));
        }
        return b;
    }

    /**
     * The PacketBuffer behind an ice4j buffer handed to us, positioned on the datagram, or a
     * pool copy if ice4j gave us a buffer that is not ours (oversize fallback). The caller owns
     * the result.
     */
    static PacketBuffer toPacketBuffer(Buffer b) {
        PacketBuffer pb = owner(b);
        if (pb == null) {
            PacketPool p = pool;
            pb = p != null && b.getLength() <= PacketPool.MAX_DATAGRAM ? p.acquire() : PacketBuffer.wrap(new byte[b.getLength()], 0, 0);
            pb.copyFrom(b.getBuffer(), b.getOffset(), b.getLength());
        } else {
            pb.setOffsetLength(b.getOffset(), b.getLength());
        }
        pb.setReceivedNanos(System.nanoTime());
        return pb;
    }

    /** ice4j STUN thread or receive thread: ice4j is done with this buffer. */
    private static void giveBack(Buffer b) {
        try {
            stunObserver.accept(b);
        } catch (RuntimeException ignored) {
            // Liveness bookkeeping must never lose a buffer.
        }
        PacketBuffer pb = owner(b);
        if (pb == null) {
            FOREIGN_RETURNS.incrementAndGet();
            return;
        }
        pb.release();
    }

    private static PacketBuffer owner(Buffer b) {
        WeakReference<PacketBuffer> ref;
        synchronized (OWNERS) {
            ref = OWNERS.get(b);
        }
        return ref == null ? null : ref.get();
    }
}
