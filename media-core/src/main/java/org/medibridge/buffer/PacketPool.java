package org.medibridge.buffer;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of equally sized {@link PacketBuffer}s. Buffers are created on demand and kept
 * up to {@code maxIdle}; beyond that a returned buffer is left to the garbage collector. The
 * ownership rule is written on {@link PacketBuffer}.
 *
 * <p>Capacity: an MTU-sized datagram (1500) plus {@link #HEADROOM} for header growth and
 * {@link #TAILROOM} for the SRTP/SRTCP authentication tag and index.
 */
public final class PacketPool {
    /** Room in front of the datagram, e.g. for an RTX header (RFC 4588) or extension growth. */
    public static final int HEADROOM = 32;
    /** Largest datagram the server receives or sends. */
    public static final int MAX_DATAGRAM = 1500;
    /** SRTCP adds a 4-byte index plus up to a 16-byte tag; keep a little more. */
    public static final int TAILROOM = 32;
    public static final int CAPACITY = HEADROOM + MAX_DATAGRAM + TAILROOM;

    private final ArrayBlockingQueue<PacketBuffer> idle;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();

    public PacketPool(int maxIdle) {
        this.idle = new ArrayBlockingQueue<>(maxIdle);
    }

    /** Hands out a buffer with offset {@link #HEADROOM} and length 0; the caller owns it. */
    public PacketBuffer acquire() {
        PacketBuffer b = idle.poll();
        if (b == null) {
            b = new PacketBuffer(this, CAPACITY);
            created.incrementAndGet();
        }
        outstanding.incrementAndGet();
        b.acquired(HEADROOM);
        return b;
    }

    void giveBack(PacketBuffer b) {
        outstanding.decrementAndGet();
        idle.offer(b);
    }

    /** Buffers handed out and not yet released: 0 when the server is idle, or something leaks. */
    public long outstanding() { return outstanding.get(); }

    /** Buffers ever created by this pool. */
    public long created() { return created.get(); }

    public int idle() { return idle.size(); }
}
