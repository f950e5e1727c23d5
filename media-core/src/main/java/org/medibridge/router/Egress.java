package org.medibridge.router;

import org.medibridge.buffer.PacketBuffer;
import org.medibridge.buffer.PacketPool;
import org.medibridge.bwe.PacketResult;
import org.medibridge.rtp.AbsSendTime;
import org.medibridge.rtp.Bytes;
import org.medibridge.rtp.HeaderExtensionCursor;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.rtp.RtxEncoder;
import org.medibridge.simulcast.Decision;
import org.medibridge.srtp.SrtpResult;

/**
 * The send direction of the packet path, on the room's worker thread. For one leg:
 *
 * <pre>
 *   1. subscriber not ready (no SRTP yet)?          drop SUBSCRIBER_NOT_READY
 *   2. video leg waiting for a keyframe?            skip until a key frame starts
 *   3. copy the plaintext into the worker's scratch buffer (one copy per leg: each leg has its
 *      own SSRC, sequence numbers and SRTP keys)
 *   4. rewrite SSRC, sequence number (continuous per leg), timestamp, payload type
 *   5. header extensions (RFC 8285): translate ids to the subscriber's, erase the rest (mid and
 *      rid only mean something on the publisher's connection), stamp abs-send-time and the
 *      transport-wide sequence number
 *   6. store the plaintext in the leg's retransmission cache (video)
 *   7. SRTP protect in place (RFC 3711 §3.3; the tag goes into the tailroom)
 *   8. send through the subscriber's ICE transport
 *   9. record receive → send in the worker's {@link LatencyHistogram} (not for retransmissions:
 *      their latency is the NACK round trip, not the server's)
 * </pre>
 * Retransmissions ({@link #retransmit}) and probe padding ({@link #sendProbe}) take the same
 * last steps: a fresh transport-wide sequence number and abs-send-time, so the bandwidth
 * estimate sees every byte that leaves, then SRTP and send.
 * Nothing here allocates: the scratch buffer, the RTP view and the extension cursor are reused.
 */
final class Egress {
    private final PacketBuffer scratch;
    private final RtpPacket out = new RtpPacket();
    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();
    private final LatencyHistogram forwardLatency;

    Egress(LatencyHistogram forwardLatency) {
        this.scratch = PacketBuffer.wrap(new byte[PacketPool.CAPACITY], PacketPool.HEADROOM, 0);
        this.forwardLatency = forwardLatency;
    }

    /**
     * {@code receivedNanos} is when the datagram was received (before the worker queue), or when
     * the worker took it if the transport did not say; {@code nowNanos} is when the worker took it.
     */
    void forwardRtp(OutgoingStream leg, RtpPacket in, boolean keyFrameStart, boolean paddingOnly,
                    long receivedNanos, long nowNanos) {
        MediaEndpoint sub = leg.subscriber;
        if (!sub.isReady()) {
            sub.stats.drops.count(DropReason.SUBSCRIBER_NOT_READY);
            return;
        }
        int inSeq = in.sequenceNumber();
        if (leg.waitingForKeyframe && leg.sequence.started()) {
            // Resuming after a pause (e.g. a moderator unmuted video): the decoder lost its
            // reference frames, so nothing goes out before the next keyframe — without a gap
            // in this leg's sequence numbers.
            if (!keyFrameStart) {
                leg.sequence.skip(inSeq);
                leg.requestKeyframe();
                return;
            }
            leg.waitingForKeyframe = false;
        }
        if (!leg.sequence.started()) {
            if (leg.waitingForKeyframe && !keyFrameStart) {
                leg.requestKeyframe();
                return;
            }
            if (paddingOnly) {
                return;
            }
            leg.waitingForKeyframe = false;
            leg.sequence.start(inSeq, leg.firstSequence);
        } else if (leg.sequence.isBeforeStart(inSeq)) {
            sub.stats.drops.count(DropReason.STALE);
            return;
        }
        if (paddingOnly) {
            // Probing padding from the publisher is meaningless to this subscriber.
            leg.sequence.skip(inSeq);
            return;
        }

        int outSeq = leg.sequence.rewrite(inSeq);
        if (outSeq < 0) {
            // Late (a repair, or reordered) behind more skips than the rewriter remembers.
            sub.stats.drops.count(DropReason.STALE);
            return;
        }
        PacketBuffer p = scratch;
        p.setOffsetLength(PacketPool.HEADROOM, in.length());
        System.arraycopy(in.buffer(), in.offset(), p.getBuffer(), PacketPool.HEADROOM, in.length());
        out.wrap(p.getBuffer(), p.getOffset(), p.getLength());
        long outTs = leg.rewriteTimestamp(in.timestamp());
        out.setSsrc(leg.ssrc);
        out.setSequenceNumber(outSeq);
        out.setTimestamp(outTs);
        out.setPayloadType(leg.payloadType);
        rewriteExtensions(leg, sub, nowNanos);

        if (leg.cache != null) {
            leg.cache.store(outSeq, p.getBuffer(), p.getOffset(), p.getLength(), nowNanos);
        }
        leg.packetsSent++;
        leg.octetsSent += in.payloadLength();
        leg.lastSentRtpTimestamp = outTs;
        leg.lastSentNanos = nowNanos;
        if (protectAndSendRtp(sub, p)) {
            forwardLatency.record(System.nanoTime() - receivedNanos);
        }
    }

