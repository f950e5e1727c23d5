package org.medibridge.recording;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.medibridge.router.IncomingStream;

/**
 * Synthetic RTP for recorder tests: 20 ms audio packets and 30 fps VP8 frames (a key frame every
 * second, each frame in two packets), every payload carrying its media time in milliseconds so a
 * test can tell which frame landed at which timecode. Not decodable media.
 */
final class SyntheticMedia {
    static final byte[] KEY_HEADER = {(byte) 0xb0, 0x5a, 0x00, (byte) 0x9d, 0x01, 0x2a, 0x40, 0x01, (byte) 0xf0, 0x00};

    /** One RTP packet and when it arrives. */
    record Packet(IncomingStream stream, byte[] bytes, long arrivalNanos) {
    }

    static List<Packet> audio(IncomingStream s, long firstTs, int count, long firstArrivalNanos, int payloadBytes) {
        List<Packet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = ByteBuffer.allocate(Math.max(4, payloadBytes)).putInt(i * 20).array();
            out.add(new Packet(s, TestRtp.packet(111, i, (firstTs + 960L * i) & 0xFFFF_FFFFL, s.ssrc(), false, payload),
                    firstArrivalNanos + i * 20_000_000L));
        }
        return out;
    }

    static List<Packet> video(IncomingStream s, long firstTs, int frames, long firstArrivalNanos, int frameBytes) {
        List<Packet> out = new ArrayList<>();
        int seq = 0;
        for (int f = 0; f < frames; f++) {
            boolean key = f % 30 == 0;
            int mediaMs = f * 100 / 3;
            ByteBuffer frame = ByteBuffer.allocate(Math.max(16, frameBytes));
            frame.put(key ? KEY_HEADER : new byte[] {(byte) 0xb1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            frame.putInt(mediaMs);
            byte[] bytes = frame.array();
            int half = bytes.length / 2;
            long ts = (firstTs + 3000L * f) & 0xFFFF_FFFFL;
            long arrival = firstArrivalNanos + f * 100_000_000L / 3;
            out.add(new Packet(s, TestRtp.packet(96, seq++, ts, s.ssrc(), false, descriptor(true, bytes, 0, half)), arrival));
            out.add(new Packet(s, TestRtp.packet(96, seq++, ts, s.ssrc(), true,
                    descriptor(false, bytes, half, bytes.length - half)), arrival + 100_000));
        }
        return out;
    }

    /** The media time a written frame carries (see the class comment). */
    static int mediaMillis(FakeSink.Written w) {
        return ByteBuffer.wrap(w.data()).getInt(w.video() ? 10 : 0);
    }

    /** Merges two packet lists in arrival order. */
    static List<Packet> byArrival(List<Packet> a, List<Packet> b) {
        List<Packet> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort((x, y) -> Long.compare(x.arrivalNanos(), y.arrivalNanos()));
        return all;
    }

    /** Packets i and j trade arrival times: they arrive in each other's place. */
    static void swapArrivals(List<Packet> list, int i, int j) {
        Packet a = list.get(i);
        Packet b = list.get(j);
        list.set(i, new Packet(a.stream(), a.bytes(), b.arrivalNanos()));
        list.set(j, new Packet(b.stream(), b.bytes(), a.arrivalNanos()));
    }

    private static byte[] descriptor(boolean start, byte[] b, int off, int len) {
        byte[] p = new byte[1 + len];
        p[0] = (byte) (start ? 0x10 : 0x00);
        System.arraycopy(b, off, p, 1, len);
        return p;
    }
}
