package org.medibridge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;
import org.medibridge.rtp.Bytes;
import org.medibridge.srtp.SrtpCrypto;
import org.medibridge.srtp.SrtpProfile;
import org.medibridge.srtp.SrtpResult;
import org.medibridge.srtp.SrtpSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * SRTP (RFC 3711, RFC 7714) through {@link SrtpSession}, in place on a pooled-size buffer, per
 * profile and packet size ({@code payload} bytes after a 28-byte header with extensions).
 *
 * <ul>
 *   <li>{@code protect}: the send side (replay checking off, as in the server), a fresh
 *       sequence number each time;
 *   <li>{@code unprotect}: the receive side, with its replay window: a packet cannot be
 *       unprotected twice, so {@link #RING} distinct packets are protected in the set-up and
 *       unprotected in turn; when the ring is used up a fresh receive session takes over (one
 *       key derivation per {@value #RING} operations, in the figures, amortized);
 *   <li>{@code protectAndUnprotect}: both, on the same buffer.
 * </ul>
 * The tear-down checks every unprotect succeeded (a failed one would return early and flatter
 * the figure).
 *
 * <p>{@code provider}: which AES implementation jitsi-srtp uses. {@code SunJCE} is what the server
 * forces ({@link SrtpCrypto#initialize()}); {@code OpenSSL} is jitsi-srtp's JNI path, only
 * available where its native library loads (it fails the trial otherwise), measured because its
 * in-place transform does not copy the packet. HMAC-SHA1 is not selectable: jitsi-srtp takes
 * OpenSSL's whenever the native library is loaded, else SunJCE's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
    static final int RING = 16_384;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"100", "1200"})
    public int payload;

    @Param({"SunJCE", "OpenSSL"})
    public String provider;

    private byte[] plain;
    private PacketBuffer buffer;
    private SrtpSession sender;
    private SrtpSession receiver;
    private int seq;

    private byte[][] ring;
    private int next;
    private SrtpSession ringReceiver;
    private int ringReceivers;
    private long unprotected;
    private long failed;

    @Setup
    public void setUp() {
        if (provider.equals("OpenSSL")) {
            // Each trial runs in a fresh fork, so the factory is chosen before any cipher exists.
            if (!org.jitsi.srtp.crypto.JitsiOpenSslProvider.isLoaded()) {
                throw new IllegalStateException("jitsi-srtp's OpenSSL library does not load here");
            }
            org.jitsi.srtp.crypto.Aes.setFactoryClassName("OpenSSL");
        } else {
            SrtpCrypto.initialize();
        }
        SrtpSession[] pair = BenchPackets.srtpPair(profile, 42);
        sender = pair[0];
        receiver = pair[1];
        plain = BenchPackets.videoPacket(96, 0, 90000, 0x22222222L, payload);
        buffer = PacketBuffer.wrap(new byte[PacketPool.CAPACITY], PacketPool.HEADROOM, 0);

        SrtpSession ringSender = BenchPackets.srtpPair(profile, 43)[0];
        ring = new byte[RING][];
        PacketBuffer p = PacketBuffer.wrap(new byte[PacketPool.CAPACITY], PacketPool.HEADROOM, 0);
        for (int i = 0; i < RING; i++) {
            p.setOffsetLength(PacketPool.HEADROOM, 0);
            p.copyFrom(plain, 0, plain.length);
            Bytes.writeUint16(p.getBuffer(), PacketPool.HEADROOM + 2, i);
            if (ringSender.protectRtp(p) != SrtpResult.OK) {
                throw new IllegalStateException("protect failed");
            }
            ring[i] = java.util.Arrays.copyOfRange(p.getBuffer(), p.getOffset(), p.getOffset() + p.getLength());
        }
        ringReceiver = BenchPackets.srtpPair(profile, 43)[1];
    }

    private void load() {
        buffer.setOffsetLength(PacketPool.HEADROOM, 0);
        buffer.copyFrom(plain, 0, plain.length);
        Bytes.writeUint16(buffer.getBuffer(), PacketPool.HEADROOM + 2, seq);
        seq = (seq + 1) & 0xFFFF;
    }

    @Benchmark
    public int protect() {
        load();
        if (sender.protectRtp(buffer) != SrtpResult.OK) {
            throw new IllegalStateException("protect failed");
        }
        return buffer.getLength();
    }

    @Benchmark
    public int unprotect() {
        if (next == RING) {
            ringReceiver.close();
            ringReceiver = BenchPackets.srtpPair(profile, 43)[1];
            ringReceivers++;
            next = 0;
        }
        byte[] c = ring[next++];
        buffer.setOffsetLength(PacketPool.HEADROOM, 0);
        buffer.copyFrom(c, 0, c.length);
        if (ringReceiver.unprotectRtp(buffer) != SrtpResult.OK) {
            failed++;
            return -1;
        }
        unprotected++;
        return buffer.getLength();
    }

    @Benchmark
    public int protectAndUnprotect() {
        load();
        if (sender.protectRtp(buffer) != SrtpResult.OK || receiver.unprotectRtp(buffer) != SrtpResult.OK) {
            throw new IllegalStateException("SRTP round trip failed");
        }
        return buffer.getLength();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (failed != 0) {
            throw new IllegalStateException(failed + " of " + (failed + unprotected) + " unprotects failed");
        }
    }
}
