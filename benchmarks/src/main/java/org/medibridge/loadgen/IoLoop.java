package org.medibridge.loadgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.stun.Stun;

/**
 * One receive thread for many {@link PeerConnection}s: a selector over their non-blocking UDP
 * channels. Every datagram is read into one reused buffer and handed to its connection on this
 * thread (STUN answered, DTLS queued, SRTP unprotected and counted). Every
 * {@link #TICK_NANOS} the connections' ICE timers run here too, so all STUN work has one thread.
 */
final class IoLoop implements AutoCloseable {
    private static final long TICK_NANOS = 20_000_000L;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<PeerConnection> toRegister = new ConcurrentLinkedQueue<>();
    private final List<PeerConnection> connections = new CopyOnWriteArrayList<>();
    private final byte[] receiveArray = new byte[2048];
    private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveArray);
    /** A view over {@link #receiveArray}, never released: the loop owns the array. */
    private final PacketBuffer view = PacketBuffer.wrap(receiveArray, 0, 0);
    final Stun stun = new Stun();
    private volatile boolean running = true;

    IoLoop(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    void register(PeerConnection c) {
        toRegister.add(c);
        selector.wakeup();
    }

    private void run() {
        long nextTick = System.nanoTime();
        while (running) {
            try {
                selector.select(5);
                PeerConnection c;
                while ((c = toRegister.poll()) != null) {
                    try {
                        c.channel().register(selector, SelectionKey.OP_READ, c);
                        connections.add(c);
                    } catch (ClosedChannelException e) {
                        // closed before it was registered: nothing to read
                    }
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid()) {
                        drain((PeerConnection) key.attachment());
                    }
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TICK_NANOS;
                    for (PeerConnection pc : connections) {
                        if (pc.isClosed()) {
                            connections.remove(pc);
                        } else {
                            pc.onTick(now);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("loadgen: I/O loop error: " + e);
                }
            }
        }
    }

    /** Reads until the socket is empty; a bounded number per wake-up keeps other sockets served. */
    private void drain(PeerConnection c) {
        DatagramChannel ch = c.channel();
        for (int i = 0; i < 64; i++) {
            int n;
            try {
                receiveBuffer.clear();
                n = ch.read(receiveBuffer);
            } catch (IOException e) {
                // ICMP port unreachable after the server went away, or a closed channel
                return;
            }
            if (n <= 0) {
                return;
            }
            long now = System.nanoTime();
            view.setOffsetLength(0, n);
            c.onDatagram(view, now, this);
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
