package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;
import org.medibridge.rtcp.RtcpCompoundIterator;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpProfile;
import org.medibridge.srtp.SrtpResult;
import org.medibridge.srtp.SrtpSession;

/**
 * Drives a real {@link MediaWorker} the way the ICE receive thread would: browsers are simulated by
 * "browser-side" {@link SrtpSession}s (the DTLS client half of each association), packets go in
 * through {@link MediaWorker#submit} in pooled buffers, and what the server sends is captured by
 * each endpoint's {@link DatagramSink} and decrypted with the browser's session.
 *
 * <p>Synchronisation without sleeps: {@link #flush()} waits until the worker has processed every
 * packet submitted so far ({@link MediaWorker#packetsProcessed()} is bumped after each batch, and
 * its atomic write publishes whatever the sinks captured).
 */
final class RouterHarness implements AutoCloseable {
    static final long TIMEOUT_MILLIS = 5_000;

    final MediaWorker worker;
    final PacketPool pool = new PacketPool(256);
    private long submitted;
    private int keySeed;

    RouterHarness(String name) {
        this.worker = new MediaWorker(name);
    }

    /** Runs {@code task} on the worker and waits for its result. */
    <T> T onWorker(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("worker task failed", e);
        }
    }

    void run(Runnable task) {
        onWorker(() -> {
            task.run();
            return null;
        });
    }

    MediaRoom room(String id) {
        return onWorker(() -> worker.createRoom(id));
    }

    /** An endpoint with SRTP set up, and the browser at its other end. */
    Peer peer(MediaRoom room, String id, MediaEndpoint.Role role, HeaderExtensionIds ids, SrtpProfile profile) {
        return peer(room, id, role, ids, profile, null);
    }

    /** As above; {@code sink}, when not null, replaces the capturing sink (e.g. one that discards). */
    Peer peer(MediaRoom room, String id, MediaEndpoint.Role role, HeaderExtensionIds ids, SrtpProfile profile,
              DatagramSink sink) {
        Peer peer = new Peer(this, profile, keySeed++);
        DatagramSink s = sink != null ? sink : peer::capture;
        peer.ep = onWorker(() -> {
            MediaEndpoint ep = room.addEndpoint(id, role, s, ids, id + "-cname");
            room.setSrtp(ep, peer.serverSession);
            return ep;
        });
        return peer;
    }

    /** Submits one datagram as received on {@code ep}; takes a copy of {@code datagram}. */
    void submit(MediaEndpoint ep, byte[] datagram) {
        PacketBuffer p = pool.acquire();
        p.copyFrom(datagram, 0, datagram.length);
        p.setReceiver(ep);
        submit(p);
    }

    void submit(PacketBuffer p) {
        submitted++;
        worker.submit(p);
    }

    /** Waits until the worker has processed everything submitted so far. */
    void flush() {
        await("worker processed " + submitted + " packets", () -> worker.packetsProcessed() >= submitted);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        worker.close();
    }

    /** Two ends of one DTLS-SRTP association: the browser was the DTLS client. */
    static SrtpSession[] srtpPair(SrtpProfile profile, int seed) {
        byte[] block = new byte[2 * (profile.keyLength + profile.saltLength)];
        new Random(seed * 31L + profile.ordinal()).nextBytes(block);
        return new SrtpSession[] {
                new SrtpSession(SrtpKeyingMaterial.fromExportedBlock(profile, true, block)),
                new SrtpSession(SrtpKeyingMaterial.fromExportedBlock(profile, false, block))};
    }

    /** A simulated browser and the server endpoint it talks to. */
    static final class Peer {
        final RouterHarness harness;
        final SrtpSession browserSession;
        final SrtpSession serverSession;
        MediaEndpoint ep;
        private final List<byte[]> datagrams = new ArrayList<>();
        private final List<Long> arrivalNanos = new ArrayList<>();
        /** Decrypted RTP and RTCP, in arrival order; see {@link #drain()}. */
        final List<byte[]> rtp = new ArrayList<>();
        /** When each of {@link #rtp} reached the sink (System.nanoTime), as a receiver would stamp it. */
        final List<Long> rtpArrivalNanos = new ArrayList<>();
        final List<byte[]> rtcp = new ArrayList<>();
        final List<Long> rtcpArrivalNanos = new ArrayList<>();
        int undecryptable;
        private int drained;

        Peer(RouterHarness harness, SrtpProfile profile, int seed) {
            this.harness = harness;
            SrtpSession[] pair = srtpPair(profile, seed);
            this.browserSession = pair[0];
            this.serverSession = pair[1];
        }

        /** The sink: runs on the worker thread. */
        synchronized void capture(byte[] buf, int off, int len) {
            datagrams.add(Arrays.copyOfRange(buf, off, off + len));
            arrivalNanos.add(System.nanoTime());
        }

        synchronized List<byte[]> datagrams() {
            return new ArrayList<>(datagrams);
        }

        synchronized int datagramCount() {
            return datagrams.size();
        }

        /** The SRTP datagrams (not SRTCP) captured so far, still encrypted. */
        synchronized List<byte[]> rtpDatagrams() {
            List<byte[]> out = new ArrayList<>();
            for (byte[] d : datagrams) {
                if (d.length < 2 || (d[1] & 0xFF) < 192 || (d[1] & 0xFF) > 223) {
                    out.add(d);
                }
            }
            return out;
        }

        /** Decrypts every datagram not yet decrypted (each once: SRTP replay protection). */
        synchronized Peer drain() {
            for (; drained < datagrams.size(); drained++) {
                byte[] d = datagrams.get(drained);
                PacketBuffer p = wrapWithTailroom(d);
                boolean isRtcp = d.length > 1 && (d[1] & 0xFF) >= 192 && (d[1] & 0xFF) <= 223;
                SrtpResult r = isRtcp ? browserSession.unprotectRtcp(p) : browserSession.unprotectRtp(p);
                if (r != SrtpResult.OK) {
                    undecryptable++;
                    continue;
                }
                byte[] plain = Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
                if (isRtcp) {
                    rtcp.add(plain);
                    rtcpArrivalNanos.add(arrivalNanos.get(drained));
                } else {
                    rtp.add(plain);
                    rtpArrivalNanos.add(arrivalNanos.get(drained));
                }
            }
            return this;
        }

        /** Decrypted RTP sent to this browser with {@code ssrc}, in arrival order. */
        List<byte[]> rtpOf(long ssrc) {
            drain();
            List<byte[]> out = new ArrayList<>();
            for (byte[] b : rtp) {
                if (Bytes.readUint32(b, 8) == ssrc) {
                    out.add(b);
                }
            }
            return out;
        }

        /** Arrival times of RTCP feedback packets of {@code type}/{@code fmt} about {@code mediaSsrc}. */
        List<Long> feedbackTimes(int type, int fmt, long mediaSsrc) {
            drain();
            List<Long> out = new ArrayList<>();
            RtcpCompoundIterator it = new RtcpCompoundIterator();
            for (int i = 0; i < rtcp.size(); i++) {
                byte[] c = rtcp.get(i);
                assertThat(it.reset(c, 0, c.length)).as("server RTCP is a valid compound").isTrue();
                while (it.next()) {
                    if (it.packetType() == type && it.fmt() == fmt
                            && Bytes.readUint32(c, it.packetOffset() + 8) == mediaSsrc) {
                        out.add(rtcpArrivalNanos.get(i));
                    }
                }
            }
            return out;
        }

        /** Protects {@code plain} RTP as the browser and submits it on this peer's endpoint. */
        void sendRtp(byte[] plain) {
            harness.submit(ep, protectRtp(plain));
        }

        byte[] protectRtp(byte[] plain) {
            PacketBuffer p = wrapWithTailroom(plain);
            assertThat(browserSession.protectRtp(p)).isEqualTo(SrtpResult.OK);
            return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
        }

        void sendRtcp(byte[] plain) {
            harness.submit(ep, protectRtcp(plain));
        }

        byte[] protectRtcp(byte[] plain) {
            PacketBuffer p = wrapWithTailroom(plain);
            assertThat(browserSession.protectRtcp(p)).isEqualTo(SrtpResult.OK);
            return Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
        }

        long drops(DropReason reason) {
            return ep.stats().drops().get(reason);
        }
    }

    static PacketBuffer wrapWithTailroom(byte[] data) {
        byte[] backing = new byte[PacketPool.HEADROOM + data.length + PacketPool.TAILROOM];
        System.arraycopy(data, 0, backing, PacketPool.HEADROOM, data.length);
        return PacketBuffer.wrap(backing, PacketPool.HEADROOM, data.length);
    }

    // --- Packet builders ---

    /**
     * An RTP packet (RFC 3550 §5.1) with optional one-byte-form header extension elements
     * (RFC 8285 §4.2), given as {id, data...} arrays.
     */
    static byte[] rtp(int pt, int seq, long ts, long ssrc, boolean marker, byte[] payload, byte[]... extensions) {
        int extLen = 0;
        for (byte[] e : extensions) {
            extLen += e.length;  // 1 header byte + data = 1 + (len - 1)
        }
        int extBlock = extensions.length == 0 ? 0 : 4 + ((extLen + 3) & ~3);
        byte[] b = new byte[12 + extBlock + payload.length];
        b[0] = (byte) (0x80 | (extensions.length == 0 ? 0 : 0x10));
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        Bytes.writeUint16(b, 2, seq & 0xFFFF);
        Bytes.writeUint32(b, 4, ts);
        Bytes.writeUint32(b, 8, ssrc);
        int p = 12;
        if (extBlock > 0) {
            Bytes.writeUint16(b, p, RtpPacket.PROFILE_ONE_BYTE);
            Bytes.writeUint16(b, p + 2, (extBlock - 4) / 4);
            p += 4;
            for (byte[] e : extensions) {
                int id = e[0];
                int dataLen = e.length - 1;
                b[p++] = (byte) ((id << 4) | (dataLen - 1));
                System.arraycopy(e, 1, b, p, dataLen);
                p += dataLen;
            }
            p = 12 + extBlock;
        }
        System.arraycopy(payload, 0, b, p, payload.length);
        return b;
    }

    static byte[] ext(int id, int... data) {
        byte[] e = new byte[1 + data.length];
        e[0] = (byte) id;
        for (int i = 0; i < data.length; i++) {
            e[1 + i] = (byte) data[i];
        }
        return e;
    }

    /**
     * A VP8 RTP payload: the payload descriptor of RFC 7741 §4.2 with X=1, I=1 and a 15-bit
     * picture id, then a VP8 payload header whose P bit (bit 0 of the first byte) is 0 for a key
     * frame, then filler bytes derived from {@code fill}.
     * <pre>
     *   |X|R|N|S|R| PID |   S = start of partition, PID = partition index
     *   |I|L|T|K| RSV   |
     *   |M| PictureID   |   (15 bits)
     *   |  PictureID    |
     *   |Size0|H| VER |P|   only in the first packet of a frame (S=1, PID=0)
     * </pre>
     */
    static byte[] vp8(boolean start, boolean keyFrame, int pictureId, int size, int fill) {
        byte[] b = new byte[Math.max(size, 6)];
        b[0] = (byte) (0x80 | (start ? 0x10 : 0));
        b[1] = (byte) 0x80;
        b[2] = (byte) (0x80 | ((pictureId >> 8) & 0x7F));
        b[3] = (byte) pictureId;
        for (int i = 4; i < b.length; i++) {
            b[i] = (byte) (fill + i * 13);
        }
        // The VP8 payload header: only meaningful when start; keep P consistent anyway.
        b[4] = (byte) (keyFrame ? 0x10 : 0x11);
        return b;
    }

    static byte[] opus(int size, int fill) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (fill * 7 + i);
        }
        return b;
    }

    static byte[] payloadOf(byte[] rtpPacket) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(rtpPacket, 0, rtpPacket.length)).isTrue();
        return Arrays.copyOfRange(rtpPacket, p.payloadOffset(), p.payloadOffset() + p.payloadLength());
    }

    static RtpPacket view(byte[] rtpPacket) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(rtpPacket, 0, rtpPacket.length)).isTrue();
        return p;
    }
}
