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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SRTP (RFC 3711, RFC 7714) through {@link SrtpSession}, in place on a pooled-size buffer.
 * The receive side keeps a replay window, so a packet cannot be unprotected twice: {@code
 * protectAndUnprotect} protects a fresh sequence number and unprotects it; unprotect alone is
 * that minus {@code protect}. Both sides run on the benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"100", "1200"})
    public int payload;

    private byte[] plain;
    private PacketBuffer buffer;
    private SrtpSession sender;
    private SrtpSession receiver;
    private int seq;

    @Setup
    public void setUp() {
        SrtpCrypto.initialize();
        SrtpSession[] pair = BenchPackets.srtpPair(profile, 42);
        sender = pair[0];
        receiver = pair[1];
        plain = BenchPackets.videoPacket(96, 0, 90000, 0x22222222L, payload);
        buffer = PacketBuffer.wrap(new byte[PacketPool.CAPACITY], PacketPool.HEADROOM, 0);
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
    public int protectAndUnprotect() {
        load();
        if (sender.protectRtp(buffer) != SrtpResult.OK || receiver.unprotectRtp(buffer) != SrtpResult.OK) {
            throw new IllegalStateException("SRTP round trip failed");
        }
        return buffer.getLength();
    }
}
