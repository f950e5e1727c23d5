package org.medibridge.simulcast;

import java.util.Random;
import org.medibridge.codec.vp8.Vp8Descriptor;
import org.medibridge.rtp.Bytes;

/**
 * A simulated simulcast publisher for tests: three VP8 encodings of the same camera, each with its
 * own SSRC, sequence numbers, timestamps, picture ids and TL0PICIDX, temporal layers in the
 * L1T3 pattern TID 0,2,1,2 and key frames on request. One {@link #nextInstant} captures a frame on
 * every layer and packetizes them interleaved, round robin, the way a paced sender does.
 * <p>
 * Frame dependencies (what the decoder needs) follow a libvpx-like model:
 * key frame: none; TID 0: the last TID 0 frame; TID > 0 with Y = 1: the last TID 0 frame only;
 * TID > 0 with Y = 0: also the last frame with 0 < TID <= its own. Allocation-free after
 * construction, so the allocation test can use it.
 */
final class SimulcastSource {
    static final int LAYERS = 3;
    static final int MAX_PACKETS = 64;
    static final int PACKET_SIZE = 1200;
    static final long FRAME_NANOS = 33_333_333L;
    private static final int[] TID_PATTERN = {0, 2, 1, 2};

    final Random random;
    final long[] ssrc = new long[LAYERS];
    final int[] seq = new int[LAYERS];
    final long[] ts = new long[LAYERS];
    final int[] pid = new int[LAYERS];
    final boolean[] longPid = new boolean[LAYERS];
    final int[] tl0 = new int[LAYERS];
    final boolean[] temporalLayers = new boolean[LAYERS];
    /** Frames captured per layer; frame numbers double as frame ids in the dependency model. */
    final int[] frameNo = new int[LAYERS];
    final int[] sinceKey = new int[LAYERS];
    final int[] lastTid0 = new int[LAYERS];
    final int[] lastT1 = {-1, -1, -1};
    final int[] lastT2 = {-1, -1, -1};
    /** Instants until a requested key frame comes out, or -1. */
    final int[] keyIn = {0, 0, 0};
    boolean active2 = true;

    // The packets of the current instant.
    final byte[][] buf = new byte[MAX_PACKETS][PACKET_SIZE];
    final int[] len = new int[MAX_PACKETS];
    final int[] layer = new int[MAX_PACKETS];
    final int[] tid = new int[MAX_PACKETS];
    final boolean[] sync = new boolean[MAX_PACKETS];
    final boolean[] key = new boolean[MAX_PACKETS];
    final boolean[] start = new boolean[MAX_PACKETS];
    final boolean[] marker = new boolean[MAX_PACKETS];
    final int[] frame = new int[MAX_PACKETS];
    final int[] frameIndex = new int[MAX_PACKETS];
    final int[] framePackets = new int[MAX_PACKETS];
    final int[] refA = new int[MAX_PACKETS];
    final int[] refB = new int[MAX_PACKETS];
    int count;
    long nowNanos = 1_000_000_000L;

    // Per layer, the frame being packetized this instant.
    private final int[] fTid = new int[LAYERS];
    private final boolean[] fKey = new boolean[LAYERS];
    private final boolean[] fSync = new boolean[LAYERS];
    private final int[] fPackets = new int[LAYERS];
    private final int[] fRefA = new int[LAYERS];
    private final int[] fRefB = new int[LAYERS];

    SimulcastSource(long seed, boolean longPictureIds) {
        random = new Random(seed);
        for (int l = 0; l < LAYERS; l++) {
            ssrc[l] = 0x1000L * (l + 1);
            seq[l] = 65535 - 40 * l - random.nextInt(50);          // wraps early
            ts[l] = 0xFFFFFFFFL - 3000L * (5 + l) - random.nextInt(1000); // wraps early
            longPid[l] = longPictureIds;
            pid[l] = (longPictureIds ? 32767 : 127) - 3 - random.nextInt(20);
            tl0[l] = 255 - random.nextInt(4);
            temporalLayers[l] = true;
        }
    }

