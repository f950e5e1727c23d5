package org.medibridge.webm;

import static org.medibridge.webm.MatroskaIds.CLUSTER;
import static org.medibridge.webm.MatroskaIds.SIMPLE_BLOCK;
import static org.medibridge.webm.MatroskaIds.TIMECODE;

import java.util.Arrays;

/**
 * The blocks of the Cluster being gathered, and their serialization. The arrays and buffers are
 * reused from one cluster to the next.
 *
 * <pre>
 * SimpleBlock (RFC 9559 §10.2):
 *   track number (VINT) | relative timecode (int16, big-endian) | flags | frame
 *   flags: 0x80 keyframe; no lacing, so one frame per block
 * </pre>
 */
final class ClusterBuffer {
    private final EbmlBuffer frames = new EbmlBuffer(64 * 1024);
    private final EbmlBuffer bytes = new EbmlBuffer(64 * 1024);
    private long[] timecodes = new long[256];
    private int[] offsets = new int[256];
    private int[] lengths = new int[256];
    private byte[] tracks = new byte[256];
    private boolean[] keyframes = new boolean[256];
    private int[] order = new int[256];
    private int count;
    private long min;
    private long max;
    private boolean sorted;

    boolean isEmpty() {
        return count == 0;
    }

    long minTimecode() {
        return min;
    }

    long spanWith(long timecode) {
        return Math.max(max, timecode) - Math.min(min, timecode);
    }

    int frameBytes() {
        return frames.position();
    }

    void add(int track, long timecode, boolean keyframe, byte[] buf, int off, int len) {
        if (count == timecodes.length) {
            int n = count * 2;
            timecodes = Arrays.copyOf(timecodes, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            tracks = Arrays.copyOf(tracks, n);
            keyframes = Arrays.copyOf(keyframes, n);
            order = Arrays.copyOf(order, n);
        }
        min = count == 0 ? timecode : Math.min(min, timecode);
        max = count == 0 ? timecode : Math.max(max, timecode);
        timecodes[count] = timecode;
        offsets[count] = frames.position();
        lengths[count] = len;
        tracks[count] = (byte) track;
        keyframes[count] = keyframe;
        order[count] = count;
        frames.bytes(buf, off, len);
        count++;
        sorted = false;
    }

    /** Stable insertion sort of the block order by timecode: linear for the nearly sorted input. */
    private void sort() {
        if (sorted) {
            return;
        }
        for (int i = 1; i < count; i++) {
            int b = order[i];
            int j = i - 1;
            while (j >= 0 && timecodes[order[j]] > timecodes[b]) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = b;
        }
        sorted = true;
    }

    /** A cue per video keyframe; a cluster without one gets a cue at its first audio block. */
    void indexCues(CueIndex cues, long clusterPosition) {
        sort();
        boolean any = false;
        for (int i = 0; i < count; i++) {
            int b = order[i];
            if (tracks[b] == WebmWriter.VIDEO_TRACK && keyframes[b]) {
                cues.add(timecodes[b], WebmWriter.VIDEO_TRACK, clusterPosition);
                any = true;
            }
        }
        for (int i = 0; i < count && !any; i++) {
            int b = order[i];
            if (tracks[b] == WebmWriter.AUDIO_TRACK) {
                cues.add(timecodes[b], WebmWriter.AUDIO_TRACK, clusterPosition);
                any = true;
            }
        }
    }

    /** The whole Cluster element, exact size: Timecode = the smallest block timecode. */
    EbmlBuffer serialize() {
        sort();
        long payload = Ebml.elementSize(TIMECODE, Ebml.uintLength(min));
        for (int i = 0; i < count; i++) {
            payload += Ebml.elementSize(SIMPLE_BLOCK, 4L + lengths[i]);
        }
        bytes.reset();
        bytes.id(CLUSTER).size(payload).uint(TIMECODE, min);
        byte[] data = frames.array();
        for (int i = 0; i < count; i++) {
            int b = order[i];
            bytes.id(SIMPLE_BLOCK).size(4L + lengths[b])
                    .u8(0x80 | tracks[b])                       // track number, 1-byte VINT
                    .u16((int) (timecodes[b] - min))            // 0 .. 32767 (WebmWriter checks the span)
                    .u8(keyframes[b] ? 0x80 : 0x00)
                    .bytes(data, offsets[b], lengths[b]);
        }
        return bytes;
    }

    void clear() {
        count = 0;
        frames.reset();
        sorted = false;
    }
}
