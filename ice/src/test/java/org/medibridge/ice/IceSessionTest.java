package org.medibridge.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;

class IceSessionTest {
    private final PacketPool pool = new PacketPool(256);
    private MediaPort port;
    private TestIcePeer client;
    private IceSession session;

    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<String> failed = new CompletableFuture<>();
    private final LinkedBlockingQueue<PacketBuffer> datagrams = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        port = new MediaPort(InetAddress.getLoopbackAddress(), 0, null, pool);
        session = port.createSession(false, new IceSessionListener() {
            @Override public void onConnected() { connected.complete(null); }
            @Override public void onFailed(String reason) { failed.complete(reason); }
            @Override public void onDatagram(PacketBuffer packet) { datagrams.offer(packet); }
        });
        client = new TestIcePeer();
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (port != null) {
            port.close();
        }
    }

    @Test
    void advertisesOneHostCandidateOnThePort() {
        List<IceCandidateInfo> c = session.localCandidates();
        assertThat(c).hasSize(1);
        assertThat(c.get(0).address()).isEqualTo("127.0.0.1");
        assertThat(c.get(0).port()).isEqualTo(port.port()).isPositive();
        assertThat(c.get(0).toSdpAttribute()).matches("candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 \\d+ typ host");
        assertThat(session.localUfrag()).isNotBlank();
        assertThat(session.localPassword()).hasSizeGreaterThanOrEqualTo(22);
    }

    @Test
    void connectsWithZeroRemoteCandidatesAndCarriesDatagrams() throws Exception {
        // No remote candidates: the client's first check creates a peer-reflexive pair.
        session.setRemoteCredentials(client.agent.getLocalUfrag(), client.agent.getLocalPassword());
        session.start();
        long before = session.lastReceivedNanos();
        client.connectTo(session);

        connected.get(20, TimeUnit.SECONDS);
        client.connected.get(20, TimeUnit.SECONDS);
        assertThat(failed).isNotDone();
        assertThat(session.isConnected()).isTrue();

        byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42, 7, 7};
        client.send(rtp);
        PacketBuffer got = datagrams.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(java.util.Arrays.copyOfRange(got.getBuffer(), got.getOffset(), got.getOffset() + got.getLength()))
                .isEqualTo(rtp);
        assertThat(got.getOffset()).isEqualTo(PacketPool.HEADROOM);
        assertThat(got.tailroom()).isGreaterThanOrEqualTo(PacketPool.TAILROOM);
        assertThat(session.lastReceivedNanos()).isGreaterThan(before);
        got.release();

        byte[] back = {(byte) 0x80, (byte) 200, 0, 6};
        session.send(back, 0, back.length);
        assertThat(client.received.poll(20, TimeUnit.SECONDS)).isEqualTo(back);
        assertThat(session.sendFailures()).isZero();

        session.close();
        session.send(back, 0, back.length); // never throws on a closed session
        assertThat(session.sendsAfterClose()).isEqualTo(1);
        assertThat(port.sessionCount()).isZero();
    }

    /**
     * A browser with two paths to our one candidate (two interfaces, or loopback allowed) may move
     * its selected pair after ICE completed: Chromium re-sorts its connections by RTT and network
     * cost and then nominates another pair. ice4j by default stops answering checks on any pair
     * but its selected one once processing TERMINATED (about 3 s after COMPLETED); the browser's
     * new pair then times out and its connection fails mid-visit. Every succeeded pair must stay
     * answered, and media must follow the path the browser now uses.
     */
    @Test
    void checksOnAnotherSucceededPairAreAnsweredAfterIceTerminatedAndMediaFollowsThem() throws Exception {
        session.setRemoteCredentials(TwoPathIcePeer.UFRAG, TwoPathIcePeer.PASSWORD);
        session.start();
        try (TwoPathIcePeer peer = new TwoPathIcePeer(2, new java.net.InetSocketAddress(
                InetAddress.getLoopbackAddress(), port.port()), session.localUfrag(), session.localPassword())) {
            assertThat(peer.check(0, false, 5000)).as("check on path 0").isTrue();
            assertThat(peer.check(1, false, 5000)).as("check on path 1").isTrue();
            // Both pairs succeed both ways (the server's triggered checks answered), as a browser's
            // pairs do before it picks one; then it nominates path 0.
            for (TwoPathIcePeer.Path path : peer.paths) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (path.serverChecksAnswered.get() == 0 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertThat(path.serverChecksAnswered.get()).as("server checks answered on a path").isPositive();
            }
            Thread.sleep(200); // the answers reach ice4j's check list
            assertThat(peer.check(0, true, 5000)).as("nomination on path 0").isTrue();
            connected.get(20, TimeUnit.SECONDS);

            // ice4j moves COMPLETED -> TERMINATED about 3 s later.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"Terminated".equals(session.iceProcessingState()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(session.iceProcessingState()).isEqualTo("Terminated");

            // The browser now prefers path 1 and nominates it.
            assertThat(peer.check(1, true, 3000)).as("a check on path 1 answered after ICE terminated").isTrue();
            assertThat(peer.check(0, false, 3000)).as("path 0 still answered too").isTrue();

            byte[] rtp = {(byte) 0x80, 96, 0, 9, 0, 0, 0, 1, 0, 0, 0, 42, 7, 7};
            peer.send(1, rtp);
            PacketBuffer got = datagrams.poll(10, TimeUnit.SECONDS);
            assertThat(got).as("media from path 1 delivered").isNotNull();
            got.release();
            byte[] back = {(byte) 0x80, (byte) 200, 0, 6, 1, 2, 3, 4};
            session.send(back, 0, back.length);
            assertThat(peer.paths[1].media.poll(10, TimeUnit.SECONDS)).as("media sent on path 1").isEqualTo(back);
            assertThat(failed).isNotDone();
        }
    }

    @Test
    void sendBeforeConnectivityIsCountedNotThrown() {
        session.send(new byte[] {1, 2, 3}, 0, 3);
        assertThat(session.sendFailures()).isEqualTo(1);
    }

    @Test
    void remoteCandidatesAreParsedAndFiltered() {
        session.setRemoteCredentials("abcd", "0123456789012345678901");
        assertThat(session.addRemoteCandidate("candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0")).isTrue();
        assertThat(session.addRemoteCandidate("a=candidate:2 1 udp 1686052607 198.51.100.7 3478 typ srflx raddr 10.0.0.1 rport 5000")).isTrue();
        assertThat(session.addRemoteCandidate("candidate:3 1 udp 2122260223 6c1a2b3c-1111-2222-3333-444455556666.local 54321 typ host")).isFalse();
        assertThat(session.addRemoteCandidate("candidate:4 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active")).isFalse();
        assertThat(session.remoteCandidatesSkipped()).isEqualTo(2);
        session.start();
        // After start, trickled candidates are still accepted.
        assertThat(session.addRemoteCandidate("candidate:5 1 udp 2122260223 2001:db8::1 40000 typ host")).isTrue();

        assertThatThrownBy(() -> session.addRemoteCandidate("candidate:1 1 udp 2122260223 192.0.2.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fields");
        assertThatThrownBy(() -> session.addRemoteCandidate("candidate:1 1 udp x 192.0.2.1 1 typ host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
        assertThatThrownBy(() -> session.addRemoteCandidate("candidate:1 1 udp 1 192.0.2.1 70000 typ host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> session.addRemoteCandidate("candidate:1 1 udp 1 example.com 5000 typ host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IP literal");
        assertThatThrownBy(() -> session.addRemoteCandidate("candidate:1 1 udp 1 192.0.2.1 5000 kind host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("typ");
    }

    @Test
    void startNeedsRemoteCredentials() {
        assertThatThrownBy(session::start).isInstanceOf(IllegalStateException.class);
    }
}
