package org.medibridge.dtls;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Adapts push to pull: the network thread offers DTLS records, BouncyCastle pulls them through
 * {@link DatagramTransport#receive}. Bounded: a full queue drops the new record (DTLS retransmits
 * handshake flights, so a drop costs a retransmission timeout, never correctness).
 *
 * <p>Records are copied into fresh arrays: DTLS records are a handful per connection (handshake,
 * alerts), so this keeps the pooled receive buffer's life short at negligible cost.
 */
final class RecordQueue implements DatagramTransport {
    /** Largest datagram we accept from the peer. */
    static final int RECEIVE_LIMIT = 1500;
    /** Path MTU we assume for our records (RFC 6347 §4.1.1.1: avoid IP fragmentation; TURN/VPN overhead). */
    static final int SEND_LIMIT = 1200;
    static final int CAPACITY = 64;

    /** Wakes a blocked receiver on close. */
    private static final byte[] CLOSED = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final DatagramSender sender;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    RecordQueue(DatagramSender sender) {
        this.sender = sender;
    }

    /** Called on the network thread. Returns false (and counts) if the record was dropped. */
    boolean offer(byte[] buf, int off, int len) {
        if (closed) {
            dropped.incrementAndGet();
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        if (!queue.offer(copy)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    void countDrop() {
        dropped.incrementAndGet();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long dropped() {
        return dropped.get();
    }

    @Override public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new SocketException("DTLS transport closed");
        }
        byte[] record;
        try {
            record = waitMillis <= 0 ? queue.poll() : queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted");
        }
        if (record == null) {
            return -1;
        }
        if (record == CLOSED || closed) {
            throw new SocketException("DTLS transport closed");
        }
        int n = Math.min(len, record.length);
        System.arraycopy(record, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new SocketException("DTLS transport closed");
        }
        sender.send(buf, off, len);
    }

    /** Makes a blocked or future {@link #receive} throw, so a handshake thread exits promptly. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
    }
}
