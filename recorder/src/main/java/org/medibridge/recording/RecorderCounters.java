package org.medibridge.recording;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one recorder, written by the media worker and the writer thread. */
final class RecorderCounters {
    final AtomicLong packetsIn = new AtomicLong();
    final AtomicLong droppedQueueFull = new AtomicLong();
    final AtomicLong droppedStopped = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLong packetsLost = new AtomicLong();
    final AtomicLong packetsLate = new AtomicLong();
    final AtomicLong audioFrames = new AtomicLong();
    final AtomicLong videoFrames = new AtomicLong();
    final AtomicLong videoFramesDropped = new AtomicLong();
    final AtomicLong keyframeRequests = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();

    RecorderStats snapshot() {
        return new RecorderStats(packetsIn.get(), droppedQueueFull.get(), droppedStopped.get(), malformed.get(),
                ignored.get(), packetsLost.get(), packetsLate.get(), audioFrames.get(), videoFrames.get(),
                videoFramesDropped.get(), keyframeRequests.get(), bytesWritten.get());
    }
}