    /**
     * One packet of one layer of a simulcast track, for one leg: the leg's selector decides
     * (preferred / target / current; spatial switches at keyframes, temporal at frame
     * boundaries), the simulcast rewriter makes one continuous stream of what goes out (SSRC,
     * sequence numbers, timestamps, VP8 picture id and TL0PICIDX), then as for any leg.
     */
    void forwardSimulcast(OutgoingStream leg, RtpPacket in, int layer, int temporalLayer, boolean layerSync,
                          boolean keyFrameStart, boolean frameStart, long receivedNanos, long nowNanos) {
        MediaEndpoint sub = leg.subscriber;
        if (!sub.isReady()) {
            sub.stats.drops.count(DropReason.SUBSCRIBER_NOT_READY);
            return;
        }
        Decision d = leg.selector.onPacket(layer, temporalLayer, layerSync, keyFrameStart, frameStart, in.marker());
        if (!d.forwards()) {
            leg.simulcastRewriter.onDropped(in.buffer(), in.offset(), in.length(), layer);
            int wanted = leg.selector.keyframeLayerWanted();
            if (wanted >= 0 && wanted < leg.simulcast.layers.length && leg.simulcast.layers[wanted] != null) {
                leg.simulcast.layers[wanted].requestKeyframe();
            }
            return;
        }
        sendSimulcast(leg, in, layer, d == Decision.SWITCH, receivedNanos, nowNanos);
    }

    /**
     * A repaired (RTX) packet of a simulcast layer, for one leg: only when that layer is the one
     * the leg sends and its temporal layer is forwarded; the rewriter gives it the numbers it
     * would have had on time, and refuses it when it is older than the layer's anchor.
     */
    void forwardSimulcastRepair(OutgoingStream leg, RtpPacket in, int layer, int temporalLayer, long nowNanos) {
        if (!leg.subscriber.isReady() || leg.simulcastRewriter.layer() != layer
                || leg.selector.currentSpatial() != layer || temporalLayer > leg.selector.currentTemporal()) {
            return;
        }
        sendSimulcast(leg, in, layer, false, 0, nowNanos); // a repair: its latency is the NACK round trip
    }

    /** @param receivedNanos when the packet arrived, for the latency histogram; 0 records nothing */
    private void sendSimulcast(OutgoingStream leg, RtpPacket in, int layer, boolean layerStart, long receivedNanos,
                               long nowNanos) {
        MediaEndpoint sub = leg.subscriber;
        PacketBuffer p = scratch;
        p.setOffsetLength(PacketPool.HEADROOM, in.length());
        System.arraycopy(in.buffer(), in.offset(), p.getBuffer(), PacketPool.HEADROOM, in.length());
        if (!leg.simulcastRewriter.rewrite(p.getBuffer(), p.getOffset(), p.getLength(), layer,
                layerStart, nowNanos)) {
            sub.stats.drops.count(DropReason.STALE);
            return;
        }
        out.wrap(p.getBuffer(), p.getOffset(), p.getLength());
        out.setPayloadType(leg.payloadType);
        rewriteExtensions(leg, sub, nowNanos);
        if (leg.cache != null) {
            leg.cache.store(out.sequenceNumber(), p.getBuffer(), p.getOffset(), p.getLength(), nowNanos);
        }
        leg.packetsSent++;
        leg.octetsSent += in.payloadLength();
        if (leg.packetsSent == 1 || (int) (out.timestamp() - leg.lastSentRtpTimestamp) > 0) {
            leg.lastSentRtpTimestamp = out.timestamp(); // a late packet does not set the clock back
        }
        leg.lastSentNanos = nowNanos;
        if (protectAndSendRtp(sub, p) && receivedNanos != 0) {
            forwardLatency.record(System.nanoTime() - receivedNanos);
        }
    }

