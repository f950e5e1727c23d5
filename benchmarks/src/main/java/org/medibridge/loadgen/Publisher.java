package org.medibridge.loadgen;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.stun.Stun;

/**
 * The media one emulated participant publishes, generated on the send scheduler thread:
 * Opus-sized audio every 20 ms, and per frame (30 fps) one frame of each VP8 simulcast layer
 * split into packets, with valid VP8 payload descriptors (RFC 7741 §4.2: picture id, TL0PICIDX,
 * temporal layer id L1T3, layer sync), a VP8 payload header on the first packet of a frame
 * (RFC 6386 §9.1, key frames with start code and size), the rid, mid and transport-wide sequence
 * header extensions (RFC 8285 one-byte form) and the {@link PayloadStamp} at the end.
 */
final class Publisher {
    /** L1T3 (libvpx's 3-layer pattern): temporal layer id of frame i % 4. */
    private static final int[] TEMPORAL_PATTERN = {0, 2, 1, 2};
    /** Relative frame sizes of that pattern (TL0 frames are larger), mean 1. */
    private static final double[] FRAME_WEIGHTS = {1.5, 0.75, 1.0, 0.75};
    private static final int RTP_HEADER = 12;
    /** 0xBEDE + length, then 8 bytes of elements (mid, rid, transport-cc, padding). */
    private static final int EXTENSION_BLOCK = 4 + 8;
    /** X | I L T | M PictureID (15 bits) | TL0PICIDX | TID Y KEYIDX. */
    private static final int VP8_DESCRIPTOR = 5;
    private static final long AUDIO_INTERVAL_NANOS = 20_000_000L;

    final int index;
    final PeerConnection connection;
    private final MediaProfile profile;
    final long audioSsrc;
    final long[] videoSsrcs = new long[3];
    private int audioSeq;
    private long audioTs;
    private final int[] videoSeq = new int[3];
    private final long[] videoTs = new long[3];
    private final int[] pictureId = new int[3];
    private final int[] tl0PicIdx = new int[3];
    private final int[] framesSinceKey = new int[3];
    private final long[] lastKeyNanos = new long[3];
    private final int[] counters = new int[4];
    private int transportSeq;
    private final long frameIntervalNanos;
    private long nextAudioNanos;
    private long nextFrameNanos;
    /** Set by the I/O thread on PLI/FIR (1 = keyframe wanted), cleared here. */
    private final AtomicIntegerArray keyframeRequested = new AtomicIntegerArray(3);
    final AtomicLong packetsSent = new AtomicLong();
    final AtomicLong keyframesSent = new AtomicLong();
    final AtomicLong keyframeRequests = new AtomicLong();
    final AtomicLong schedulerLagEvents = new AtomicLong();
    private volatile boolean sending;

    Publisher(int index, PeerConnection connection, MediaProfile profile) {
        this.index = index;
        this.connection = connection;
        this.profile = profile;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audioSsrc = r.nextLong(1, 0xFFFFFFFFL);
        for (int i = 0; i < 3; i++) {
            videoSsrcs[i] = r.nextLong(1, 0xFFFFFFFFL);
            videoSeq[i] = r.nextInt(65536);
            videoTs[i] = r.nextLong(0xFFFFFFFFL);
            pictureId[i] = r.nextInt(0x8000);
            tl0PicIdx[i] = r.nextInt(256);
        }
        audioSeq = r.nextInt(65536);
        audioTs = r.nextLong(0xFFFFFFFFL);
        this.frameIntervalNanos = 1_000_000_000L / profile.fps();
    }

