package org.medibridge.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.medibridge.stun.Stun;

/**
 * A controlling ICE peer built by hand from {@link Stun}, with one socket per "interface", the way
 * a browser on Wi-Fi and Ethernet (or with loopback allowed) holds several candidate pairs to one
 * server candidate. It sends checks on the path the test names, answers the server's checks on
 * every path, and queues whatever else arrives. One reader thread per path.
 */
final class TwoPathIcePeer implements AutoCloseable {
    static final String UFRAG = "peer";
    static final String PASSWORD = "peerpassword0123456789";

    final Path[] paths;
    private final InetSocketAddress server;
    private final String username;
    private final String serverPassword;
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();

    TwoPathIcePeer(int pathCount, InetSocketAddress server, String serverUfrag, String serverPassword) throws IOException {
        this.server = server;
        this.username = serverUfrag + ":" + UFRAG;
        this.serverPassword = serverPassword;
        paths = new Path[pathCount];
        for (int i = 0; i < pathCount; i++) {
            paths[i] = new Path(i);
        }
    }

    /**
     * Sends a Binding request on path {@code i} and waits for its success response; retransmits
     * every 200 ms as RFC 8445 §14.3 allows. Returns false when none came within the timeout.
     */
    boolean check(int i, boolean useCandidate, long timeoutMillis) throws IOException, InterruptedException {
        Path path = paths[i];
        byte[] tid = new byte[12];
        ThreadLocalRandom.current().nextBytes(tid);
        byte[] out = new byte[512];
        int n;
        synchronized (path.stun) {
            n = path.stun.bindingRequest(out, tid, username, serverPassword, 1_862_270_975L - i, true, tieBreaker,
                    useCandidate);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            path.socket.send(new DatagramPacket(out, n, server));
            byte[] answered = path.successes.poll(200, TimeUnit.MILLISECONDS);
            while (answered != null) {
                if (Arrays.equals(answered, tid)) {
                    return true;
                }
                answered = path.successes.poll();
            }
        }
        return false;
    }

    void send(int i, byte[] data) throws IOException {
        paths[i].socket.send(new DatagramPacket(data, data.length, server));
    }

    @Override
    public void close() {
        for (Path p : paths) {
            p.socket.close();
        }
    }

    final class Path {
        final DatagramSocket socket;
        final Stun stun = new Stun();
        /** Transaction ids of success responses that arrived here. */
        final LinkedBlockingQueue<byte[]> successes = new LinkedBlockingQueue<>();
        /** The server's checks answered on this path. */
        final java.util.concurrent.atomic.AtomicInteger serverChecksAnswered = new java.util.concurrent.atomic.AtomicInteger();
        /** Datagrams that are not STUN (media from the server). */
        final LinkedBlockingQueue<byte[]> media = new LinkedBlockingQueue<>();

        Path(int index) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(100);
            Thread t = new Thread(this::readLoop, "two-path-peer-" + index);
            t.setDaemon(true);
            t.start();
        }

        private void readLoop() {
            byte[] buf = new byte[1500];
            byte[] out = new byte[512];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                int len = p.getLength();
                if (!Stun.isStun(buf, 0, len)) {
                    media.offer(Arrays.copyOf(buf, len));
                } else if (Stun.type(buf, 0) == Stun.BINDING_REQUEST) {
                    // The server's check (or consent check) on this path: answer it.
                    int n;
                    synchronized (stun) {
                        n = stun.bindingSuccess(out, buf, 0, (InetSocketAddress) p.getSocketAddress(), PASSWORD);
                    }
                    try {
                        socket.send(new DatagramPacket(out, n, p.getSocketAddress()));
                        serverChecksAnswered.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                } else if (Stun.type(buf, 0) == Stun.BINDING_SUCCESS) {
                    successes.offer(Arrays.copyOfRange(buf, 8, 20));
                }
            }
        }
    }
}
