package org.medibridge.simulcast;

import org.medibridge.codec.vp8.Vp8Descriptor;
import org.medibridge.rtp.RtpPacket;

/**
 * Makes a subscriber see one continuous VP8 stream while {@link LayerSelector} moves between
 * simulcast encodings, each with its own SSRC, sequence numbers, RTP timestamps, picture ids and
 * TL0PICIDX. Rewrites in place, per leg:
 * <ul>
 *   <li>SSRC: always the leg's.
 *   <li>Sequence number: +1 per forwarded packet; packets the selector dropped on the current
 *       layer ({@link #onDropped}) leave no hole (a network loss does, so it can be NACKed).
 *   <li>RTP timestamp: offset per layer. On a switch the new layer is anchored so its first packet
 *       goes out at the last sent timestamp plus the wall time elapsed since, in clock-rate units
 *       (at least one unit: the key frame is a new frame).
 *   <li>Picture id (RFC 7741 §4.2): +1 per forwarded frame; dropped frames leave no hole; written
 *       in the packet's own width, so a 7-bit publisher keeps wrapping at 128.
 *   <li>TL0PICIDX: +1 per forwarded TID 0 frame.
 *   <li>Key-frame flag, marker, payload type and extensions: untouched (the router owns the last two).
 * </ul>
 * A re-anchor ({@code layerStart}, from {@link Decision#SWITCH}) happens on every switch and on a
 * resume after a pause, so packets that never reached the leg while paused leave no hole either.
 * <p>
 * Owned by the room's worker thread; allocates nothing.
 */
public final class SimulcastRewriter {
    private static final long MASK32 = 0xFFFFFFFFL;

    private final long ssrc;
    private final int firstSequence;
    private final long firstTimestampOffset;
    private final int clockRate;

    private final RtpPacket rtp = new RtpPacket();
    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    private final SerialRewriter sequence = new SerialRewriter();
    private final SerialRewriter pictureId = new SerialRewriter();
    private final SerialRewriter tl0PicIdx = new SerialRewriter();

    private int layer = LayerSelector.NONE;
    private long timestampOffset;
    private boolean sent;
    private long lastTimestamp;
    private long lastSentNanos;

    private long rewritten;
    private long stale;
    private long anchors;

    /**
     * @param ssrc             the leg's SSRC
     * @param firstSequence    the leg's first sequence number
     * @param timestampOffset  added to the first layer's timestamps
     * @param clockRate        RTP clock rate (90000 for video)
     */
    public SimulcastRewriter(long ssrc, int firstSequence, long timestampOffset, int clockRate) {
        this.ssrc = ssrc;
        this.firstSequence = firstSequence & 0xFFFF;
        this.firstTimestampOffset = timestampOffset & MASK32;
        this.clockRate = clockRate;
    }

    /**
     * Rewrites a packet the selector forwarded, in place.
     *
     * @param buf          the RTP packet (plaintext), rewritten in place
     * @param off          its offset in {@code buf}
     * @param len          its length
     * @param layer          its spatial layer
     * @param layerStart     true for {@link Decision#SWITCH}: re-anchor on this packet
     * @param nowNanos       the worker's clock
     * @return false when the packet must not be sent: not RTP, or older than the packet its
     *         layer was anchored on (a late packet from before the switch)
     */
    public boolean rewrite(byte[] buf, int off, int len, int layer, boolean layerStart, long nowNanos) {
        if (!rtp.wrap(buf, off, len)) {
            return false;
        }
        boolean vp8Ok = vp8.wrap(buf, rtp.payloadOffset(), rtp.payloadLength());
        int inSeq = rtp.sequenceNumber();
        long inTs = rtp.timestamp();
        if (layerStart || layer != this.layer || !sequence.started()) {
            anchor(layer, inSeq, inTs, vp8Ok, nowNanos);
        } else if (sequence.isBeforeStart(inSeq)) {
            stale++;
            return false;
        }
        long outTs = (inTs + timestampOffset) & MASK32;
        // A late packet (reordered, or repaired by RTX) gets the numbers it would have had on
        // time; one too late to place (more skips since than remembered) is refused whole.
        int outSeq = sequence.rewrite(inSeq);
        if (outSeq < 0 || vp8Ok && !rewriteVp8()) {
            stale++;
            return false;
        }
        rtp.setSsrc(ssrc);
        rtp.setSequenceNumber(outSeq);
        rtp.setTimestamp(outTs);
        if (!sent || (int) (outTs - lastTimestamp) > 0) {
            lastTimestamp = outTs;
        }
        sent = true;
        lastSentNanos = nowNanos;
        rewritten++;
        return true;
    }

