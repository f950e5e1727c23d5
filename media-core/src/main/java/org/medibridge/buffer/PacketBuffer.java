package org.medibridge.buffer;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * One datagram as a view over a pooled {@code byte[]}: {@code [0, offset)} is headroom,
 * {@code [offset, offset + length)} the datagram, and the rest tailroom (room for the SRTP
 * authentication tag, so protect works in place).
 *
 * <h2>Ownership rule</h2>
 * Exactly one stage owns a {@code PacketBuffer} at a time. The owner either hands it to the next
 * stage (a successful {@code offer} to a bounded queue or a call documented as "takes ownership")
 * and stops touching it, or calls {@link #release()} exactly once. A stage that drops a packet
 * releases it. Nobody keeps a reference after handing it on; data that must outlive the packet
 * (the retransmission cache) is copied. {@link PacketPool} counts outstanding buffers so that
 * tests can assert nothing leaks.
 */
public final class PacketBuffer implements ByteArrayBuffer {
    private final PacketPool pool;
    private final byte[] buffer;
    private int offset;
    private int length;
    private boolean released = true;

    /** Nanotime at which the datagram was received (or 0). */
    private long receivedNanos;

    /**
     * Reserved for the transport that received this buffer (the ice module pins its ice4j
     * wrapper here, so the receive path allocates nothing). Media code never reads it.
     */
    private Object transportAttachment;

    /**
     * The endpoint that received this datagram, set by the receive path so the media worker
     * knows where it came from without a per-packet wrapper object.
     */
    private Object receiver;

    PacketBuffer(PacketPool pool, int capacity) {
        this.pool = pool;
        this.buffer = new byte[capacity];
    }

    /** Wraps caller-owned bytes (tests, benchmarks); {@link #release()} is then a no-op. */
    public static PacketBuffer wrap(byte[] bytes, int offset, int length) {
        PacketBuffer p = new PacketBuffer(null, bytes);
        p.offset = offset;
        p.length = length;
        p.released = false;
        return p;
    }

    private PacketBuffer(PacketPool pool, byte[] bytes) {
        this.pool = pool;
        this.buffer = bytes;
    }

    /** Called by the pool when it hands the buffer out. */
    void acquired(int headroom) {
        released = false;
        offset = headroom;
        length = 0;
        receivedNanos = 0;
        receiver = null;
    }

    /** Gives the buffer back to its pool. Must be called exactly once by the last owner. */
    public void release() {
        if (released) {
            throw new IllegalStateException("PacketBuffer released twice");
        }
        released = true;
        if (pool != null) {
            pool.giveBack(this);
        }
    }

    public boolean isReleased() {
        return released;
    }

    @Override public byte[] getBuffer() { return buffer; }
    @Override public int getOffset() { return offset; }
    @Override public int getLength() { return length; }
    @Override public void setLength(int length) {
        if (length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("length " + length + " does not fit");
        }
        this.length = length;
    }
    @Override public void setOffset(int offset) {
        if (offset < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset " + offset + " does not fit");
        }
        this.offset = offset;
    }

    public void setOffsetLength(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("offset " + offset + " length " + length + " do not fit");
        }
        this.offset = offset;
        this.length = length;
    }

    public int capacity() { return buffer.length; }
    public int headroom() { return offset; }
    public int tailroom() { return buffer.length - offset - length; }

    public long receivedNanos() { return receivedNanos; }
    public void setReceivedNanos(long receivedNanos) { this.receivedNanos = receivedNanos; }

    public Object receiver() { return receiver; }
    public void setReceiver(Object receiver) { this.receiver = receiver; }

    public Object transportAttachment() { return transportAttachment; }
    public void setTransportAttachment(Object attachment) { this.transportAttachment = attachment; }

    /** Copies {@code src} into this buffer at the current offset and sets the length. */
    public void copyFrom(byte[] src, int srcOffset, int srcLength) {
        setLength(srcLength);
        System.arraycopy(src, srcOffset, buffer, offset, srcLength);
    }

    @Override public boolean isInvalid() { return length <= 0; }

    @Override public void readRegionToBuff(int off, int len, byte[] outBuf) {
        System.arraycopy(buffer, offset + off, outBuf, 0, len);
    }

    /** jitsi-srtp calls this to make sure {@code howMuch} more bytes fit after the data. */
    @Override public void grow(int howMuch) {
        if (howMuch > tailroom()) {
            throw new IllegalStateException("no tailroom for " + howMuch + " more bytes (" + tailroom() + " left)");
        }
    }

    @Override public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override public void shrink(int len) {
        if (len <= 0) {
            return;
        }
        length = Math.max(0, length - len);
    }
}
