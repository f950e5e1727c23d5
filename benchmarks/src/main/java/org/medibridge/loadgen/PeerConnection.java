package org.medibridge.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.dtls.DtlsCertificate;
import org.medibridge.dtls.DtlsHandshakePool;
import org.medibridge.dtls.DtlsListener;
import org.medibridge.dtls.DtlsTransport;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpProfile;
import org.medibridge.srtp.SrtpResult;
import org.medibridge.srtp.SrtpSession;
import org.medibridge.stun.Stun;

/**
 * One emulated RTCPeerConnection on its own loopback UDP socket: ICE (RFC 8445, host candidate
 * only, towards the server's single candidate), DTLS-SRTP as the DTLS client (we answer or offer
 * so that the server is {@code a=setup:passive}), then SRTP. The server's media port tells
 * sessions apart by ufrag and then by our address, so every connection needs its own port.
 *
 * <p>Threads: {@link #onDatagram} and {@link #onTick} on the {@link IoLoop}; {@link #sendRtp} and
 * {@link #sendRtcp} on the send scheduler. Sending and receiving use separate {@link SrtpSession}s
 * (one per direction), so neither needs a lock.
 */
final class PeerConnection implements AutoCloseable {
    /** RFC 8445 §5.1.2.1 with type preference 126 (host), local preference 65535, component 1. */
    private static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | 255;
    /** Same for a peer-reflexive candidate (type preference 110), sent in PRIORITY. */
    private static final long PRFLX_PRIORITY = (110L << 24) | (65535L << 8) | 255;
    private static final long CHECK_INTERVAL_NANOS = 50_000_000L;
    /** RFC 7675 consent freshness: a check every few seconds keeps the server's session alive. */
    private static final long CONSENT_INTERVAL_NANOS = 2_000_000_000L;
    private static final long CONNECT_TIMEOUT_NANOS = 20_000_000_000L;
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** What a connection delivers after SRTP: plain RTP or RTCP, on the I/O thread. */
    interface MediaSink {
        void onRtp(PeerConnection from, byte[] buf, int off, int len, long receivedNanos);

        void onRtcp(PeerConnection from, byte[] buf, int off, int len);
    }

    final String label;
    private final DatagramChannel channel;
    private final boolean controlling;
    private final DtlsCertificate certificate;
    private final DtlsHandshakePool dtlsPool;
    private final MediaSink sink;
    private final String localUfrag;
    private final String localPassword;
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();
    private final long createdNanos = System.nanoTime();

    private volatile String remoteUfrag;
    private volatile String remotePassword;
    private volatile InetSocketAddress remote;
    private volatile DtlsTransport dtls;
    private volatile SrtpSession sendSrtp;
    private volatile SrtpSession receiveSrtp;
    private volatile SrtpProfile profile;
    private final AtomicBoolean iceConnected = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long nextCheckNanos;
    private final byte[] stunOut = new byte[512];
    private final byte[] transactionId = new byte[12];

    /** Completes with the SRTP keys, or exceptionally when ICE or DTLS fails. */
    final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicLong srtpFailures = new AtomicLong();
    final AtomicLong datagramsReceived = new AtomicLong();

    PeerConnection(String label, IoLoop loop, boolean controlling, DtlsCertificate certificate,
                   DtlsHandshakePool dtlsPool, MediaSink sink) throws IOException {
        this.label = label;
        this.controlling = controlling;
        this.certificate = certificate;
        this.dtlsPool = dtlsPool;
        this.sink = sink;
        this.localUfrag = randomIceString(8);
        this.localPassword = randomIceString(24);
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        // Room for a burst while the receive thread is descheduled (the kernel caps it at rmem_max).
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.configureBlocking(false);
        loop.register(this);
    }

    DatagramChannel channel() { return channel; }
    String localUfrag() { return localUfrag; }
    String localPassword() { return localPassword; }
    int localPort() { return ((InetSocketAddress) channelLocalAddress()).getPort(); }
    boolean isClosed() { return closed.get(); }
    SrtpProfile profile() { return profile; }

    /** Our one host candidate, as trickled in a {@code candidate} message (RFC 8839 §5.1). */
    String candidateLine() {
        return "candidate:1 1 udp " + HOST_PRIORITY + " 127.0.0.1 " + localPort() + " typ host generation 0";
    }

    /**
     * The remote description is known: its ICE credentials, DTLS fingerprint and the server's
     * candidate. Starts connectivity checks (on the next tick).
     */
    void setRemote(String ufrag, String password, String fingerprintAlgorithm, String fingerprint,
                   InetSocketAddress serverCandidate) throws IOException {
        if (remote != null) {
            return; // a re-offer on the same transport
        }
        this.remoteUfrag = ufrag;
        this.remotePassword = password;
        // Connected: only the server talks to this socket, and a connected send is cheaper.
        channel.connect(serverCandidate);
        this.dtls = new DtlsTransport(false, certificate, fingerprintAlgorithm, fingerprint,
                (buf, off, len) -> channel.write(ByteBuffer.wrap(buf, off, len)), dtlsPool, new DtlsListener() {
                    @Override public void onHandshakeComplete(SrtpKeyingMaterial keys) {
                        profile = keys.profile();
                        sendSrtp = new SrtpSession(keys);
                        receiveSrtp = new SrtpSession(keys);
                        connected.complete(keys);
                    }
                    @Override public void onFailure(String reason) {
                        connected.completeExceptionally(new IOException(label + ": DTLS " + reason));
                    }
                    @Override public void onClosed(String reason) {
                        // the server closed the session (e.g. at leave): nothing more to receive
                    }
                });
        this.remote = serverCandidate;
    }

