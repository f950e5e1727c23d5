package org.medibridge.router;

import org.medibridge.buffer.PacketBuffer;
import org.medibridge.codec.vp8.Vp8Payload;
import org.medibridge.rtp.RtpPacket;
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
 *         6. find the stream by SSRC                 drop UNKNOWN_SSRC
 *         7. check the payload type                  drop UNKNOWN_PAYLOAD_TYPE
 *         8. receive statistics (RFC 3550 A.1, A.8) for our receiver reports
 *         9. for each leg: {@link Egress#forwardRtp} (rewrite, cache, SRTP protect, send,
 *            receive → send latency into the worker's histogram)
 *  10. release the buffer (the ownership rule of {@link PacketBuffer})
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
            IncomingStream stream = from.incoming.get(rtp.ssrc());
            if (stream == null) {
                stream = learnSimulcastLayer(from, rtp);
            }
            if (stream == null) {
                from.stats.drops.count(DropReason.UNKNOWN_SSRC);
                return;
            }
            if (rtp.payloadType() != stream.payloadType) {
                from.stats.drops.count(DropReason.UNKNOWN_PAYLOAD_TYPE);
                return;
            }
            from.stats.rtpReceived++;
            long arrival = packet.receivedNanos() != 0 ? packet.receivedNanos() : nowNanos;
            if (from.feedbackGenerator != null) {
                int twOff = rtp.findExtension(from.extensionIds.transportCc());
                if (twOff >= 0 && rtp.extensionLength(from.extensionIds.transportCc()) == 2) {
                    from.feedbackGenerator.onPacketReceived(org.medibridge.rtp.Bytes.readUint16(rtp.buffer(), twOff), arrival);
                }
            }
            stream.stats.update(rtp.sequenceNumber(), rtp.timestamp(), arrival, stream.clockRate);
            stream.lastRtpTimestamp = rtp.timestamp();
            stream.lastRtpArrivalNanos = arrival;

            if (stream.simulcast != null) {
                forwardSimulcastLayer(stream, rtp, arrival, nowNanos);
                return;
            }
            boolean keyFrameStart = stream.kind == MediaKind.VIDEO
                    && Vp8Payload.isKeyFrameStart(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
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
                egress.forwardRtp(leg, rtp, keyFrameStart, paddingOnly, arrival, nowNanos);
            }
        } finally {
            packet.release();
        }
    }

    /** A packet of one simulcast layer: measured, tapped, then each leg's selector decides. */
    private void forwardSimulcastLayer(IncomingStream stream, RtpPacket rtp, long arrival, long nowNanos) {
        boolean vp8 = descriptor.wrap(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
        int tid = vp8 ? Math.max(0, descriptor.temporalLayer()) : 0;
        boolean sync = vp8 && descriptor.layerSync();
        boolean frameStart = vp8 && descriptor.isFrameStart();
        boolean keyFrameStart = vp8 && descriptor.isKeyFrameStart();
        if (keyFrameStart) {
            stream.keyframeRequestPending = false;
        }
        SimulcastSource source = stream.simulcast;
        source.bitrates.onPacket(stream.layerIndex, tid, rtp.length(), arrival);
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
            egress.forwardSimulcast(leg, rtp, stream.layerIndex, tid, sync, keyFrameStart, frameStart, arrival, nowNanos);
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