    /** Starts sending at a random phase, so publishers do not all send in the same millisecond. */
    void start(long nowNanos) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        nextAudioNanos = nowNanos + r.nextLong(AUDIO_INTERVAL_NANOS);
        nextFrameNanos = nowNanos + r.nextLong(frameIntervalNanos);
        for (int i = 0; i < 3; i++) {
            keyframeRequested.set(i, 1); // the first frame of every layer is a keyframe
        }
        sending = true;
    }

    void stop() {
        sending = false;
    }

    /** I/O thread: the server asked for a keyframe (PLI or FIR) of the layer sent as {@code ssrc}. */
    void requestKeyframe(long ssrc) {
        for (int i = 0; i < 3; i++) {
            if (videoSsrcs[i] == ssrc) {
                keyframeRequests.incrementAndGet();
                keyframeRequested.set(i, 1);
            }
        }
    }

    /** Send thread: sends whatever is due at {@code now}. */
    void tick(long now, PacketBuffer scratch, ByteBuffer wrapper) {
        if (!sending || !connection.isMediaReady()) {
            return;
        }
        if (now - nextAudioNanos > 200_000_000L || now - nextFrameNanos > 200_000_000L) {
            // Far behind (the machine is saturated): skip ahead rather than burst.
            schedulerLagEvents.incrementAndGet();
            nextAudioNanos = now;
            nextFrameNanos = now;
        }
        while (now - nextAudioNanos >= 0) {
            sendAudio(scratch, wrapper, now);
            nextAudioNanos += AUDIO_INTERVAL_NANOS;
        }
        while (now - nextFrameNanos >= 0) {
            for (int layer = 0; layer < 3; layer++) {
                sendFrame(layer, scratch, wrapper, now);
            }
            nextFrameNanos += frameIntervalNanos;
        }
    }

    private void sendAudio(PacketBuffer p, ByteBuffer wrapper, long now) {
        byte[] b = p.getBuffer();
        int off = 0;
        int n = rtpHeader(b, off, Sdp.OPUS_PT, false, audioSeq, audioTs, audioSsrc, "0", null);
        int payload = Math.max(profile.audioPayloadBytes(), PayloadStamp.LENGTH + 1);
        b[off + n] = (byte) 0xF8; // Opus TOC (RFC 6716 §3.1): config 31 (CELT FB 20 ms), mono, one frame
        java.util.Arrays.fill(b, off + n + 1, off + n + payload, (byte) 0);
        PayloadStamp.write(b, off + n + payload, streamKey(3), counters[3]++, System.nanoTime());
        audioSeq = (audioSeq + 1) & 0xFFFF;
        audioTs = (audioTs + 960) & 0xFFFFFFFFL;
        p.setOffsetLength(off, n + payload);
        connection.sendRtp(p, wrapper);
        packetsSent.incrementAndGet();
    }

    private void sendFrame(int layer, PacketBuffer p, ByteBuffer wrapper, long now) {
        boolean key = keyframeRequested.get(layer) == 1
                || now - lastKeyNanos[layer] >= profile.keyframeIntervalMillis() * 1_000_000L;
        if (key) {
            keyframeRequested.set(layer, 0);
            lastKeyNanos[layer] = now;
            framesSinceKey[layer] = 0;
            keyframesSent.incrementAndGet();
        }
        int phase = framesSinceKey[layer] % TEMPORAL_PATTERN.length;
        int tid = TEMPORAL_PATTERN[phase];
        // Y (layer sync): this frame depends only on TL0, so a receiver may switch up to its layer.
        boolean sync = tid > 0 && phase <= 2;
        if (tid == 0) {
            tl0PicIdx[layer] = (tl0PicIdx[layer] + 1) & 0xFF;
        }
        int frameBytes = (int) (profile.frameBytes(layer) * (key ? MediaProfile.KEYFRAME_FACTOR : FRAME_WEIGHTS[phase]));
        int headerBytes = RTP_HEADER + EXTENSION_BLOCK + VP8_DESCRIPTOR;
        int maxChunk = profile.maxRtpPacketBytes() - headerBytes;
        int packets = Math.max(1, (frameBytes + maxChunk - 1) / maxChunk);
        int chunk = Math.max(frameBytes / packets, PayloadStamp.LENGTH + 10 + 1);
        byte[] b = p.getBuffer();
        for (int i = 0; i < packets; i++) {
            boolean first = i == 0;
            boolean last = i == packets - 1;
            int n = rtpHeader(b, 0, Sdp.VP8_PT, last, videoSeq[layer], videoTs[layer], videoSsrcs[layer], "1", Sdp.RIDS[layer]);
            // RFC 7741 §4.2: X=1, N=0, S=1 on the first packet of the frame, PID=0.
            b[n] = (byte) (0x80 | (first ? 0x10 : 0));
            b[n + 1] = (byte) 0xE0; // I, L, T present
            b[n + 2] = (byte) (0x80 | (pictureId[layer] >>> 8)); // M=1: 15-bit picture id
            b[n + 3] = (byte) pictureId[layer];
            b[n + 4] = (byte) tl0PicIdx[layer];
            b[n + 5] = (byte) ((tid << 6) | (sync ? 0x20 : 0));
            int q = n + VP8_DESCRIPTOR;
            int end = q + chunk;
            java.util.Arrays.fill(b, q, end, (byte) 0);
            if (first) {
                writeVp8Header(b, q, key, layer);
            }
            PayloadStamp.write(b, end, streamKey(layer), counters[layer]++, System.nanoTime());
            videoSeq[layer] = (videoSeq[layer] + 1) & 0xFFFF;
            p.setOffsetLength(0, end);
            connection.sendRtp(p, wrapper);
            packetsSent.incrementAndGet();
        }
        framesSinceKey[layer]++;
        pictureId[layer] = (pictureId[layer] + 1) & 0x7FFF;
        videoTs[layer] = (videoTs[layer] + 90000 / profile.fps()) & 0xFFFFFFFFL;
    }

    /**
     * RFC 6386 §9.1: a 3-byte frame tag (P = 0 for a key frame, version 0, show_frame = 1,
     * first partition size), and for key frames the start code 9d 01 2a and 14-bit width/height.
     */
    private static void writeVp8Header(byte[] b, int q, boolean key, int layer) {
        int firstPartitionSize = 64;
        b[q] = (byte) (((firstPartitionSize & 0x7) << 5) | 0x10 | (key ? 0 : 1));
        b[q + 1] = (byte) (firstPartitionSize >>> 3);
        b[q + 2] = (byte) (firstPartitionSize >>> 11);
        if (key) {
            b[q + 3] = (byte) 0x9d;
            b[q + 4] = 0x01;
            b[q + 5] = 0x2a;
            int w = MediaProfile.SIZES[layer][0];
            int h = MediaProfile.SIZES[layer][1];
            b[q + 6] = (byte) w;
            b[q + 7] = (byte) (w >>> 8);
            b[q + 8] = (byte) h;
            b[q + 9] = (byte) (h >>> 8);
        }
    }

    /**
     * RTP header (RFC 3550 §5.1) with a one-byte header extension block (RFC 8285 §4.2): mid,
     * rid (video), transport-wide sequence number; returns its length.
     */
    private int rtpHeader(byte[] b, int off, int pt, boolean marker, int seq, long ts, long ssrc, String mid, String rid) {
        b[off] = (byte) 0x90; // V=2, X=1
        b[off + 1] = (byte) ((marker ? 0x80 : 0) | pt);
        b[off + 2] = (byte) (seq >>> 8);
        b[off + 3] = (byte) seq;
        Stun.writeInt(b, off + 4, (int) ts);
        Stun.writeInt(b, off + 8, (int) ssrc);
        b[off + 12] = (byte) 0xBE;
        b[off + 13] = (byte) 0xDE;
        b[off + 14] = 0;
        b[off + 15] = 2; // two 32-bit words of elements
        int e = off + 16;
        b[e++] = (byte) (Sdp.MID_ID << 4); // length - 1 = 0: one byte
        b[e++] = (byte) mid.charAt(0);
        if (rid != null) {
            b[e++] = (byte) (Sdp.RID_ID << 4);
            b[e++] = (byte) rid.charAt(0);
        }
        b[e++] = (byte) ((Sdp.TRANSPORT_CC_ID << 4) | 1); // two bytes
        b[e++] = (byte) (transportSeq >>> 8);
        b[e++] = (byte) transportSeq;
        transportSeq = (transportSeq + 1) & 0xFFFF;
        while (e < off + 24) {
            b[e++] = 0; // padding
        }
        return RTP_HEADER + EXTENSION_BLOCK;
    }

    /** {@link PayloadStamp} source key: publisher index and stream (0–2 video layers, 3 audio). */
    private int streamKey(int stream) {
        return (index << 4) | stream;
    }
}
