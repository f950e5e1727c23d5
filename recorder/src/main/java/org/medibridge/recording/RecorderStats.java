package org.medibridge.recording;

/**
 * A snapshot of one recorder's counters.
 *
 * @param packetsIn          RTP packets offered by the router (sender reports not counted)
 * @param droppedQueueFull   RTP packets and sender reports dropped because the queue was full
 *                           (the disk or the writer thread is too slow)
 * @param droppedStopped     packets offered after stop or failure, dropped
 * @param malformed          packets that did not parse as RTP
 * @param ignored            packets of a payload type or stream not being recorded
 * @param packetsLost        packets the jitter buffers gave up waiting for
 * @param packetsLate        packets that came after their place was declared lost, or twice
 * @param audioFrames        Opus packets written
 * @param videoFrames        VP8 frames written
 * @param videoFramesDropped VP8 frames not written: incomplete, or deltas waiting for a key frame
 * @param keyframeRequests   key frame requests sent to the publisher
 * @param bytesWritten       media bytes (frame payloads) written
 */
public record RecorderStats(long packetsIn, long droppedQueueFull, long droppedStopped, long malformed,
                            long ignored, long packetsLost, long packetsLate, long audioFrames, long videoFrames,
                            long videoFramesDropped, long keyframeRequests, long bytesWritten) {
}
