package org.medibridge.ice;

import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;
import org.medibridge.buffer.PacketBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full ICE (RFC 8445) for one peer connection on the shared {@link MediaPort}: its own ice4j
 * {@link Agent}, one stream, one component (BUNDLE + rtcp-mux; the single-port harvester
 * supports nothing else). Created by {@link MediaPort#createSession}.
 *
 * <p>Threads: {@link IceSessionListener#onDatagram} on the port's receive thread; state
 * callbacks on ice4j agent threads; every public method may be called from any thread.
 */
public final class IceSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IceSession.class);
    /** With rtcp-mux there is only component 1 (RFC 5761 §5.1.3). */
    private static final int RTP_COMPONENT = 1;

    private final MediaPort port;
    private final IceSessionListener listener;
    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong sendsAfterClose = new AtomicLong();
    private final AtomicLong remoteCandidatesSkipped = new AtomicLong();
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile InetSocketAddress selectedRemote;

    IceSession(MediaPort port, SinglePortUdpHarvester harvester, boolean controlling, IceSessionListener listener)
            throws IOException {
        this.port = port;
        this.listener = listener;
        this.agent = new Agent();
        // An Agent defaults to controlling; when the browser offers, it controls and we must not.
        agent.setControlling(controlling);
        agent.setUseDynamicPorts(false);
        // RFC 7675 consent checks on the selected pair; responses refresh lastReceivedNanos.
        agent.setPerformConsentFreshness(true);
        agent.addCandidateHarvester(harvester);
        this.stream = agent.createMediaStream("bundle");
        // No merging component socket: payload comes through the push API, not a DatagramSocket.
        // ALL_SUCCEEDED, not SELECTED_ONLY: with SELECTED_ONLY ice4j stops answering checks on every
        // pair but its selected one once processing TERMINATED (~3 s after COMPLETED). A browser
        // with two paths to us (two interfaces; loopback in tests) may later nominate the other
        // one; its checks then went unanswered and its connection failed mid-visit.
        this.component = agent.createComponent(stream, KeepAliveStrategy.ALL_SUCCEEDED, false);
        component.setBufferCallback(this::onBuffer);
        agent.addStateChangeListener(this::onStateChange);
        stream.addPairChangeListener(this::onPairChange);
        if (component.getLocalCandidateCount() == 0) {
            agent.free();
            throw new IOException("the single-port harvester produced no candidate");
        }
    }

    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    public String localPassword() {
        return agent.getLocalPassword();
    }

    /** Host candidates to put in the SDP: the port's advertised address (public if configured). */
    public List<IceCandidateInfo> localCandidates() {
        List<IceCandidateInfo> out = new ArrayList<>();
        for (LocalCandidate c : component.getLocalCandidates()) {
            out.add(new IceCandidateInfo(c.getFoundation(), RTP_COMPONENT, "udp", c.getPriority(),
                    port.advertisedAddress(), port.port(), "host"));
        }
        return out;
    }

    /** The peer's ICE ufrag, once {@link #setRemoteCredentials} was called; else null. */
    public String remoteUfrag() {
        return stream.getRemoteUfrag();
    }

    public void setRemoteCredentials(String ufrag, String pwd) {
        if (ufrag == null || ufrag.isEmpty() || pwd == null || pwd.isEmpty()) {
            throw new IllegalArgumentException("remote ICE ufrag and password are required");
        }
        stream.setRemoteUfrag(ufrag);
        stream.setRemotePassword(pwd);
    }

    /**
     * Adds a remote candidate ({@code candidate:...}). Skips (returns false) mDNS {@code .local}
     * names (we do not resolve them; the browser's first check reveals its address as a
     * peer-reflexive candidate), TCP candidates, and components other than 1.
     *
     * @throws IllegalArgumentException for a malformed line or a host name that is not an IP literal
     */
    public boolean addRemoteCandidate(String candidateAttributeValue) {
        IceCandidateInfo info = IceCandidateInfo.parse(candidateAttributeValue);
        if (info.address().toLowerCase().endsWith(".local") || !info.transport().equals("udp")
                || info.component() != RTP_COMPONENT) {
            remoteCandidatesSkipped.incrementAndGet();
            return false;
        }
        CandidateType type;
        try {
            type = CandidateType.parse(info.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ICE candidate type '" + info.type() + "' unknown: " + candidateAttributeValue);
        }
        RemoteCandidate rc = new RemoteCandidate(new TransportAddress(ipLiteral(info.address(), candidateAttributeValue),
                info.port(), Transport.UDP), component, type, info.foundation(), info.priority(), null);
        synchronized (this) {
            if (started.get()) {
                component.addUpdateRemoteCandidates(rc);
                component.updateRemoteCandidates();
            } else {
                component.addRemoteCandidate(rc);
            }
        }
        return true;
    }

    /**
     * Begins connectivity checks. Needs the remote credentials; remote candidates are optional:
     * the browser's first check creates a peer-reflexive pair.
     */
    public void start() {
        if (stream.getRemoteUfrag() == null) {
            throw new IllegalStateException("set the remote credentials before start()");
        }
        synchronized (this) {
            if (closed.get() || !started.compareAndSet(false, true)) {
                return;
            }
            agent.startConnectivityEstablishment();
        }
    }

    /**
     * Sends one datagram on the selected (or last used) pair. Thread-safe; never throws on
     * failure: failures are counted (before connectivity there is no pair to send on).
     */
    public void send(byte[] buf, int off, int len) {
        if (closed.get()) {
            sendsAfterClose.incrementAndGet();
            return;
        }
        try {
            component.send(buf, off, len);
        } catch (IOException | RuntimeException e) {
            sendFailures.incrementAndGet();
        }
    }

    /** {@link System#nanoTime()} of the last datagram or consent response from the peer. */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    public boolean isConnected() {
        return connected.get() && !closed.get();
    }

    /** ice4j's processing state (Waiting, Running, Completed, Terminated, Failed), for tests and logs. */
    String iceProcessingState() {
        return agent.getState().toString();
    }

    public long sendFailures() {
        return sendFailures.get();
    }

    public long sendsAfterClose() {
        return sendsAfterClose.get();
    }

    public long remoteCandidatesSkipped() {
        return remoteCandidatesSkipped.get();
    }

    /** Frees the agent and its candidate; no callbacks afterwards. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        component.setBufferCallback(null);
        InetSocketAddress remote = selectedRemote;
        if (remote != null) {
            port.forgetRemote(remote, this);
        }
        port.sessionClosed(this);
        agent.free();
    }

    /** A STUN message from the selected remote address went through ice4j. */
    void touch() {
        lastReceivedNanos = System.nanoTime();
    }

    /** Receive thread. ice4j gives us ownership; we must not throw (ice4j would return the buffer again). */
    private void onBuffer(Buffer buffer) {
        PacketBuffer packet;
        try {
            packet = Ice4jBuffers.toPacketBuffer(buffer);
        } catch (RuntimeException e) {
            port.countDrop(MediaPortDrop.UNMAPPED_BUFFER);
            return;
        }
        lastReceivedNanos = packet.receivedNanos();
        if (closed.get()) {
            packet.release();
            port.countDrop(MediaPortDrop.SESSION_CLOSED);
            return;
        }
        try {
            listener.onDatagram(packet);
        } catch (RuntimeException e) {
            // Ownership passed with the call: whether the listener released it is unknown, so we
            // must not release it again (a double release could free someone else's buffer).
            port.countDrop(MediaPortDrop.LISTENER_FAILED);
            log.warn("onDatagram failed", e);
        }
    }

    private void onStateChange(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName()) || closed.get()) {
            return;
        }
        IceProcessingState state = (IceProcessingState) event.getNewValue();
        if (state == IceProcessingState.COMPLETED) {
            // TERMINATED follows COMPLETED after ~3 s by design: not an event for us.
            if (connected.compareAndSet(false, true)) {
                rememberSelectedRemote();
                listener.onConnected();
            }
        } else if (state == IceProcessingState.FAILED) {
            listener.onFailed("ice_failed");
        }
    }

    private void onPairChange(PropertyChangeEvent event) {
        if (IceMediaStream.PROPERTY_PAIR_CONSENT_FRESHNESS_CHANGED.equals(event.getPropertyName())) {
            touch();
        }
    }

    private void rememberSelectedRemote() {
        CandidatePair pair = component.getSelectedPair();
        if (pair != null) {
            SocketAddress a = pair.getRemoteCandidate().getTransportAddress();
            if (a instanceof InetSocketAddress) {
                selectedRemote = (InetSocketAddress) a;
                port.rememberRemote(selectedRemote, this);
            }
        }
    }

    /** Only IP literals: a host name would mean a blocking DNS lookup on the signaling thread. */
    private static InetAddress ipLiteral(String address, String attribute) {
        boolean v4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = address.indexOf(':') >= 0 && address.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("ICE candidate address '" + address + "' is not an IP literal: " + attribute);
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("ICE candidate address '" + address + "' is invalid: " + attribute);
        }
    }
}