    private void rewriteExtensions(OutgoingStream leg, MediaEndpoint sub, long nowNanos) {
        if (!cursor.reset(out)) {
            return;
        }
        byte[] buf = out.buffer();
        while (cursor.next()) {
            int outId = leg.extensionIdMap[cursor.id()] & 0xFF;
            if (outId == 0 || (!cursor.isTwoByteForm() && outId > 14)) {
                cursor.erase();
                continue;
            }
            cursor.setId(outId);
            if (outId == leg.absSendTimeId && cursor.dataLength() == AbsSendTime.DATA_LENGTH) {
                AbsSendTime.write(buf, cursor.dataOffset(), nowNanos);
            } else if (outId == leg.transportCcId && cursor.dataLength() == 2) {
                writeTransportSequence(sub, buf, cursor.dataOffset(), nowNanos, PacketResult.NOT_PROBE);
            }
        }
    }

    /**
     * For a packet that already carries the subscriber's ids (from the cache, or built here):
     * stamps abs-send-time and a new transport-wide sequence number, recorded as sent now.
     */
    private void stampSendTime(OutgoingStream leg, MediaEndpoint sub, long nowNanos, int probeCluster) {
        if (!cursor.reset(out)) {
            return;
        }
        byte[] buf = out.buffer();
        while (cursor.next()) {
            int id = cursor.id();
            if (id == leg.absSendTimeId && cursor.dataLength() == AbsSendTime.DATA_LENGTH) {
                AbsSendTime.write(buf, cursor.dataOffset(), nowNanos);
            } else if (id == leg.transportCcId && cursor.dataLength() == 2) {
                writeTransportSequence(sub, buf, cursor.dataOffset(), nowNanos, probeCluster);
            }
        }
    }

    /** draft-holmer-rmcat-transport-wide-cc-extensions-01 §2: one counter per connection, every packet. */
    private void writeTransportSequence(MediaEndpoint sub, byte[] buf, int off, long nowNanos, int probeCluster) {
        Bytes.writeUint16(buf, off, sub.transportSequence);
        if (sub.sentHistory != null) {
            sub.sentHistory.onPacketSent(sub.transportSequence, nowNanos, out.length(), probeCluster);
        }
        sub.transportSequence = (sub.transportSequence + 1) & 0xFFFF;
    }

    /**
     * Answers one NACKed sequence number from the leg's cache (RFC 4585 §6.2.1). With RTX
     * negotiated the copy goes out on the leg's RTX stream (RFC 4588 §4: RTX SSRC, payload type
     * and sequence number, the original sequence number in front of the payload), so the
     * receiver's statistics and SRTP replay window of the media stream are untouched; without it,
     * as the original packet. Either way it gets a fresh transport-wide sequence number and
     * abs-send-time: it is a new packet on the wire, and the estimate must count it.
     */
    boolean retransmit(OutgoingStream leg, int seq, long nowNanos) {
        MediaEndpoint sub = leg.subscriber;
        if (leg.cache == null || !sub.isReady()) {
            return false;
        }
        if (leg.selector != null && leg.selector.congestedDownSwitchPending()) {
            sub.stats.drops.count(DropReason.RETRANSMIT_DURING_DOWN_SWITCH);
            return false;
        }
        PacketBuffer p = scratch;
        int len = leg.cache.copy(seq, p.getBuffer(), PacketPool.HEADROOM, nowNanos, minResendInterval(sub));
        if (len == RetransmissionCache.TOO_SOON) {
            sub.stats.drops.count(DropReason.RETRANSMIT_TOO_SOON);
            return false;
        }
        if (len < 0) {
            leg.retransmissionMisses++;
            return false;
        }
        p.setOffsetLength(PacketPool.HEADROOM, len);
        if (leg.hasRtx()) {
            int rtxLen = RtxEncoder.encode(p.getBuffer(), PacketPool.HEADROOM, len, leg.rtxSsrc, leg.rtxPayloadType,
                    leg.rtxSequence);
            if (rtxLen < 0) {
                leg.retransmissionMisses++;
                return false;
            }
            leg.rtxSequence = (leg.rtxSequence + 1) & 0xFFFF;
            p.setOffsetLength(PacketPool.HEADROOM - RtxEncoder.OSN_LENGTH, rtxLen);
            sub.stats.rtxSent++;
        }
        if (out.wrap(p.getBuffer(), p.getOffset(), p.getLength())) {
            stampSendTime(leg, sub, nowNanos, PacketResult.NOT_PROBE);
        }
        leg.retransmissions++;
        sub.stats.retransmissions++;
        protectAndSendRtp(sub, p);
        return true;
    }

