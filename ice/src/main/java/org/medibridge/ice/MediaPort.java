package org.medibridge.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;
import org.medibridge.buffer.PacketPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP port all peer connections share (one firewall rule, one Kubernetes service port).
 * ice4j's {@link SinglePortUdpHarvester} owns the socket and its single receive thread; it
 * demultiplexes by the ICE ufrag of the first STUN check, then by remote address.
 *
 * <h2>Receive path and buffer ownership</h2>
 * socket → ice4j receive thread → a {@link PacketPool} buffer (see {@link Ice4jBuffers}) →
 * STUN stays inside ice4j (which returns the buffer to the pool) → everything else goes to
 * {@link IceSessionListener#onDatagram}, which takes ownership.
 *
 * <p>Browsers must use {@code bundlePolicy: 'max-bundle'} and {@code rtcpMuxPolicy: 'require'}.
 */
public final class MediaPort implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaPort.class);

    private final SinglePortUdpHarvester harvester;
    private final InetAddress bindAddress;
    private final String advertisedAddress;
    private final int port;
    private final Set<IceSession> sessions = ConcurrentHashMap.newKeySet();
    /** Selected remote address → session, so STUN consent traffic can refresh liveness. */
    private final Map<SocketAddress, IceSession> byRemote = new ConcurrentHashMap<>();
    private final DropCounters<MediaPortDrop> drops = new DropCounters<>(MediaPortDrop.class);
    private volatile boolean closed;

    /**
     * @param bindAddress a specific local address (ice4j advertises what it binds; a wildcard
     *                    needs {@code publicAddress})
     * @param port UDP port, 0 for an ephemeral one (tests)
     * @param publicAddress the address to advertise in candidates (1:1 NAT, cloud), or null
     * @param pool where receive buffers come from
     */
    public MediaPort(InetAddress bindAddress, int port, String publicAddress, PacketPool pool) throws IOException {
        if (bindAddress.isAnyLocalAddress() && publicAddress == null) {
            throw new IllegalArgumentException("binding the wildcard address needs a public address to advertise");
        }
        // Order matters: configuration before any ice4j class reads it, hooks before the harvester runs.
        Ice4jSettings.apply();
        Ice4jBuffers.install(pool, this::onStunReturned);
        AbstractUdpListener.USE_PUSH_API = true;
        this.harvester = new SinglePortUdpHarvester(new TransportAddress(bindAddress, port, Transport.UDP));
        this.bindAddress = bindAddress;
        this.port = harvester.getLocalAddress().getPort();
        this.advertisedAddress = publicAddress != null ? publicAddress : bindAddress.getHostAddress();
        log.info("media port bound to {}:{}, advertised as {}", bindAddress.getHostAddress(), this.port, advertisedAddress);
    }

    /** A new ICE session (its own ice4j Agent); {@code controlling} is false when the browser offers. */
    public IceSession createSession(boolean controlling, IceSessionListener listener) throws IOException {
        if (closed) {
            throw new IOException("media port closed");
        }
        IceSession s = new IceSession(this, harvester, controlling, listener);
        sessions.add(s);
        return s;
    }

    /** The bound UDP port (the real one when 0 was asked for). */
    public int port() {
        return port;
    }

    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** What candidates advertise: the public address if configured, else the bind address. */
    public String advertisedAddress() {
        return advertisedAddress;
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Datagrams dropped by reason. */
    public Map<MediaPortDrop, Long> drops() {
        return drops.snapshot();
    }

    /** Receive buffers that could not come from the pool (oversize request) since start; process-wide. */
    public static long unpooledBuffers() {
        return Ice4jBuffers.UNPOOLED.get();
    }

    /** Closes every session, then the socket and the receive thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (IceSession s : sessions) {
            s.close();
        }
        harvester.close();
    }

    void countDrop(MediaPortDrop reason) {
        drops.count(reason);
    }

    void sessionClosed(IceSession s) {
        sessions.remove(s);
    }

    void rememberRemote(InetSocketAddress remote, IceSession s) {
        byRemote.put(remote, s);
    }

    void forgetRemote(InetSocketAddress remote, IceSession s) {
        byRemote.remove(remote, s);
    }

    /** ice4j returned a buffer (mostly STUN, after its stack read it): refresh that session's liveness. */
    private void onStunReturned(Buffer b) {
        SocketAddress from = b.getRemoteAddress();
        if (from != null) {
            IceSession s = byRemote.get(from);
            if (s != null) {
                s.touch();
            }
        }
    }
}
