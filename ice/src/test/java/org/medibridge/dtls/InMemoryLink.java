package org.medibridge.dtls;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;

/**
 * One direction of an in-memory network: datagrams sent into it are copied into pooled buffers
 * and delivered to the receiving transport on this link's own "network" thread, like the ice4j
 * receive thread would.
 */
final class InMemoryLink implements DatagramSender, AutoCloseable {
    private final PacketPool pool;
    private final ExecutorService network;
    private final AtomicLong sent = new AtomicLong();
    private volatile DtlsTransport receiver;
    private volatile boolean silent;

    InMemoryLink(PacketPool pool, String name) {
        this.pool = pool;
        this.network = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    void connectTo(DtlsTransport receiver) {
        this.receiver = receiver;
    }

    /** Drops everything from now on (a peer that never answers). */
    void silence() {
        silent = true;
    }

    long sent() {
        return sent.get();
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        sent.incrementAndGet();
        DtlsTransport r = receiver;
        if (silent || r == null) {
            return;
        }
        PacketBuffer p = pool.acquire();
        p.copyFrom(buf, off, len);
        network.execute(() -> r.receive(p));
    }

    @Override
    public void close() {
        network.shutdownNow();
    }
}
