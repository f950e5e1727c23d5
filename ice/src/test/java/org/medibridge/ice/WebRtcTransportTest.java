package org.medibridge.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;
import org.medibridge.demux.DatagramClassifier;
import org.medibridge.demux.DatagramKind;
import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;
import org.medibridge.dtls.DtlsListener;
import org.medibridge.dtls.DtlsTransport;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpProfile;

/** End to end on loopback: a "browser" (ice4j agent + DTLS client) against MediaPort + WebRtcTransport. */
class WebRtcTransportTest {

    @Test
    void iceThenDtlsThenMediaBothWays() throws Exception {
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate browserCert = DtlsCertificate.generate();
        PacketPool pool = new PacketPool(256);
        CompletableFuture<SrtpKeyingMaterial> serverKeys = new CompletableFuture<>();
        CompletableFuture<String> serverClosed = new CompletableFuture<>();
        LinkedBlockingQueue<byte[]> serverMedia = new LinkedBlockingQueue<>();

        try (DtlsHandshakePool handshakes = new DtlsHandshakePool("dtls", 2, 16);
             MediaPort port = new MediaPort(InetAddress.getLoopbackAddress(), 0, null, pool);
             TestIcePeer browser = new TestIcePeer()) {

            // The browser offered (so it controls ICE) with a=setup:actpass; we answer passive → DTLS server.
            WebRtcTransport transport = new WebRtcTransport(port, false, serverCert, handshakes,
                    new WebRtcTransport.Listener() {
                        @Override public void onConnected(SrtpKeyingMaterial keys) { serverKeys.complete(keys); }
                        @Override public void onMediaPacket(PacketBuffer p) {
                            serverMedia.offer(Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength()));
                            p.release();
                        }
                        @Override public void onClosed(String reason) { serverClosed.complete(reason); }
                    });

            // The browser's DTLS client, over its ICE component.
            CompletableFuture<SrtpKeyingMaterial> browserKeys = new CompletableFuture<>();
            CompletableFuture<String> browserFailure = new CompletableFuture<>();
            DtlsTransport browserDtls = new DtlsTransport(false, browserCert, "sha-256", serverCert.sha256Fingerprint(),
                    (b, o, l) -> browser.component.send(b, o, l), handshakes, new DtlsListener() {
                        @Override public void onHandshakeComplete(SrtpKeyingMaterial keys) { browserKeys.complete(keys); }
                        @Override public void onFailure(String reason) { browserFailure.complete(reason); }
                        @Override public void onClosed(String reason) { }
                    });
            LinkedBlockingQueue<byte[]> browserMedia = new LinkedBlockingQueue<>();
            browser.onDatagram = p -> {
                DatagramKind kind = DatagramClassifier.classify(p.getBuffer(), p.getOffset(), p.getLength());
                if (kind == DatagramKind.DTLS) {
                    browserDtls.receive(p);
                } else {
                    browserMedia.offer(Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength()));
                }
            };

