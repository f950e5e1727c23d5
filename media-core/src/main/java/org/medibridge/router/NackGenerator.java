package org.medibridge.router;

import java.util.Arrays;
import org.medibridge.rtp.SequenceNumbers;

/**
 * Which packets of one publisher video stream are missing, and when to ask for them again: the
 * receiver side of Generic NACK (RFC 4585 §6.2.1) with RTX repair (RFC 4588).
 * <ul>
 *   <li>A gap in the sequence numbers (serial arithmetic, wrap-around included) makes each
 *       missing number an entry. Entries live in fixed arrays indexed by the extended sequence
 *       number modulo {@link #WINDOW}; nothing is allocated per packet.
 *   <li>An entry is first requested once it has been missing for {@link #REORDER_DELAY_NANOS}
 *       (a packet that was only reordered arrives before that), then again every round-trip
 *       time, at most {@link #MAX_REQUESTS} times.
 *   <li>An entry goes away when its packet arrives (as RTX: {@code recovered}; late original:
 *       {@code reordered}), when it falls more than {@link #MAX_AGE_SEQS} behind the newest
 *       packet or has been missing for {@link #MAX_AGE_NANOS}, when it was requested
 *       {@link #MAX_REQUESTS} times and one more round trip passed, or when a key frame starts
 *       after it (the decoder no longer needs it). All of those but the arrival are
 *       {@code givenUp}.
 *   <li>The round-trip time is measured from the repairs themselves: the time from the only
 *       request of a packet to its RTX (Karn's rule: a packet requested twice says nothing about
 *       which request it answers). {@link #DEFAULT_RTT_NANOS} until the first sample. A
 *       publisher connection carries nothing toward the browser, so RTCP gives no RTT here.
 * </ul>
 * Owned by the room's worker thread.
 */
final class NackGenerator {
    /** Slots for missing entries: a power of two above {@link #MAX_AGE_SEQS}. */
    static final int WINDOW = 1024;
    /** About a second of 720p video: older packets are past any jitter buffer. */
    static final int MAX_AGE_SEQS = 1000;
    static final long MAX_AGE_NANOS = 1_000_000_000L;
    /** libwebrtc's receiver asks up to 10 times as well. */
    static final int MAX_REQUESTS = 10;
    static final long DEFAULT_RTT_NANOS = 100_000_000L;
    static final long MIN_RETRY_INTERVAL_NANOS = 10_000_000L;
    static final long MAX_RTT_NANOS = 1_000_000_000L;
    static final long REORDER_DELAY_NANOS = 5_000_000L;

    /** {@link #onReceived}: the newest packet so far. */
    static final int NEW = 0;
    /** {@link #onReceived}: a packet that was missing. */
    static final int FILLED = 1;
    /** {@link #onReceived}: a packet not missing: a duplicate, or one given up on already. */
    static final int NOT_MISSING = 2;

    private static final int MASK = WINDOW - 1;
    /** Extended sequence numbers start here, so that they never go negative. */
    private static final long BASE = 1L << 32;

    private final long[] missing = new long[WINDOW];
    private final long[] detectedNanos = new long[WINDOW];
    private final long[] lastRequestNanos = new long[WINDOW];
    private final int[] requests = new int[WINDOW];
    private int missingCount;
    /** No entry is older than this (a lower bound for scans). */
    private long oldestMissing;

    private boolean started;
    private long highest;

    private long rttNanos = DEFAULT_RTT_NANOS;
    private boolean rttMeasured;

    private long nacksSent;
    private long recovered;
    private long reordered;
    private long givenUp;

    NackGenerator() {
        Arrays.fill(missing, -1);
    }

