package org.medibridge.ice;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.medibridge.buffer.PacketBuffer;

/**
 * The "browser" in tests: a controlling ice4j Agent on a plain UDP socket bound to loopback, as
 * a browser has. (A single-port harvester cannot be the checking side: it only gets a socket
 * for a remote address after that address has sent it a Binding request. And ice4j never
 * harvests loopback, so the host candidate is added by hand.) Create it after a
 * {@link MediaPort}, which applies the ice4j settings.
 */
final class TestIcePeer implements AutoCloseable {
    final Agent agent;
    final IceMediaStream stream;
    final Component component;
    final MultiplexingDatagramSocket socket;
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    volatile Consumer<PacketBuffer> onDatagram = p -> received.offer(
            Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength()));
    private final Thread reader;

    TestIcePeer() throws IOException {
        agent = new Agent();
        agent.setControlling(true);
        agent.setUseDynamicPorts(false);
        stream = agent.createMediaStream("bundle");
        // With a plain socket, payload is read from the component socket (no push API).
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
        socket = new MultiplexingDatagramSocket(0, InetAddress.getLoopbackAddress());
        HostCandidate host = new HostCandidate(new IceUdpSocketWrapper(socket), component, Transport.UDP);
        component.addLocalCandidate(host);
        host.getStunStack().addSocket(host.getStunSocket(null));
        component.getComponentSocket().add(socket);
        agent.addStateChangeListener(e -> {
            if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(e.getPropertyName())) {
                return;
            }
            if (e.getNewValue() == IceProcessingState.COMPLETED) {
                connected.complete(null);
            } else if (e.getNewValue() == IceProcessingState.FAILED) {
                connected.completeExceptionally(new IllegalStateException("client ICE failed"));
            }
        });
        reader = new Thread(this::readLoop, "test-peer-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (true) {
            try {
                p.setData(buf, 0, buf.length);
                component.getSocket().receive(p);
                onDatagram.accept(PacketBuffer.wrap(Arrays.copyOfRange(buf, 0, p.getLength()), 0, p.getLength()));
            } catch (IOException | RuntimeException e) {
                return; // closed
            }
        }
    }

    void connectTo(IceSession server) {
        stream.setRemoteUfrag(server.localUfrag());
        stream.setRemotePassword(server.localPassword());
        for (IceCandidateInfo c : server.localCandidates()) {
            component.addRemoteCandidate(new RemoteCandidate(
                    new TransportAddress(c.address(), c.port(), Transport.UDP), component,
                    CandidateType.HOST_CANDIDATE, c.foundation(), c.priority(), null));
        }
        agent.startConnectivityEstablishment();
    }

    void send(byte[] data) throws IOException {
        component.send(data, 0, data.length);
    }

    @Override
    public void close() {
        agent.free();
        socket.close();
        reader.interrupt();
    }
}
