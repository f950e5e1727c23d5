package org.medibridge.webm;

import static org.medibridge.webm.MatroskaIds.*;

import java.util.Arrays;

/**
 * The Cues gathered while writing: (time, track, cluster position relative to the Segment data).
 *
 * <pre>
 * Cues (RFC 9559 §5.1.5)
 *   CuePoint
 *     CueTime
 *     CueTrackPositions
 *       CueTrack
 *       CueClusterPosition
 * </pre>
 */
final class CueIndex {
    private long[] times = new long[64];
    private long[] positions = new long[64];
    private byte[] tracks = new byte[64];
    private int count;

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    void add(long time, int track, long clusterPosition) {
        if (count == times.length) {
            times = Arrays.copyOf(times, count * 2);
            positions = Arrays.copyOf(positions, count * 2);
            tracks = Arrays.copyOf(tracks, count * 2);
        }
        times[count] = time;
        positions[count] = clusterPosition;
        tracks[count] = (byte) track;
        count++;
    }

    /** The Cues element, CuePoints sorted by time (stable: cluster order for equal times). */
    EbmlBuffer serialize() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
        EbmlBuffer b = new EbmlBuffer(16 + count * 24);
        int cuesMark = b.startMaster(CUES, 8);
        for (int i : order) {
            int point = b.startMaster(CUE_POINT, 1);
            b.uint(CUE_TIME, times[i]);
            int trackPositions = b.startMaster(CUE_TRACK_POSITIONS, 1);
            b.uint(CUE_TRACK, tracks[i]).uint(CUE_CLUSTER_POSITION, positions[i]);
            b.endMaster(trackPositions);
            b.endMaster(point);
        }
        b.endMaster(cuesMark);
        return b;
    }
}
