package org.medibridge.router;

import org.medibridge.buffer.PacketBuffer;
import org.medibridge.codec.vp8.Vp8Payload;
import org.medibridge.rtp.RtpPacket;
import org.medibridge.rtp.RtxDecoder;
import org.medibridge.srtp.SrtpResult;

/**
 * The receive direction of the packet path, top to bottom, on the room's worker thread:
 *
 * <pre>
 *  ice receive thread ──(MediaWorker queue, bounded, drop: WORKER_QUEUE_FULL)──▶ worker:
 *   1. endpoint closed / SRTP not ready?            drop ENDPOINT_CLOSED / SRTP_NOT_READY
 *   2. RTP or RTCP (RFC 5761 §4: PT 192..223 is RTCP)
 *   RTCP: 3. SRTCP unprotect (RFC 3711 §3.4)         drop SRTP_*
 *         4. terminate: {@link RtcpTermination}      (PLI/FIR/NACK/RR/SR; nothing forwarded as is)
 *   RTP:  3. only publishers send media               drop RTP_ON_SUBSCRIBER
 *         4. SRTP unprotect (RFC 3711 §3.3)          drop SRTP_*
 *         5. parse the header                        drop RTP_MALFORMED
 *         6. transport-wide feedback: every packet that got here arrived, whatever its stream
 *            (RTX padding probes included: unreported, the publisher's estimator counts them lost)
 *         7. find the stream by SSRC: a media stream, the RTX stream that repairs one, or the
 *            first packet of a simulcast layer or of its RTX stream
 *                                                    drop UNKNOWN_SSRC / RTX_UNKNOWN
 *         8. check the payload type                  drop UNKNOWN_PAYLOAD_TYPE
 *         9. RTX (RFC 4588 §4): padding?             drop RTX_PADDING
 *            decode in place into the original; not missing?  drop RTX_REDUNDANT
 *            media: the {@link NackGenerator} notes gaps (NACKs go out on the tick, {@link RtcpReports})
 *        10. receive statistics (RFC 3550 A.1, A.8) for our receiver reports (a repair: counted
 *            received, no jitter sample)
 *        11. for each leg: {@link Egress#forwardRtp} (rewrite, cache, SRTP protect, send,
 *            receive → send latency into the worker's histogram); a
 *            repair only goes to legs already running, with the sequence number it would have had
 *            on time
 *  12. release the buffer (the ownership rule of {@link PacketBuffer})
 * </pre>
 */
final class Ingress {
    private final RtpPacket rtp = new RtpPacket();
    private final org.medibridge.codec.vp8.Vp8Descriptor descriptor = new org.medibridge.codec.vp8.Vp8Descriptor();
    private final Egress egress;
    private final RtcpTermination rtcp;

    Ingress(Egress egress, RtcpTermination rtcp) {
        this.egress = egress;
        this.rtcp = rtcp;
    }

