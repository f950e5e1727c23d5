package org.medibridge.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.srtp.SrtpKeyingMaterial;
import org.medibridge.srtp.SrtpProfile;
import org.medibridge.srtp.SrtpResult;
import org.medibridge.srtp.SrtpSession;
import org.medibridge.stun.Stun;

/**
 * What the hardware allows per forwarded packet, measured on this machine in the same run: one
 * loopback UDP send plus one receive (DatagramChannel pair, connected, blocking, one thread) and
 * one SRTP unprotect plus one protect with the project's {@link SrtpSession}. An SFU does at
 * least this for every packet it forwards; the report divides its CPU per forwarded packet by it.
 */
final class Floor {
    /** ns per packet at one packet size. */
    record Point(int bytes, double udpNanos, double srtpNanos) {
        double totalNanos() {
            return udpNanos + srtpNanos;
        }
    }

    /** Measured points, small and large, and the profile. */
    record Result(String srtpProfile, Point small, Point large) {
        /** Linear between the two measured sizes (clamped outside). */
        double nanosAt(double bytes) {
            if (bytes <= small.bytes) {
                return small.totalNanos();
            }
            if (bytes >= large.bytes) {
                return large.totalNanos();
            }
            double f = (bytes - small.bytes) / (large.bytes - small.bytes);
            return small.totalNanos() + f * (large.totalNanos() - small.totalNanos());
        }
    }

    private Floor() {
    }

    static Result measure(SrtpProfile profile, int smallBytes, int largeBytes, int packets) throws IOException {
        // Warm up both sizes first, so that neither point pays for the JIT compiling the loops.
        for (int round = 0; round < 2; round++) {
            for (int bytes : new int[] {smallBytes, largeBytes}) {
                udpNanos(bytes, packets / 4);
                srtpNanos(profile, bytes, packets / 4);
            }
        }
        return new Result(profile.name(), point(profile, smallBytes, packets), point(profile, largeBytes, packets));
    }

    private static Point point(SrtpProfile profile, int bytes, int packets) throws IOException {
        return new Point(bytes, udpNanos(bytes, packets), srtpNanos(profile, bytes, packets));
    }

    static double udpNanos(int bytes, int packets) throws IOException {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            a.bind(new InetSocketAddress("127.0.0.1", 0));
            b.bind(new InetSocketAddress("127.0.0.1", 0));
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            ByteBuffer out = ByteBuffer.allocate(bytes);
            ByteBuffer in = ByteBuffer.allocate(2048);
            long start = System.nanoTime();
            for (int i = 0; i < packets; i++) {
                out.clear();
                a.write(out);
                in.clear();
                b.read(in);
            }
            return (System.nanoTime() - start) / (double) packets;
        }
    }

    static double srtpNanos(SrtpProfile profile, int bytes, int packets) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] key = new byte[profile.keyLength];
        byte[] salt = new byte[profile.saltLength];
        r.nextBytes(key);
        r.nextBytes(salt);
        SrtpSession sender = new SrtpSession(new SrtpKeyingMaterial(profile, true, key, salt, key, salt));
        SrtpSession receiver = new SrtpSession(new SrtpKeyingMaterial(profile, false, key, salt, key, salt));
        byte[] plain = new byte[bytes];
        plain[0] = (byte) 0x80;
        plain[1] = 96;
        Stun.writeInt(plain, 8, 0x12345678);
        byte[] buf = new byte[bytes + 64];
        PacketBuffer p = PacketBuffer.wrap(buf, 0, bytes);
        long start = System.nanoTime();
        for (int i = 0; i < packets; i++) {
            System.arraycopy(plain, 0, buf, 0, bytes);
            buf[2] = (byte) (i >>> 8);
            buf[3] = (byte) i;
            Stun.writeInt(buf, 4, i * 3000);
            p.setOffsetLength(0, bytes);
            if (sender.protectRtp(p) != SrtpResult.OK || receiver.unprotectRtp(p) != SrtpResult.OK) {
                throw new IllegalStateException("SRTP round trip failed at packet " + i);
            }
        }
        double ns = (System.nanoTime() - start) / (double) packets;
        sender.close();
        receiver.close();
        return ns;
    }
}