    void requestKeyframe(int l, int delayInstants) {
        if (keyIn[l] < 0 || keyIn[l] > delayInstants) {
            keyIn[l] = delayInstants;
        }
    }

    void nextInstant() {
        nowNanos += FRAME_NANOS;
        int most = 0;
        for (int l = 0; l < LAYERS; l++) {
            planFrame(l);
            most = Math.max(most, fPackets[l]);
        }
        count = 0;
        for (int i = 0; i < most; i++) {
            for (int l = 0; l < LAYERS; l++) {
                if (i < fPackets[l] && (l < 2 || active2)) {
                    writePacket(l, i);
                }
            }
        }
        for (int l = 0; l < LAYERS; l++) {
            frameNo[l]++;
            ts[l] = (ts[l] + 3000) & 0xFFFFFFFFL;
            pid[l] = (pid[l] + 1) & (longPid[l] ? 0x7FFF : 0x7F);
        }
    }

    private void planFrame(int l) {
        boolean k = keyIn[l] == 0;
        keyIn[l] = keyIn[l] > 0 ? keyIn[l] - 1 : -1;
        if (k) {
            sinceKey[l] = 0;
        }
        int t = temporalLayers[l] ? TID_PATTERN[sinceKey[l] % 4] : 0;
        boolean y = t == 2 && sinceKey[l] % 4 == 1 || t == 1 && random.nextBoolean();
        int a = -1;
        int b = -1;
        if (!k) {
            a = lastTid0[l];
            if (!y && t > 0) {
                b = t == 1 ? lastT1[l] : Math.max(lastT1[l], lastT2[l]);
            }
        }
        if (t == 0) {
            tl0[l] = (tl0[l] + 1) & 0xFF;
            lastTid0[l] = frameNo[l];
            if (k) {
                lastT1[l] = -1;
                lastT2[l] = -1;
            }
        } else if (t == 1) {
            lastT1[l] = frameNo[l];
        } else {
            lastT2[l] = frameNo[l];
        }
        fTid[l] = t;
        fKey[l] = k;
        fSync[l] = y;
        fRefA[l] = a;
        fRefB[l] = b;
        fPackets[l] = Math.min(8, (k ? 3 : t == 0 ? 2 : 1) + l + random.nextInt(2));
        sinceKey[l]++;
    }

    private void writePacket(int l, int i) {
        int n = count++;
        byte[] b = buf[n];
        boolean first = i == 0;
        boolean last = i == fPackets[l] - 1;
        b[0] = (byte) 0x80;
        b[1] = (byte) ((last ? 0x80 : 0) | 96);
        Bytes.writeUint16(b, 2, seq[l]);
        Bytes.writeUint32(b, 4, ts[l]);
        Bytes.writeUint32(b, 8, ssrc[l]);
        int d = Vp8Descriptor.write(b, 12, false, first, 0, pid[l], longPid[l], tl0[l],
                temporalLayers[l] ? fTid[l] : Vp8Descriptor.ABSENT, fSync[l], Vp8Descriptor.ABSENT);
        int payload = 12 + d;
        // VP8 payload header (RFC 6386 §9.1): P = 0 for a key frame; then filler.
        b[payload] = (byte) (fKey[l] ? 0x10 : 0x11);
        for (int j = payload + 1; j < payload + 40; j++) {
            b[j] = (byte) j;
        }
        len[n] = payload + 40;
        layer[n] = l;
        tid[n] = fTid[l];
        sync[n] = fSync[l];
        key[n] = fKey[l] && first;
        start[n] = first;
        marker[n] = last;
        frame[n] = frameNo[l];
        frameIndex[n] = i;
        framePackets[n] = fPackets[l];
        refA[n] = fRefA[l];
        refB[n] = fRefB[l];
        seq[l] = (seq[l] + 1) & 0xFFFF;
    }
}
