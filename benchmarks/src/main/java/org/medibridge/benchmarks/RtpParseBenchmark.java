package org.medibridge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.medibridge.buffer.PacketPool;
import org.medibridge.rtp.AbsSendTime;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.HeaderExtensionCursor;
import org.medibridge.rtp.RtpPacket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-packet RTP work of the router without SRTP: wrap the view, walk the RFC 8285
 * extensions, and the full rewrite a leg does (copy into the send buffer, SSRC/seq/timestamp/PT,
 * extension ids translated or erased, abs-send-time and transport-cc stamped).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpParseBenchmark {
    @Param({"100", "1200"})
    public int payload;

    private byte[] packet;
    private final byte[] out = new byte[PacketPool.CAPACITY];
    private final RtpPacket view = new RtpPacket();
    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();
    /** Incoming id -> outgoing id; 0 erases (as HeaderExtensionIds.translationTo builds it). */
    private final byte[] idMap = new byte[256];
    private int seq;
    private int transportSeq;

    @Setup
    public void setUp() {
        packet = BenchPackets.videoPacket(96, 1000, 90000, 0x22222222L, payload);
        idMap[BenchPackets.ABS_SEND_TIME] = 3;
        idMap[BenchPackets.TRANSPORT_CC] = 7;
        idMap[BenchPackets.AUDIO_LEVEL] = 5;
    }

    @Benchmark
    public int wrap() {
        view.wrap(packet, 0, packet.length);
        return view.payloadOffset() + view.sequenceNumber() + (int) view.ssrc();
    }

    @Benchmark
    public int wrapAndWalkExtensions() {
        view.wrap(packet, 0, packet.length);
        int sum = 0;
        if (cursor.reset(view)) {
            while (cursor.next()) {
                sum += cursor.id() + cursor.dataLength();
            }
        }
        return sum;
    }

    @Benchmark
    public int copyAndRewrite() {
        int off = PacketPool.HEADROOM;
        System.arraycopy(packet, 0, out, off, packet.length);
        view.wrap(out, off, packet.length);
        view.setSsrc(0xB0000001L);
        view.setSequenceNumber((seq++) & 0xFFFF);
        view.setTimestamp((view.timestamp() + 0x12345678L) & 0xFFFFFFFFL);
        view.setPayloadType(100);
        if (cursor.reset(view)) {
            while (cursor.next()) {
                int outId = idMap[cursor.id()] & 0xFF;
                if (outId == 0) {
                    cursor.erase();
                    continue;
                }
                cursor.setId(outId);
                if (outId == 3) {
                    AbsSendTime.write(out, cursor.dataOffset(), System.nanoTime());
                } else if (outId == 7) {
                    Bytes.writeUint16(out, cursor.dataOffset(), transportSeq);
                    transportSeq = (transportSeq + 1) & 0xFFFF;
                }
            }
        }
        return view.sequenceNumber();
    }
}