            // An RTP packet before DTLS completes is dropped, not delivered.
            transport.start(browser.agent.getLocalUfrag(), browser.agent.getLocalPassword(),
                    "sha-256", browserCert.sha256Fingerprint(), true);
            browser.connectTo(transport.ice());
            browser.connected.get(20, TimeUnit.SECONDS);
            byte[] early = {(byte) 0x80, 111, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
            browser.send(early);

            browserDtls.start();
            SrtpKeyingMaterial s = serverKeys.get(20, TimeUnit.SECONDS);
            SrtpKeyingMaterial c = browserKeys.get(20, TimeUnit.SECONDS);
            assertThat(browserFailure).isNotDone();
            assertThat(s.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
            assertThat(c.localKey()).isEqualTo(s.remoteKey());
            assertThat(c.remoteKey()).isEqualTo(s.localKey());
            assertThat(c.localSalt()).isEqualTo(s.remoteSalt());
            assertThat(c.remoteSalt()).isEqualTo(s.localSalt());
            assertThat(transport.isConnected()).isTrue();

            // Browser → server media.
            byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42, 1, 2, 3};
            browser.send(rtp);
            assertThat(serverMedia.poll(20, TimeUnit.SECONDS)).isEqualTo(rtp);
            byte[] rtcp = {(byte) 0x81, (byte) 201, 0, 1, 0, 0, 0, 42};
            browser.send(rtcp);
            assertThat(serverMedia.poll(20, TimeUnit.SECONDS)).isEqualTo(rtcp);

            // Server → browser media.
            byte[] out = {(byte) 0x80, 97, 0, 2, 0, 0, 0, 2, 0, 0, 0, 43, 9};
            transport.sendMedia(out, 0, out.length);
            assertThat(browserMedia.poll(20, TimeUnit.SECONDS)).isEqualTo(out);

            WebRtcTransport.Stats stats = transport.stats();
            assertThat(stats.mediaReceived()).isEqualTo(2);
            // The early packet may or may not have been in flight before ICE settled on the server.
            assertThat(stats.drops().get(TransportDrop.SRTP_NOT_READY)).isBetween(0L, 1L);
            assertThat(serverMedia).isEmpty();

            // The browser hangs up: close_notify reaches the server.
            browserDtls.close();
            assertThat(serverClosed.get(20, TimeUnit.SECONDS)).isEqualTo("close_notify");
            assertThat(port.sessionCount()).isZero();
        }
    }

    /**
     * RFC 8445 §9: the browser's path dies (a phone leaves Wi-Fi) and it restarts ICE from a new
     * address with new credentials, keeping its DTLS association. The restarted session connects,
     * takes over media and DTLS both ways, the old session is freed, and no new handshake happens.
     */
    @Test
    void iceRestartMovesTheSameDtlsAssociationToANewPath() throws Exception {
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate browserCert = DtlsCertificate.generate();
        PacketPool pool = new PacketPool(256);
        LinkedBlockingQueue<SrtpKeyingMaterial> serverKeys = new LinkedBlockingQueue<>();
        CompletableFuture<String> serverClosed = new CompletableFuture<>();
        LinkedBlockingQueue<byte[]> serverMedia = new LinkedBlockingQueue<>();

        try (DtlsHandshakePool handshakes = new DtlsHandshakePool("dtls", 2, 16);
             MediaPort port = new MediaPort(InetAddress.getLoopbackAddress(), 0, null, pool);
             TestIcePeer wifi = new TestIcePeer();
             TestIcePeer cellular = new TestIcePeer()) {
            WebRtcTransport transport = new WebRtcTransport(port, false, serverCert, handshakes,
                    new WebRtcTransport.Listener() {
                        @Override public void onConnected(SrtpKeyingMaterial keys) { serverKeys.offer(keys); }
                        @Override public void onMediaPacket(PacketBuffer p) {
                            serverMedia.offer(Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength()));
                            p.release();
                        }
                        @Override public void onClosed(String reason) { serverClosed.complete(reason); }
                    });
            // The browser's one DTLS client; its datagrams leave on whichever path is current.
            java.util.concurrent.atomic.AtomicReference<TestIcePeer> path = new java.util.concurrent.atomic.AtomicReference<>(wifi);
            CompletableFuture<SrtpKeyingMaterial> browserKeys = new CompletableFuture<>();
            DtlsTransport browserDtls = new DtlsTransport(false, browserCert, "sha-256", serverCert.sha256Fingerprint(),
                    (b, o, l) -> path.get().component.send(b, o, l), handshakes, new DtlsListener() {
                        @Override public void onHandshakeComplete(SrtpKeyingMaterial keys) { browserKeys.complete(keys); }
                        @Override public void onFailure(String reason) { browserKeys.completeExceptionally(new IllegalStateException(reason)); }
                        @Override public void onClosed(String reason) { }
                    });
            LinkedBlockingQueue<byte[]> wifiMedia = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<byte[]> cellularMedia = new LinkedBlockingQueue<>();
            wifi.onDatagram = p -> deliver(p, browserDtls, wifiMedia);
            cellular.onDatagram = p -> deliver(p, browserDtls, cellularMedia);

            IceSession first = transport.ice();
            transport.start(wifi.agent.getLocalUfrag(), wifi.agent.getLocalPassword(), "sha-256",
                    browserCert.sha256Fingerprint(), true);
            wifi.connectTo(first);
            wifi.connected.get(20, TimeUnit.SECONDS);
            browserDtls.start();
            SrtpKeyingMaterial keys = serverKeys.poll(20, TimeUnit.SECONDS);
            assertThat(keys).isNotNull();
            browserKeys.get(20, TimeUnit.SECONDS);
            byte[] before = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42, 1};
            wifi.send(before);
            assertThat(serverMedia.poll(20, TimeUnit.SECONDS)).isEqualTo(before);

            // Wi-Fi is gone; the browser restarts ICE from its cellular address.
            transport.restartIce();
            IceSession second = transport.ice();
            assertThat(second).isNotSameAs(first);
            assertThat(second.localUfrag()).isNotEqualTo(first.localUfrag());
            assertThat(second.localPassword()).isNotEqualTo(first.localPassword());
            assertThat(port.sessionCount()).isEqualTo(2);
            // Until the new path connects, media still goes out on the old one.
            byte[] during = {(byte) 0x80, 97, 0, 2, 0, 0, 0, 2, 0, 0, 0, 43, 2};
            transport.sendMedia(during, 0, during.length);
            assertThat(wifiMedia.poll(20, TimeUnit.SECONDS)).isEqualTo(during);

            transport.startRestartedIce(cellular.agent.getLocalUfrag(), cellular.agent.getLocalPassword());
            cellular.connectTo(second);
            cellular.connected.get(20, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (port.sessionCount() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(port.sessionCount()).as("the old session freed once the new one connected").isEqualTo(1);
            assertThat(transport.ice()).isSameAs(second);
            assertThat(transport.iceRestarts()).isEqualTo(1);
            path.set(cellular);

            // Media both ways on the new path, under the same keys: no second handshake.
            byte[] after = {(byte) 0x80, 96, 0, 3, 0, 0, 0, 3, 0, 0, 0, 42, 3};
            cellular.send(after);
            assertThat(serverMedia.poll(20, TimeUnit.SECONDS)).isEqualTo(after);
            byte[] out = {(byte) 0x80, 97, 0, 4, 0, 0, 0, 4, 0, 0, 0, 43, 4};
            transport.sendMedia(out, 0, out.length);
            assertThat(cellularMedia.poll(20, TimeUnit.SECONDS)).isEqualTo(out);
            assertThat(serverKeys).as("no second DTLS handshake").isEmpty();
            assertThat(transport.isConnected()).isTrue();

            // DTLS itself moved too: the browser's close_notify arrives over the new path.
            browserDtls.close();
            assertThat(serverClosed.get(20, TimeUnit.SECONDS)).isEqualTo("close_notify");
            assertThat(port.sessionCount()).isZero();
        }
    }

    /**
     * A restart begun while the path is still down (the browser retries every few seconds and
     * keeps checking for half a minute) must still be there when the path returns. Its trickled
     * candidates are not checked: ice4j would fail the unreachable pairs, fail the whole check
     * list 5 s later, and a failed agent answers nothing.
     */
    @Test
    void aRestartBegunWhileThePathIsDownWaitsForTheBrowsersChecks() throws Exception {
        PacketPool pool = new PacketPool(64);
        CompletableFuture<String> closed = new CompletableFuture<>();
        try (DtlsHandshakePool handshakes = new DtlsHandshakePool("dtls", 1, 4);
             MediaPort port = new MediaPort(InetAddress.getLoopbackAddress(), 0, null, pool);
             TestIcePeer first = new TestIcePeer();
             TestIcePeer later = new TestIcePeer()) {
            WebRtcTransport t = new WebRtcTransport(port, false, DtlsCertificate.generate(), handshakes,
                    new WebRtcTransport.Listener() {
                        @Override public void onConnected(SrtpKeyingMaterial keys) { }
                        @Override public void onMediaPacket(PacketBuffer p) { p.release(); }
                        @Override public void onClosed(String reason) { closed.complete(reason); }
                    });
            t.start(first.agent.getLocalUfrag(), first.agent.getLocalPassword(), "sha-256", "AA:BB", true);
            first.connectTo(t.ice());
            first.connected.get(20, TimeUnit.SECONDS);

            t.restartIce();
            IceSession restarted = t.ice();
            assertThat(t.startRestartedIce(later.agent.getLocalUfrag(), later.agent.getLocalPassword())).isTrue();
            // The browser trickles its new candidate, which the dead path cannot reach.
            assertThat(t.addRemoteCandidate("candidate:1 1 udp 2122260223 192.0.2.1 9999 typ host")).isFalse();
            assertThat(t.hasSessionFor(first.agent.getLocalUfrag())).isTrue();
            assertThat(t.hasSessionFor(later.agent.getLocalUfrag())).isTrue();
            assertThat(t.hasSessionFor("someone-else")).isFalse();

            // Longer than ice4j's 5 s between a failed check list and a failed agent.
            Thread.sleep(7000);
            assertThat(t.ice()).as("the restart is still under way").isSameAs(restarted);
            later.connectTo(restarted);
            later.connected.get(20, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (t.iceRestarts() == 1 && port.sessionCount() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(port.sessionCount()).as("the restarted session took over").isEqualTo(1);
            assertThat(t.ice()).isSameAs(restarted);
            assertThat(closed).isNotDone();
            t.close();
        }
    }

    private static void deliver(PacketBuffer p, DtlsTransport dtls, LinkedBlockingQueue<byte[]> media) {
        if (DatagramClassifier.classify(p.getBuffer(), p.getOffset(), p.getLength()) == DatagramKind.DTLS) {
            dtls.receive(p);
        } else {
            media.offer(Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength()));
        }
    }

    @Test
    void idleTransportExpires() throws Exception {
        PacketPool pool = new PacketPool(16);
        CompletableFuture<String> closed = new CompletableFuture<>();
        try (DtlsHandshakePool handshakes = new DtlsHandshakePool("dtls", 1, 4);
             MediaPort port = new MediaPort(InetAddress.getLoopbackAddress(), 0, null, pool)) {
            WebRtcTransport t = new WebRtcTransport(port, false, DtlsCertificate.generate(), handshakes,
                    new WebRtcTransport.Listener() {
                        @Override public void onConnected(SrtpKeyingMaterial keys) { }
                        @Override public void onMediaPacket(PacketBuffer p) { p.release(); }
                        @Override public void onClosed(String reason) { closed.complete(reason); }
                    });
            t.start("abcd", "0123456789012345678901", "sha-256", "AA:BB", true);
            long now = System.nanoTime();
            assertThat(t.closeIfIdle(now, TimeUnit.SECONDS.toNanos(30))).isFalse();
            assertThat(t.closeIfIdle(now + TimeUnit.SECONDS.toNanos(31), TimeUnit.SECONDS.toNanos(30))).isTrue();
            assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo("consent_expired");
            assertThat(port.sessionCount()).isZero();
        }
    }
}