    /** Takes ownership of {@code packet}. */
    void onDatagram(MediaEndpoint from, PacketBuffer packet, long nowNanos) {
        try {
            if (from.closed) {
                from.stats.drops.count(DropReason.ENDPOINT_CLOSED);
                return;
            }
            if (from.srtp == null) {
                from.stats.drops.count(DropReason.SRTP_NOT_READY);
                return;
            }
            if (isRtcp(packet)) {
                SrtpResult r = from.srtp.unprotectRtcp(packet);
                if (r != SrtpResult.OK) {
                    from.stats.drops.count(dropReasonOf(r));
                    return;
                }
                from.stats.rtcpReceived++;
                rtcp.onRtcp(from, packet, nowNanos);
                return;
            }
            if (from.role != MediaEndpoint.Role.PUBLISHER) {
                from.stats.drops.count(DropReason.RTP_ON_SUBSCRIBER);
                return;
            }
            SrtpResult r = from.srtp.unprotectRtp(packet);
            if (r != SrtpResult.OK) {
                from.stats.drops.count(dropReasonOf(r));
                return;
            }
            if (!rtp.wrap(packet.getBuffer(), packet.getOffset(), packet.getLength())) {
                from.stats.drops.count(DropReason.RTP_MALFORMED);
                return;
            }
            long arrival = packet.receivedNanos() != 0 ? packet.receivedNanos() : nowNanos;
            if (from.feedbackGenerator != null) {
                int twOff = rtp.findExtension(from.extensionIds.transportCc());
                if (twOff >= 0 && rtp.extensionLength(from.extensionIds.transportCc()) == 2) {
                    from.feedbackGenerator.onPacketReceived(org.medibridge.rtp.Bytes.readUint16(rtp.buffer(), twOff), arrival);
                    from.feedbackMediaSsrc = rtp.ssrc();
                }
            }
            boolean repair = false;
            IncomingStream stream = from.incoming.get(rtp.ssrc());
            if (stream == null) {
                stream = from.repairs.get(rtp.ssrc());
                repair = stream != null;
            }
            if (stream == null) {
                stream = learnSimulcastLayer(from, rtp);
            }
            if (stream == null) {
                stream = learnSimulcastRepair(from, rtp);
                repair = stream != null;
            }
            if (stream == null) {
                from.stats.drops.count(names(from.extensionIds.repairedRtpStreamId(), rtp)
                        ? DropReason.RTX_UNKNOWN : DropReason.UNKNOWN_SSRC);
                return;
            }
            if (rtp.payloadType() != (repair ? stream.rtxPayloadType : stream.payloadType)) {
                from.stats.drops.count(DropReason.UNKNOWN_PAYLOAD_TYPE);
                return;
            }
            from.stats.rtpReceived++;
            if (repair && !decodeRepair(stream, rtp, nowNanos)) {
                return;
            }
            boolean keyFrameStart = stream.kind == MediaKind.VIDEO
                    && Vp8Payload.isKeyFrameStart(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
            if (repair) {
                stream.stats.onRepaired();
            } else {
                if (stream.nack != null) {
                    stream.nack.onReceived(rtp.sequenceNumber(), keyFrameStart, false, arrival);
                }
                stream.stats.update(rtp.sequenceNumber(), rtp.timestamp(), arrival, stream.clockRate);
                stream.lastRtpTimestamp = rtp.timestamp();
                stream.lastRtpArrivalNanos = arrival;
            }

            if (stream.simulcast != null) {
                forwardSimulcastLayer(stream, rtp, repair, arrival, nowNanos);
                return;
            }
            if (keyFrameStart) {
                // Every leg waiting for a keyframe starts with this one: a request still pending
                // in the throttle would only make the publisher send a second keyframe.
                stream.keyframeRequestPending = false;
            }
            boolean paddingOnly = rtp.payloadLength() == 0;
            OutgoingStream[] legs = stream.legs;
            // Taps (the recorder) see what the publisher sent, unless a moderator paused it.
            MediaTap[] taps = stream.taps;
            if (!stream.paused) {
                for (MediaTap tap : taps) {
                    tap.onRtp(stream, rtp.buffer(), rtp.offset(), rtp.length(), arrival);
                }
            }
            if (stream.paused) {
                for (OutgoingStream leg : legs) {
                    leg.sequence.skip(rtp.sequenceNumber());
                }
                from.stats.drops.count(DropReason.PAUSED);
                return;
            }
            for (OutgoingStream leg : legs) {
                // A repair never starts a leg: the packets after it went by before the leg existed.
                if (!repair || leg.sequence.started()) {
                    egress.forwardRtp(leg, rtp, keyFrameStart, paddingOnly, arrival, nowNanos);
                }
            }
        } finally {
            packet.release();
        }
    }

    /** A packet of one simulcast layer: measured, tapped, then each leg's selector decides. */
    private void forwardSimulcastLayer(IncomingStream stream, RtpPacket rtp, boolean repair, long arrival,
                                       long nowNanos) {
        boolean vp8 = descriptor.wrap(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
        int tid = vp8 ? Math.max(0, descriptor.temporalLayer()) : 0;
        boolean sync = vp8 && descriptor.layerSync();
        boolean frameStart = vp8 && descriptor.isFrameStart();
        boolean keyFrameStart = vp8 && descriptor.isKeyFrameStart();
        if (keyFrameStart) {
            stream.keyframeRequestPending = false;
        }
        SimulcastSource source = stream.simulcast;
        if (!repair) {
            source.bitrates.onPacket(stream.layerIndex, tid, rtp.length(), arrival);
        }
        OutgoingStream[] legs = source.legs;
        if (stream.paused) {
            for (OutgoingStream leg : legs) {
                leg.simulcastRewriter.onDropped(rtp.buffer(), rtp.offset(), rtp.length(), stream.layerIndex);
            }
            stream.publisher.stats.drops.count(DropReason.PAUSED);
            return;
        }
        if (stream.layerIndex == source.topLayer()) {
            for (MediaTap tap : source.taps) {
                tap.onRtp(stream, rtp.buffer(), rtp.offset(), rtp.length(), arrival);
            }
        }
        for (OutgoingStream leg : legs) {
            if (repair) {
                // Not a decision for the selector (the frame it belongs to is over): only the
                // layer being sent takes it, with the numbers it would have had on time.
                egress.forwardSimulcastRepair(leg, rtp, stream.layerIndex, tid, nowNanos);
            } else {
                egress.forwardSimulcast(leg, rtp, stream.layerIndex, tid, sync, keyFrameStart, frameStart, arrival,
                        nowNanos);
            }
        }
    }

    /**
     * The first packet of a simulcast encoding (RFC 8853): its {@code rtp-stream-id} (RFC 8852)
     * names the layer, and from now on its SSRC does. Packets of repaired streams (RTX) and of
     * rids nobody announced stay unknown.
     */
    private IncomingStream learnSimulcastLayer(MediaEndpoint from, RtpPacket rtp) {
        int ridId = from.extensionIds.rtpStreamId();
        if (from.simulcastSources.length == 0 || ridId <= 0) {
            return null;
        }
        int off = rtp.findExtension(ridId);
        if (off < 0) {
            return null;
        }
        int len = rtp.extensionLength(ridId);
        for (SimulcastSource source : from.simulcastSources) {
            int layer = source.layerOf(rtp.buffer(), off, len);
            if (layer >= 0 && source.layers[layer] == null && rtp.payloadType() == source.payloadType) {
                return from.room.learnLayer(source, layer, rtp.ssrc());
            }
        }
        return null;
    }

    /**
     * An RTX packet of {@code stream}: padding (a probe) is dropped; otherwise it is decoded in
     * place into the original, which goes on only when it was missing. Returns whether to go on.
     */
    private static boolean decodeRepair(IncomingStream stream, RtpPacket rtp, long nowNanos) {
        MediaEndpoint from = stream.publisher;
        if (rtp.payloadLength() == 0) {
            stream.rtxPadding++;
            from.stats.drops.count(DropReason.RTX_PADDING);
            return false;
        }
        if (!RtxDecoder.decode(rtp, stream.ssrc, stream.payloadType)) {
            from.stats.drops.count(DropReason.RTP_MALFORMED); // one byte: half an OSN
            return false;
        }
        boolean keyFrameStart = Vp8Payload.isKeyFrameStart(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
        if (stream.nack == null
                || stream.nack.onReceived(rtp.sequenceNumber(), keyFrameStart, true, nowNanos) != NackGenerator.FILLED) {
            stream.rtxRedundant++;
            from.stats.drops.count(DropReason.RTX_REDUNDANT);
            return false;
        }
        stream.rtxRecovered++;
        from.room.worker().rtxRecovered.incrementAndGet();
        return true;
    }

    /**
     * The first RTX packet of a simulcast layer: its {@code repaired-rtp-stream-id} (RFC 8852 §3)
     * names the layer it repairs, and from now on its SSRC does. The layer's own stream must be
     * known already (learnt from its first media packet).
     */
    private IncomingStream learnSimulcastRepair(MediaEndpoint from, RtpPacket rtp) {
        int rridId = from.extensionIds.repairedRtpStreamId();
        if (from.simulcastSources.length == 0 || rridId <= 0) {
            return null;
        }
        int off = rtp.findExtension(rridId);
        if (off < 0) {
            return null;
        }
        int len = rtp.extensionLength(rridId);
        for (SimulcastSource source : from.simulcastSources) {
            int layer = source.layerOf(rtp.buffer(), off, len);
            if (layer >= 0 && source.layers[layer] != null && source.rtxPayloadType >= 0
                    && rtp.payloadType() == source.rtxPayloadType && source.layers[layer].rtxSsrc < 0) {
                return from.room.learnRepairStream(source.layers[layer], rtp.ssrc());
            }
        }
        return null;
    }

    private static boolean names(int extensionId, RtpPacket rtp) {
        return extensionId > 0 && rtp.findExtension(extensionId) >= 0;
    }

    /** RFC 5761 §4: with rtcp-mux, RTCP packet types 192..223 sit where RTP's M+PT byte is. */
    static boolean isRtcp(PacketBuffer p) {
        if (p.getLength() < 2) {
            return false;
        }
        int pt = p.getBuffer()[p.getOffset() + 1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    static DropReason dropReasonOf(SrtpResult r) {
        return switch (r) {
            case AUTH_FAILED -> DropReason.SRTP_AUTH_FAILED;
            case REPLAY -> DropReason.SRTP_REPLAY;
            case INVALID -> DropReason.SRTP_FAILED;
            default -> DropReason.SRTP_FAILED;
        };
    }
}
