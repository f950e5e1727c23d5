package org.medibridge.recording;

import java.io.IOException;
import java.util.Arrays;
import org.medibridge.codec.vp8.Vp8Payload;

/**
 * Rebuilds whole VP8 frames from RTP packets in sequence order (RFC 7741 §4): a frame begins
 * with the packet whose descriptor has S = 1 and PID = 0, all its packets share one RTP
 * timestamp, and the RTP marker bit ends it (a timestamp change ends a frame whose sender set no
 * marker). Payload descriptors are stripped and the payloads concatenated.
 * <p>
 * The file must never hold a frame whose references are missing, so: a frame with a lost or
 * malformed packet is dropped; after any loss every delta frame is dropped until the next key
 * frame; recording starts at a key frame. Each time a key frame is needed
 * {@link Listener#onKeyframeNeeded} is called (the caller throttles the requests).
 * <p>
 * Owned by the recorder's writer thread. The frame buffer is reused; {@link Listener#onFrame}
 * must copy what it keeps.
 */
final class Vp8FrameAssembler {
    interface Listener {
        /**
         * A complete, decodable frame. {@code width}/{@code height} are read from key frames
         * (RFC 6386 §9.1), -1 on delta frames.
         */
        void onFrame(long rtpTimestamp, boolean keyframe, byte[] frame, int len, long arrivalNanos,
                     int width, int height) throws IOException;

        void onKeyframeNeeded();
    }

    private final Listener listener;
    private byte[] data = new byte[64 * 1024];
    private int dataLen;

    private boolean inFrame;
    private boolean broken;
    private long frameTimestamp;
    private long frameArrivalNanos;
    /** True until the first key frame, and again after each loss. */
    private boolean waitingForKeyframe = true;

    private long framesDropped;

    Vp8FrameAssembler(Listener listener) {
        this.listener = listener;
    }

    void onPacket(QueuedPacket p) throws IOException {
        byte[] b = p.buf;
        int off = p.payloadOffset;
        int len = p.payloadLength;
        if (len == 0) {
            return;  // padding only (bandwidth probing): no media, not a loss
        }
        if (inFrame && p.timestamp != frameTimestamp) {
            completeFrame();  // the sender set no marker on the previous frame
        }
        int d = Vp8Payload.descriptorLength(b, off, len);
        boolean start = d > 0 && d < len && Vp8Payload.isFrameStart(b, off, len);
        if (!inFrame) {
            // A frame whose first packet we never saw cannot be decoded.
            begin(p.timestamp, p.arrivalNanos, !start);
        } else if (start || d < 0 || d >= len) {
            broken = true;  // a second frame start in one frame, or a malformed descriptor
        }
        if (!broken) {
            append(b, off + d, len - d);
        }
        if (p.marker) {
            completeFrame();
        }
    }

    /** Packets were lost just before the next one: the frame in progress, and what follows, are undecodable. */
    void onLoss() {
        if (inFrame) {
            broken = true;
        }
        waitingForKeyframe = true;
        listener.onKeyframeNeeded();
    }

    /** End of stream: a frame still open never got its marker, so it may be incomplete: dropped. */
    void flush() {
        if (inFrame) {
            inFrame = false;
            framesDropped++;
        }
    }

    long framesDropped() {
        return framesDropped;
    }

    boolean waitingForKeyframe() {
        return waitingForKeyframe;
    }

    private void begin(long timestamp, long arrivalNanos, boolean brokenFromStart) {
        inFrame = true;
        broken = brokenFromStart;
        frameTimestamp = timestamp;
        frameArrivalNanos = arrivalNanos;
        dataLen = 0;
    }

    private void append(byte[] b, int off, int len) {
        if (dataLen + len > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, dataLen + len));
        }
        System.arraycopy(b, off, data, dataLen, len);
        dataLen += len;
    }

    private void completeFrame() throws IOException {
        inFrame = false;
        if (broken || dataLen == 0) {
            framesDropped++;
            waitingForKeyframe = true;
            listener.onKeyframeNeeded();
            return;
        }
        // VP8 payload header, first byte: |Size0|H|VER|P|, P = 0 for a key frame (RFC 7741 §4.3).
        boolean keyframe = (data[0] & 0x01) == 0;
        if (!keyframe && waitingForKeyframe) {
            framesDropped++;
            listener.onKeyframeNeeded();
            return;
        }
        int width = -1;
        int height = -1;
        if (keyframe) {
            width = Vp8Payload.keyFrameWidth(data, 0, dataLen);
            height = Vp8Payload.keyFrameHeight(data, 0, dataLen);
            if (width <= 0 || height <= 0) {
                framesDropped++;  // not a well-formed key frame header
                waitingForKeyframe = true;
                listener.onKeyframeNeeded();
                return;
            }
            waitingForKeyframe = false;
        }
        listener.onFrame(frameTimestamp, keyframe, data, dataLen, frameArrivalNanos, width, height);
    }
}