    /**
     * A packet is resent at most once per round trip (the receiver's repeated NACK comes before
     * the first copy could have arrived); 100 ms until an RTT is known, and at least 20 ms.
     */
    private static long minResendInterval(MediaEndpoint sub) {
        long rtt = sub.estimator == null ? 0 : sub.estimator.rttNanos();
        return rtt <= 0 ? 100_000_000L : Math.max(20_000_000L, rtt);
    }

    /**
     * One padding-only packet of probe cluster {@code cluster} on {@code leg}'s RTX stream
     * (RFC 3550 §5.1 padding, {@link RtxEncoder#writePaddingPacket}): it carries no media, the
     * receiver drops it after counting its transport-wide sequence number, and the estimate
     * learns from its arrival time. Returns the bytes recorded for it (plaintext RTP), or -1.
     */
    int sendProbe(OutgoingStream leg, int cluster, int padding, long nowNanos) {
        MediaEndpoint sub = leg.subscriber;
        if (!sub.isReady() || !leg.hasRtx()) {
            return -1;
        }
        PacketBuffer p = scratch;
        int len = RtxEncoder.writePaddingPacket(p.getBuffer(), PacketPool.HEADROOM, leg.rtxSsrc, leg.rtxPayloadType,
                leg.rtxSequence, leg.lastSentRtpTimestamp, leg.absSendTimeId, leg.transportCcId, padding);
        leg.rtxSequence = (leg.rtxSequence + 1) & 0xFFFF;
        p.setOffsetLength(PacketPool.HEADROOM, len);
        out.wrap(p.getBuffer(), p.getOffset(), p.getLength());
        stampSendTime(leg, sub, nowNanos, cluster);
        sub.stats.probePacketsSent++;
        sub.stats.probeBytesSent += len;
        protectAndSendRtp(sub, p);
        return len;
    }

    /** True when the packet went out (the sink returned). */
    private static boolean protectAndSendRtp(MediaEndpoint to, PacketBuffer p) {
        SrtpResult r = to.srtp.protectRtp(p);
        if (r != SrtpResult.OK) {
            to.stats.drops.count(Ingress.dropReasonOf(r));
            return false;
        }
        to.stats.rtpSent++;
        to.stats.bytesSent += p.getLength();
        to.sink.send(p.getBuffer(), p.getOffset(), p.getLength());
        return true;
    }

    /** The scratch buffer, for RTCP that {@link RtcpReports} composes; send it with {@link #sendRtcp}. */
    PacketBuffer rtcpScratch() {
        scratch.setOffsetLength(PacketPool.HEADROOM, 0);
        return scratch;
    }

    void sendRtcp(MediaEndpoint to, PacketBuffer p) {
        if (!to.isReady() || p.getLength() == 0) {
            return;
        }
        SrtpResult r = to.srtp.protectRtcp(p);
        if (r != SrtpResult.OK) {
            to.stats.drops.count(Ingress.dropReasonOf(r));
            return;
        }
        to.stats.rtcpSent++;
        to.sink.send(p.getBuffer(), p.getOffset(), p.getLength());
    }
}
