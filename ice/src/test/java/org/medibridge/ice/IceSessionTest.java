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