    /** I/O thread: connectivity checks until connected, then consent checks. */
    void onTick(long now) {
        InetSocketAddress r = remote;
        if (r == null || closed.get()) {
            return;
        }
        if (!iceConnected.get() && now - createdNanos > CONNECT_TIMEOUT_NANOS) {
            connected.completeExceptionally(new IOException(label + ": ICE did not connect"));
            return;
        }
        if (now - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = now + (iceConnected.get() ? CONSENT_INTERVAL_NANOS : CHECK_INTERVAL_NANOS);
        ThreadLocalRandom.current().nextBytes(transactionId);
        // Aggressive nomination (RFC 5245 §8.1.1.2): the controlling side puts USE-CANDIDATE in
        // every check; there is exactly one pair.
        int n = stunLoopStun.bindingRequest(stunOut, transactionId, remoteUfrag + ":" + localUfrag, remotePassword,
                PRFLX_PRIORITY, controlling, tieBreaker, controlling);
        write(stunOut, 0, n);
    }

    /** Each connection's STUN codec is used on its I/O thread only. */
    private final Stun stunLoopStun = new Stun();

    /** I/O thread. {@code view} belongs to the loop: use it, never keep it. */
    void onDatagram(PacketBuffer view, long now, IoLoop loop) {
        datagramsReceived.incrementAndGet();
        byte[] b = view.getBuffer();
        int off = view.getOffset();
        int len = view.getLength();
        int first = b[off] & 0xFF;
        if (first < 4) {
            onStun(b, off, len, loop);
        } else if (first >= 20 && first <= 63) {
            DtlsTransport d = dtls;
            if (d != null) {
                byte[] copy = new byte[len];
                System.arraycopy(b, off, copy, 0, len);
                d.receive(PacketBuffer.wrap(copy, 0, len));
            }
        } else if (first >= 128 && first <= 191) {
            SrtpSession s = receiveSrtp;
            if (s == null || len < 2) {
                return;
            }
            int pt = b[off + 1] & 0xFF;
            if (pt >= 192 && pt <= 223) { // RFC 5761 §4
                if (s.unprotectRtcp(view) != SrtpResult.OK) {
                    srtpFailures.incrementAndGet();
                    return;
                }
                sink.onRtcp(this, b, view.getOffset(), view.getLength());
            } else {
                if (s.unprotectRtp(view) != SrtpResult.OK) {
                    srtpFailures.incrementAndGet();
                    return;
                }
                sink.onRtp(this, b, view.getOffset(), view.getLength(), now);
            }
        }
    }

    private void onStun(byte[] b, int off, int len, IoLoop loop) {
        if (!Stun.isStun(b, off, len)) {
            return;
        }
        int type = Stun.type(b, off);
        if (type == Stun.BINDING_REQUEST) {
            InetSocketAddress r = remote;
            if (r == null) {
                return; // before the remote description: the server checks again
            }
            int n = loop.stun.bindingSuccess(stunOut, b, off, r, localPassword);
            write(stunOut, 0, n);
            // Controlled side (subscriber connection): the server nominated this pair.
            if (!controlling && Stun.hasUseCandidate(b, off, len)) {
                iceConnected();
            }
        } else if (type == Stun.BINDING_SUCCESS) {
            iceConnected();
        }
    }

    private void iceConnected() {
        if (iceConnected.compareAndSet(false, true)) {
            nextCheckNanos = System.nanoTime() + CONSENT_INTERVAL_NANOS;
            DtlsTransport d = dtls;
            if (d != null) {
                d.start(); // we are the DTLS client: ClientHello goes out now
            }
        }
    }

    /** Send scheduler thread: protects {@code p} in place and sends it. */
    void sendRtp(PacketBuffer p, ByteBuffer wrapper) {
        SrtpSession s = sendSrtp;
        if (s == null || closed.get()) {
            return;
        }
        if (s.protectRtp(p) != SrtpResult.OK) {
            srtpFailures.incrementAndGet();
            return;
        }
        send(p, wrapper);
    }

    /** Send scheduler thread: protects an RTCP compound in place and sends it. */
    void sendRtcp(PacketBuffer p, ByteBuffer wrapper) {
        SrtpSession s = sendSrtp;
        if (s == null || closed.get()) {
            return;
        }
        if (s.protectRtcp(p) != SrtpResult.OK) {
            srtpFailures.incrementAndGet();
            return;
        }
        send(p, wrapper);
    }

    boolean isMediaReady() {
        return sendSrtp != null && !closed.get();
    }

    private void send(PacketBuffer p, ByteBuffer wrapper) {
        wrapper.limit(p.getOffset() + p.getLength());
        wrapper.position(p.getOffset());
        try {
            if (channel.write(wrapper) == 0) {
                sendFailures.incrementAndGet(); // socket send buffer full
            }
        } catch (IOException e) {
            sendFailures.incrementAndGet();
        }
    }

    private void write(byte[] b, int off, int len) {
        try {
            channel.write(ByteBuffer.wrap(b, off, len));
        } catch (IOException e) {
            sendFailures.incrementAndGet();
        }
    }

    private java.net.SocketAddress channelLocalAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        DtlsTransport d = dtls;
        if (d != null) {
            d.close();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connected.completeExceptionally(new IOException(label + ": closed"));
    }

    /** RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/". */
    private static String randomIceString(int n) {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ICE_CHARS.charAt(r.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