    /** A packet the selector dropped: on the current layer it must leave no hole. */
    public void onDropped(byte[] buf, int off, int len, int layer) {
        if (layer != this.layer || !sequence.started() || !rtp.wrap(buf, off, len)) {
            return;
        }
        sequence.skip(rtp.sequenceNumber());
        if (vp8.wrap(buf, rtp.payloadOffset(), rtp.payloadLength())) {
            if (vp8.hasPictureId() && pictureId.started() && pictureId.bits() == vp8.pictureIdBits()) {
                pictureId.skip(vp8.pictureId());
            }
            if (vp8.hasTl0PicIdx() && tl0PicIdx.started()) {
                tl0PicIdx.skip(vp8.tl0PicIdx());
            }
        }
    }

    private void anchor(int newLayer, int inSeq, long inTs, boolean vp8Ok, long nowNanos) {
        anchors++;
        layer = newLayer;
        if (!sequence.started()) {
            sequence.start(16, inSeq, firstSequence);
            timestampOffset = firstTimestampOffset;
        } else {
            sequence.start(16, inSeq, sequence.nextOut());
            long elapsed = Math.max(1, Math.max(0, nowNanos - lastSentNanos) / 1000 * clockRate / 1_000_000L);
            timestampOffset = (lastTimestamp + elapsed - inTs) & MASK32;
        }
        if (!vp8Ok) {
            return;
        }
        if (vp8.hasPictureId()) {
            // The first picture id ever is kept; later layers continue the output.
            int out = pictureId.started() ? pictureId.nextOut() : vp8.pictureId();
            pictureId.start(vp8.pictureIdBits(), vp8.pictureId(), out);
        }
        if (vp8.hasTl0PicIdx()) {
            // A TID 0 frame is a new base-layer frame; a higher one shares the last base's index.
            int out = !tl0PicIdx.started() ? vp8.tl0PicIdx()
                    : vp8.temporalLayer() == 0 ? tl0PicIdx.nextOut() : tl0PicIdx.nextOut() - 1;
            tl0PicIdx.start(8, vp8.tl0PicIdx(), out);
        }
    }

    /** Rewrites picture id and TL0PICIDX; false, writing nothing, when a late value cannot be placed. */
    private boolean rewriteVp8() {
        int pid = -1;
        int tl0 = -1;
        if (vp8.hasPictureId()) {
            if (!pictureId.started() || pictureId.bits() != vp8.pictureIdBits()) {
                // The publisher changed the field's width mid-layer: continue in the new width.
                pictureId.start(vp8.pictureIdBits(), vp8.pictureId(),
                        pictureId.started() ? pictureId.nextOut() : vp8.pictureId());
            }
            pid = pictureId.rewrite(vp8.pictureId());
            if (pid < 0) {
                return false;
            }
        }
        if (vp8.hasTl0PicIdx()) {
            if (!tl0PicIdx.started()) {
                tl0PicIdx.start(8, vp8.tl0PicIdx(), vp8.tl0PicIdx());
            }
            tl0 = tl0PicIdx.rewrite(vp8.tl0PicIdx());
            if (tl0 < 0) {
                return false;
            }
        }
        if (pid >= 0) {
            vp8.setPictureId(pid);
        }
        if (tl0 >= 0) {
            vp8.setTl0PicIdx(tl0);
        }
        return true;
    }

    public long ssrc() { return ssrc; }

    /** The spatial layer the output is anchored on, or {@link LayerSelector#NONE}. */
    public int layer() { return layer; }

    /** The highest RTP timestamp sent (for sender reports). */
    public long lastTimestamp() { return lastTimestamp; }

    public long packetsRewritten() { return rewritten; }

    /** Packets refused as older than their layer's anchor. */
    public long stalePackets() { return stale; }

    /** Times the output was re-anchored on a layer (switches, resumes, the first packet). */
    public long anchors() { return anchors; }
}
