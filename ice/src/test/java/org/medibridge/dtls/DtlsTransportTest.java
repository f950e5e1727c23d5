package org.medibridge.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.buffer.PacketPool;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpProfile;

class DtlsTransportTest {
    private static DtlsCertificate serverCert;
    private static DtlsCertificate clientCert;

    private final PacketPool pool = new PacketPool(64);
    private final DtlsHandshakePool handshakes = new DtlsHandshakePool("dtls-test", 4, 16);
    private final InMemoryLink toServer = new InMemoryLink(pool, "net-to-server");
    private final InMemoryLink toClient = new InMemoryLink(pool, "net-to-client");
    private Endpoint server;
    private Endpoint client;

    @BeforeAll
    static void certificates() {
        serverCert = DtlsCertificate.generate();
        clientCert = DtlsCertificate.generate();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.transport.close();
        }
        if (server != null) {
            server.transport.close();
        }
        toServer.close();
        toClient.close();
        handshakes.close();
    }

    /** Records one transport's callbacks. */
    static final class Endpoint implements DtlsListener {
        final CompletableFuture<SrtpKeyingMaterial> complete = new CompletableFuture<>();
        final CompletableFuture<String> failure = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        DtlsTransport transport;

        @Override public void onHandshakeComplete(SrtpKeyingMaterial keys) { complete.complete(keys); }
        @Override public void onFailure(String reason) { failure.complete(reason); }
        @Override public void onClosed(String reason) { closed.complete(reason); }
    }

    private void wire(String fingerprintServerExpects, String fingerprintClientExpects, Duration timeout) {
        server = new Endpoint();
        client = new Endpoint();
        server.transport = new DtlsTransport(true, serverCert, "sha-256", fingerprintServerExpects,
                toClient, handshakes, server, timeout);
        client.transport = new DtlsTransport(false, clientCert, "sha-256", fingerprintClientExpects,
                toServer, handshakes, client, timeout);
        toServer.connectTo(server.transport);
        toClient.connectTo(client.transport);
    }

    @Test
    void handshakeCompletesWithMatchingKeys() throws Exception {
        wire(clientCert.sha256Fingerprint(), serverCert.sha256Fingerprint(), DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT);
        server.transport.start();
        client.transport.start();

        CompletableFuture.anyOf(server.complete, server.failure).get(20, TimeUnit.SECONDS);
        CompletableFuture.anyOf(client.complete, client.failure).get(20, TimeUnit.SECONDS);
        assertThat(server.failure.getNow("none") + "/" + client.failure.getNow("none")).isEqualTo("none/none");
        SrtpKeyingMaterial s = server.complete.get(20, TimeUnit.SECONDS);
        SrtpKeyingMaterial c = client.complete.get(20, TimeUnit.SECONDS);

        assertThat(s.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(c.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(c.weAreClient()).isTrue();
        assertThat(s.weAreClient()).isFalse();
        assertThat(c.localKey()).hasSize(16).isEqualTo(s.remoteKey());
        assertThat(c.localSalt()).hasSize(12).isEqualTo(s.remoteSalt());
        assertThat(c.remoteKey()).isEqualTo(s.localKey());
        assertThat(c.remoteSalt()).isEqualTo(s.localSalt());
        assertThat(c.localKey()).isNotEqualTo(c.remoteKey());
        assertThat(s.toString()).doesNotContain(java.util.HexFormat.of().formatHex(s.localKey()));
        assertThat(server.transport.isConnected()).isTrue();

        // close_notify from the client reaches the server's drain task.
        client.transport.close();
        assertThat(server.closed.get(20, TimeUnit.SECONDS)).isEqualTo("close_notify");
        assertThat(server.failure).isNotDone();
        assertThat(client.closed).isNotDone(); // no callbacks after our own close()
        awaitNoOutstandingBuffers();
    }

    @Test
    void serverRejectsWrongClientFingerprint() throws Exception {
        wire(serverCert.sha256Fingerprint() /* not the client's */, serverCert.sha256Fingerprint(),
                DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT);
        server.transport.start();
        client.transport.start();

        assertThat(server.failure.get(20, TimeUnit.SECONDS)).isEqualTo("fingerprint_mismatch");
        assertThat(client.failure.get(20, TimeUnit.SECONDS)).startsWith("handshake_failed");
        assertThat(server.complete).isNotDone();
        assertThat(server.transport.keyingMaterial()).isNull();
    }

    @Test
    void clientRejectsWrongServerFingerprint() throws Exception {
        wire(clientCert.sha256Fingerprint(), clientCert.sha256Fingerprint() /* not the server's */,
                DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT);
        server.transport.start();
        client.transport.start();

        assertThat(client.failure.get(20, TimeUnit.SECONDS)).isEqualTo("fingerprint_mismatch");
        assertThat(server.failure.get(20, TimeUnit.SECONDS)).startsWith("handshake_failed");
        assertThat(client.complete).isNotDone();
    }

    @Test
    void fingerprintComparisonIgnoresHexCase() throws Exception {
        wire(clientCert.sha256Fingerprint().toLowerCase(), serverCert.sha256Fingerprint(),
                DtlsTransport.DEFAULT_HANDSHAKE_TIMEOUT);
        server.transport.start();
        client.transport.start();
        assertThat(server.complete.get(20, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void silentPeerTimesOutAsClient() throws Exception {
        wire(clientCert.sha256Fingerprint(), serverCert.sha256Fingerprint(), Duration.ofMillis(400));
        toServer.silence();
        client.transport.start();
        assertThat(client.failure.get(20, TimeUnit.SECONDS)).isEqualTo("handshake_timeout");
        assertThat(toServer.sent()).isPositive(); // it did send a ClientHello
    }

    @Test
    void silentPeerTimesOutAsServer() throws Exception {
        wire(clientCert.sha256Fingerprint(), serverCert.sha256Fingerprint(), Duration.ofMillis(400));
        server.transport.start();
        assertThat(server.failure.get(20, TimeUnit.SECONDS)).isEqualTo("handshake_timeout");
    }

    @Test
    void fullPoolRejectsWithACountedFailure() throws Exception {
        try (DtlsHandshakePool tiny = new DtlsHandshakePool("dtls-tiny", 1, 1)) {
            Endpoint[] eps = new Endpoint[3];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = new Endpoint();
                // Clients whose server never answers: each blocks its thread until the timeout.
                eps[i].transport = new DtlsTransport(false, clientCert, "sha-256", serverCert.sha256Fingerprint(),
                        (b, o, l) -> { }, tiny, eps[i], Duration.ofSeconds(5));
                eps[i].transport.start();
            }
            assertThat(eps[2].failure.get(5, TimeUnit.SECONDS)).isEqualTo("handshake_rejected");
            assertThat(tiny.rejected()).isEqualTo(1);
            for (Endpoint e : eps) {
                e.transport.close();
            }
        }
    }

    /**
     * A peer that completes ICE and then never sends its ClientHello must not hold a handshake
     * thread: with a pool of one thread, five such silent servers leave it free, a real
     * handshake still completes on it, and the silent ones end by their timeout.
     */
    @Test
    void silentPeersHoldNoHandshakeThreadOnTheServerSide() throws Exception {
        try (DtlsHandshakePool tiny = new DtlsHandshakePool("dtls-tiny", 1, 1)) {
            List<Endpoint> silent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Endpoint e = new Endpoint();
                e.transport = new DtlsTransport(true, serverCert, "sha-256", clientCert.sha256Fingerprint(),
                        (b, o, l) -> { }, tiny, e, Duration.ofMillis(1500));
                e.transport.start();
                silent.add(e);
            }
            assertThat(tiny.active()).as("handshake threads taken by silent peers").isZero();

            server = new Endpoint();
            client = new Endpoint();
            server.transport = new DtlsTransport(true, serverCert, "sha-256", clientCert.sha256Fingerprint(),
                    toClient, tiny, server, Duration.ofSeconds(10));
            client.transport = new DtlsTransport(false, clientCert, "sha-256", serverCert.sha256Fingerprint(),
                    toServer, handshakes, client, Duration.ofSeconds(10));
            toServer.connectTo(server.transport);
            toClient.connectTo(client.transport);
            server.transport.start();
            client.transport.start();
            assertThat(server.complete.get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(client.complete.get(10, TimeUnit.SECONDS)).isNotNull();
            for (Endpoint e : silent) {
                assertThat(e.failure.get(10, TimeUnit.SECONDS)).isEqualTo("handshake_timeout");
                e.transport.close();
            }
            assertThat(tiny.rejected()).isZero();
        }
    }

    private void awaitNoOutstandingBuffers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.outstanding() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(pool.outstanding()).isZero();
    }
}