    /**
     * A packet of the stream arrived (a decoded RTX packet with {@code retransmission}). Returns
     * {@link #NEW}, {@link #FILLED} or {@link #NOT_MISSING}.
     */
    int onReceived(int seq, boolean keyFrameStart, boolean retransmission, long nowNanos) {
        if (!started) {
            started = true;
            highest = BASE + (seq & 0xFFFF);
            oldestMissing = highest + 1;
            return NEW;
        }
        long ext = highest + SequenceNumbers.diff(seq, (int) highest & 0xFFFF);
        if (ext > highest) {
            long previous = highest;
            highest = ext;
            if (keyFrameStart && !retransmission) {
                // The key frame refers to nothing before it.
                clear();
            } else if (ext - previous - 1 >= MAX_AGE_SEQS) {
                clear();
            } else {
                evictOlderThan(ext - MAX_AGE_SEQS);
                for (long s = previous + 1; s < ext; s++) {
                    add(s, nowNanos);
                }
            }
            return NEW;
        }
        int slot = (int) (ext & MASK);
        if (ext == highest || missing[slot] != ext) {
            return NOT_MISSING;
        }
        if (retransmission) {
            recovered++;
            if (requests[slot] == 1) {
                onRttSample(nowNanos - lastRequestNanos[slot]);
            }
        } else {
            reordered++;
        }
        remove(slot);
        return FILLED;
    }

    /**
     * Writes the sequence numbers to request now into {@code out} (oldest first, at most
     * {@code out.length}) and counts them as requested. Returns how many.
     */
    int collect(long nowNanos, int[] out) {
        if (missingCount == 0) {
            return 0;
        }
        long retryInterval = Math.max(rttNanos, MIN_RETRY_INTERVAL_NANOS);
        int n = 0;
        for (long s = Math.max(oldestMissing, highest - MAX_AGE_SEQS + 1); s <= highest && n < out.length; s++) {
            int slot = (int) (s & MASK);
            if (missing[slot] != s) {
                continue;
            }
            boolean exhausted = requests[slot] >= MAX_REQUESTS;
            if (nowNanos - detectedNanos[slot] > MAX_AGE_NANOS
                    || exhausted && nowNanos - lastRequestNanos[slot] >= retryInterval) {
                givenUp++;
                remove(slot);
                continue;
            }
            boolean due = requests[slot] == 0
                    ? nowNanos - detectedNanos[slot] >= REORDER_DELAY_NANOS
                    : !exhausted && nowNanos - lastRequestNanos[slot] >= retryInterval;
            if (due) {
                out[n++] = (int) (s & 0xFFFF);
                requests[slot]++;
                lastRequestNanos[slot] = nowNanos;
                nacksSent++;
            }
        }
        return n;
    }

    private void add(long s, long nowNanos) {
        int slot = (int) (s & MASK);
        if (missing[slot] >= 0) {
            givenUp++; // cannot happen after evictOlderThan; keeps the count honest if it did
            missingCount--;
        }
        if (missingCount == 0) {
            oldestMissing = s;
        }
        missing[slot] = s;
        detectedNanos[slot] = nowNanos;
        requests[slot] = 0;
        missingCount++;
    }

    private void remove(int slot) {
        missing[slot] = -1;
        missingCount--;
    }

    /** Drops every entry up to and including {@code cutoff}. */
    private void evictOlderThan(long cutoff) {
        if (missingCount == 0) {
            oldestMissing = Math.max(oldestMissing, cutoff + 1);
            return;
        }
        for (long s = oldestMissing; s <= cutoff; s++) {
            int slot = (int) (s & MASK);
            if (missing[slot] == s) {
                givenUp++;
                remove(slot);
            }
        }
        oldestMissing = Math.max(oldestMissing, cutoff + 1);
    }

    private void clear() {
        if (missingCount > 0) {
            givenUp += missingCount;
            Arrays.fill(missing, -1);
            missingCount = 0;
        }
        oldestMissing = highest + 1;
    }

    private void onRttSample(long sampleNanos) {
        long sample = Math.max(0, Math.min(MAX_RTT_NANOS, sampleNanos));
        rttNanos = rttMeasured ? (7 * rttNanos + sample) / 8 : sample;
        rttMeasured = true;
    }

    /** Missing packets being tracked. */
    int missingCount() { return missingCount; }
    long rttNanos() { return rttNanos; }
    long nacksSent() { return nacksSent; }
    long recovered() { return recovered; }
    long reordered() { return reordered; }
    long givenUp() { return givenUp; }
}
