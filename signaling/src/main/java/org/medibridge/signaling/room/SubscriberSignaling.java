package org.medibridge.signaling.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.medibridge.router.HeaderExtensionIds;
import org.medibridge.router.MediaEndpoint;
import org.medibridge.router.MediaKind;
import org.medibridge.router.MediaRoom;
import org.medibridge.router.Rtx;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.signaling.Messages;
import org.medibridge.signaling.SignalingException;
import org.medibridge.signaling.negotiation.NegotiationException;
import org.medibridge.signaling.negotiation.OutgoingTrack;
import org.medibridge.signaling.negotiation.SubscriberAnswer;
import org.medibridge.signaling.negotiation.SubscriberNegotiation;
import org.medibridge.signaling.negotiation.SubscriberRtpParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each participant's subscriber connection, where the server offers: one m-line (slot) per track
 * of everyone else in the call, re-offers batched to one per task, the browser's answers (which
 * create the legs), ICE restarts on the browser's request, render sizes, and the reset after the
 * browser tore a connection down. docs/ARCHITECTURE.md "One peer connection or two?" explains the
 * anchor m-line and why m-lines are never removed.
 *
 * <p>Runs on the room's thread only, like {@link Room}; {@link Room#execute} sends the re-offers
 * asked for during a task at its end ({@link #flushRenegotiations}).
 */
final class SubscriberSignaling {
    /** Logs as Room, so that log lines and logger levels stay those of before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    /** The header extension ids of every subscriber offer (mid is erased, not translated). */
    private static final HeaderExtensionIds SUBSCRIBER_EXTENSIONS = new HeaderExtensionIds(
            SubscriberRtpParameters.MID_ID, SubscriberRtpParameters.AUDIO_LEVEL_ID,
            SubscriberRtpParameters.ABS_SEND_TIME_ID, SubscriberRtpParameters.TRANSPORT_CC_ID, 0, 0);

    /** mid of the subscriber connection's anchor m-line (see {@link OutgoingTrack#anchor}). */
    static final String ANCHOR_MID = "anchor";

    private final Room room;
    private final RoomContext context;
    /** Subscribers whose m-lines changed during the current task; one re-offer each at its end. */
    private final Set<Participant> renegotiations = new LinkedHashSet<>();

    SubscriberSignaling(Room room, RoomContext context) {
        this.room = room;
        this.context = context;
    }

    private void ensureSubscriber(Participant p) {
        if (p.subscriberTransport == null) {
            p.subscriberTransport = TransportEvents.createTransport(room, context, this, p, false);
            p.subscriberEndpoint = room.media().addEndpoint(p.id + "/subscriber", MediaEndpoint.Role.SUBSCRIBER,
                    p.subscriberTransport::send, SUBSCRIBER_EXTENSIONS,
                    p.id);
        }
    }

    /** A new m-line for {@code t} on {@code sub}'s subscriber connection (made on first use); no offer yet. */
    void addSlot(Participant sub, Track t) {
        ensureSubscriber(sub);
        long ssrc = MediaRoom.newSsrc(sub.subscriberEndpoint);
        long rtxSsrc = -1;
        while (t.kind == MediaKind.VIDEO && (rtxSsrc < 0 || rtxSsrc == ssrc)) {
            rtxSsrc = MediaRoom.newSsrc(sub.subscriberEndpoint);
        }
        sub.slots.add(new SubscriberSlot(String.valueOf(sub.nextMid++), t, ssrc, rtxSsrc));
    }

    /** Asks for a re-offer to {@code p} once the current task is done (one offer for many changes). */
    void renegotiate(Participant p) {
        renegotiations.add(p);
    }

    /** At the end of each room task: the re-offers it asked for, one per subscriber. */
    void flushRenegotiations() {
        while (!renegotiations.isEmpty()) {
            Participant p = renegotiations.iterator().next();
            renegotiations.remove(p);
            offerNow(p);
        }
    }

    /** Sends a new subscriber offer, or remembers to once the outstanding one is answered. */
    private void offerNow(Participant p) {
        if (p.left || p.slots.isEmpty()) {
            return;
        }
        if (p.outstandingOffer != null) {
            p.renegotiationWanted = true;
            return;
        }
        p.renegotiationWanted = false;
        List<OutgoingTrack> tracks = new ArrayList<>();
        tracks.add(OutgoingTrack.anchor(ANCHOR_MID));
        ObjectNode trackMap = Messages.object();
        for (SubscriberSlot s : p.slots) {
            org.medibridge.sdp.MediaKind kind = s.track.kind == MediaKind.AUDIO
                    ? org.medibridge.sdp.MediaKind.AUDIO : org.medibridge.sdp.MediaKind.VIDEO;
            tracks.add(new OutgoingTrack(s.mid, kind, s.active, s.ssrc, s.track.owner.id, s.track.owner.id, s.track.id,
                    s.rtxSsrc));
            if (s.active) {
                ObjectNode t = trackMap.putObject(s.mid);
                t.put("participantId", s.track.owner.id);
                t.put("trackId", s.track.id);
                t.put("kind", s.track.kind.sdpName());
            }
        }
        SessionDescription offer = SubscriberNegotiation.offer(PeerConnections.local(context, p.subscriberTransport, 2),
                ++p.subscriberVersion, tracks);
        p.outstandingOffer = offer;
        ObjectNode msg = Messages.sdp("offer", "subscriber", SdpWriter.write(offer));
        msg.set("tracks", trackMap);
        if (p.subscriberReset) {
            // The previous subscriber connection is gone: the browser must start a new one.
            msg.put("reset", true);
            p.subscriberReset = false;
        }
        p.connection.send(msg);
    }

    void onSubscriberAnswer(Participant p, String sdpText) {
        if (p.outstandingOffer == null && p.discardNextAnswer) {
            p.discardNextAnswer = false; // answers an offer whose connection was reset meanwhile
            return;
        }
        if (p.outstandingOffer == null) {
            throw new SignalingException("unexpected_answer", "No subscriber offer is waiting for an answer");
        }
        SessionDescription answerSdp = PeerConnections.parse(sdpText);
        SubscriberAnswer answer;
        try {
            answer = SubscriberNegotiation.acceptAnswer(p.outstandingOffer, answerSdp);
        } catch (NegotiationException e) {
            throw new SignalingException(e.code(), e.getMessage());
        }
        p.outstandingOffer = null;
        if (!p.subscriberStarted) {
            p.subscriberStarted = true;
            p.subscriberRemoteUfrag = answer.remoteIceUfrag();
            p.subscriberTransport.start(answer.remoteIceUfrag(), answer.remoteIcePwd(),
                    answer.remoteFingerprint().algorithm(), answer.remoteFingerprint().value(),
                    answer.serverIsDtlsServer());
            PeerConnections.addCandidates(p.subscriberTransport, answer.remoteCandidates());
        } else if (!answer.remoteIceUfrag().equals(p.subscriberRemoteUfrag)) {
            // The answer to our ICE-restart offer: the browser's new credentials.
            p.subscriberRemoteUfrag = answer.remoteIceUfrag();
            p.subscriberTransport.startRestartedIce(answer.remoteIceUfrag(), answer.remoteIcePwd());
            PeerConnections.addCandidates(p.subscriberTransport, answer.remoteCandidates());
            LOG.info("room {}: participant {} subscriber ICE restart", room.id(), p.id);
        }
        for (SubscriberSlot s : p.slots) {
            if (s.active && s.leg == null && s.track.owner.tracks.contains(s.track)) {
                // RTX where the browser kept it in this answer; the leg keeps that choice for life.
                Rtx rtx = s.rtxSsrc >= 0 && answer.rtxMids().contains(s.mid)
                        ? Rtx.of(s.rtxSsrc, SubscriberRtpParameters.RTX_PAYLOAD_TYPE) : Rtx.NONE;
                s.leg = s.track.simulcast != null
                        ? room.media().subscribe(p.subscriberEndpoint, s.track.simulcast, s.ssrc,
                                SubscriberRtpParameters.VP8_PAYLOAD_TYPE, rtx)
                        : room.media().subscribe(p.subscriberEndpoint, s.track.stream, s.ssrc,
                        s.track.kind == MediaKind.AUDIO ? SubscriberRtpParameters.OPUS_PAYLOAD_TYPE
                                : SubscriberRtpParameters.VP8_PAYLOAD_TYPE, rtx);
            }
        }
        if (p.renegotiationWanted) {
            offerNow(p);
        }
    }

    /**
     * The browser asks for an ICE restart of the subscriber connection (we offer on it, so the
     * restart must come from us): new credentials, and a new offer that carries them.
     */
    void onIceRestartRequest(Participant p, String pc) {
        if (!"subscriber".equals(pc)) {
            throw new SignalingException("bad_request",
                    "The publisher connection restarts ICE with a new offer (pc.restartIce()), not this message");
        }
        if (p.subscriberTransport == null || !p.subscriberStarted) {
            throw new SignalingException("not_connected", "The subscriber connection has not been negotiated yet");
        }
        PeerConnections.checkIceRestartRate(p, false);
        p.subscriberTransport.restartIce();
        context.countIceRestart(false);
        LOG.info("room {}: participant {} asked for a subscriber ICE restart", room.id(), p.id);
        offerNow(p);
    }

    /** Adaptive stream: how large {@code p} shows each remote video, by subscriber mid. */
    void onRenderSize(Participant p, java.util.Map<String, int[]> sizes) {
        for (SubscriberSlot s : p.slots) {
            int[] size = sizes.get(s.mid);
            if (size != null && s.leg != null && s.active) {
                room.media().setRenderedHeight(s.leg, size[1], size[2] != 0);
            }
        }
    }

    /** What the subscriber connection carried, for operators: loss recovery and probing at a glance. */
    void logSubscriberTotals(Participant p) {
        org.medibridge.router.EndpointStats st = p.subscriberEndpoint.stats();
        LOG.info("room {}: participant {} subscriber totals: {} RTP packets sent, {} NACKed packets, {} retransmitted"
                        + " ({} as RTX), {} probe clusters ({} padding packets, {} bytes), {} measured from its feedback"
                        + " (last {} kbit/s), estimate {} kbit/s",
                room.id(), p.id, st.rtpSent(), st.nacksReceived(), st.retransmissions(), st.rtxSent(), st.probeClustersSent(),
                st.probePacketsSent(), st.probeBytesSent(), p.subscriberEndpoint.probeResults(),
                p.subscriberEndpoint.lastProbeResultBps() / 1000, p.subscriberEndpoint.estimatedBitrateBps() / 1000);
    }

    /** Forgets {@code p}'s subscriber connection; the next offer tells the browser to start a new one. */
    void resetSubscriber(Participant p) {
        if (p.subscriberEndpoint != null) {
            logSubscriberTotals(p);
            room.media().removeEndpoint(p.subscriberEndpoint);
        }
        context.closeLater(p.subscriberTransport);
        p.subscriberTransport = null;
        p.subscriberEndpoint = null;
        p.subscriberStarted = false;
        p.slots.clear();
        p.discardNextAnswer = p.outstandingOffer != null;
        p.outstandingOffer = null;
        p.renegotiationWanted = false;
        p.nextMid = 0;
        p.subscriberReset = true;
    }
}
