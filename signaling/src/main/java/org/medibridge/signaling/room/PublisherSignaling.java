package org.medibridge.signaling.room;

import java.util.ArrayList;
import java.util.List;
import org.medibridge.router.HeaderExtensionIds;
import org.medibridge.router.IncomingStream;
import org.medibridge.router.MediaEndpoint;
import org.medibridge.router.MediaKind;
import org.medibridge.router.MediaRoom;
import org.medibridge.router.SimulcastSource;
import org.medibridge.sdp.SdpWriter;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.signaling.Messages;
import org.medibridge.signaling.SignalingException;
import org.medibridge.signaling.negotiation.NegotiationException;
import org.medibridge.signaling.negotiation.PublishedTrack;
import org.medibridge.signaling.negotiation.PublisherAnswer;
import org.medibridge.signaling.negotiation.PublisherNegotiation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each participant's publisher connection, where the browser offers: the answer, ICE restarts
 * (a re-offer with new credentials), and the tracks it publishes, which become the room's
 * incoming streams (plain or rid simulcast) and m-lines of the others' subscriber connections.
 *
 * <p>Runs on the room's thread only, like {@link Room}, which calls it.
 */
final class PublisherSignaling {
    /** Logs as Room, so that log lines and logger levels stay those of before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(Room.class);

    private final Room room;
    private final RoomContext context;
    private final SubscriberSignaling subscriberSignaling;
    private final RoomRecording recording;

    PublisherSignaling(Room room, RoomContext context, SubscriberSignaling subscriberSignaling,
                       RoomRecording recording) {
        this.room = room;
        this.context = context;
        this.subscriberSignaling = subscriberSignaling;
        this.recording = recording;
    }

    void onPublisherOffer(Participant p, String sdpText) {
        SessionDescription offer = PeerConnections.parse(sdpText);
        boolean created = false;
        if (p.publisherTransport == null) {
            p.publisherTransport = TransportEvents.createTransport(room, context, subscriberSignaling, p, true);
            created = true;
        }
        PublisherAnswer answer;
        try {
            answer = PublisherNegotiation.answer(offer, PeerConnections.local(context, p.publisherTransport, 1));
        } catch (NegotiationException e) {
            if (created) {
                context.closeLater(p.publisherTransport);
                p.publisherTransport = null;
            }
            throw new SignalingException(e.code(), e.getMessage());
        }
        // A new ufrag is a restart; so is the ufrag of a restart the browser has not completed
        // when our side of it was abandoned meanwhile (see PeerTransport.hasIceSessionFor).
        boolean iceRestart = p.publisherRemoteUfrag != null
                && !p.publisherTransport.hasIceSessionFor(answer.remoteIceUfrag());
        if (iceRestart) {
            // The browser restarted ICE (pc.restartIce(): its path died). New credentials on our
            // side too, so the answer is built again with them; DTLS and SRTP carry on.
            PeerConnections.checkIceRestartRate(p, true);
            p.publisherTransport.restartIce();
            context.countIceRestart(true);
            try {
                answer = PublisherNegotiation.answer(offer, PeerConnections.local(context, p.publisherTransport, 1));
            } catch (NegotiationException e) {
                throw new SignalingException(e.code(), e.getMessage());
            }
            p.publisherRemoteUfrag = answer.remoteIceUfrag();
            p.publisherTransport.startRestartedIce(answer.remoteIceUfrag(), answer.remoteIcePwd());
            PeerConnections.addCandidates(p.publisherTransport, answer.remoteCandidates());
            LOG.info("room {}: participant {} publisher ICE restart", room.id(), p.id);
        }
        if (p.publisherEndpoint == null) {
            p.publisherEndpoint = room.media().addEndpoint(p.id + "/publisher", MediaEndpoint.Role.PUBLISHER,
                    p.publisherTransport::send, HeaderExtensionIds.fromUris(answer.headerExtensions()), p.id);
        }
        if (p.publisherRemoteUfrag == null) {
            p.publisherRemoteUfrag = answer.remoteIceUfrag();
            p.publisherTransport.start(answer.remoteIceUfrag(), answer.remoteIcePwd(),
                    answer.remoteFingerprint().algorithm(), answer.remoteFingerprint().value(),
                    answer.serverIsDtlsServer());
            PeerConnections.addCandidates(p.publisherTransport, answer.remoteCandidates());
        }
        p.connection.send(Messages.sdp("answer", "publisher", SdpWriter.write(answer.answer())));
        updateTracks(p, answer.tracks());
    }

    /** The tracks of {@code p}'s latest offer: gone ones are unpublished, new ones forwarded to the call. */
    private void updateTracks(Participant p, List<PublishedTrack> offered) {
        List<Track> gone = new ArrayList<>();
        for (Track t : p.tracks) {
            boolean still = offered.stream().anyMatch(o -> o.mid().equals(t.publisherMid)
                    && (t.simulcast != null ? o.simulcast() : t.stream != null && o.ssrc() == t.stream.ssrc()));
            if (!still) {
                gone.add(t);
            }
        }
        gone.forEach(this::unpublish);
        MediaRoom media = room.media();
        for (PublishedTrack o : offered) {
            boolean known = p.tracks.stream().anyMatch(t -> t.publisherMid.equals(o.mid()));
            if (known) {
                continue;
            }
            MediaKind kind = o.kind() == org.medibridge.sdp.MediaKind.AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
            String trackId = p.id + ":" + o.mid();
            boolean mutedKind = kind == MediaKind.AUDIO && p.audioMutedByModerator
                    || kind == MediaKind.VIDEO && p.videoMutedByModerator;
            Track t;
            if (o.simulcast() && kind == MediaKind.VIDEO) {
                // rid simulcast: the layers' SSRCs are learnt from their rtp-stream-id (RFC 8852).
                SimulcastSource source = media.addSimulcastSource(p.publisherEndpoint, trackId, kind, o.payloadType(),
                        o.clockRate(), o.rids());
                media.setRepair(source, o.nack(), o.rtxPayloadType()); // NACKs out, RTX in (RFC 4588)
                t = new Track(trackId, p, o.mid(), kind, null, source);
                if (mutedKind) {
                    media.setPaused(source, true);
                }
            } else if (o.ssrc() < 0) {
                LOG.info("room {}: participant {} track {} declares no SSRC; not forwarded", room.id(), p.id, o.mid());
                continue;
            } else {
                IncomingStream stream = media.addIncomingStream(p.publisherEndpoint, trackId, kind, o.ssrc(),
                        o.payloadType(), o.clockRate());
                media.setRepair(stream, o.nack(), o.rtxSsrc(), o.rtxPayloadType()); // NACKs out, RTX in (RFC 4588)
                t = new Track(trackId, p, o.mid(), kind, stream);
                if (mutedKind) {
                    media.setPaused(stream, true);
                }
            }
            p.tracks.add(t);
            if (!p.admitted) {
                continue; // a waiting participant's media goes nowhere until the doctor admits them
            }
            room.broadcast(Messages.track("track-published", p.id, t.id, kind.sdpName()), null);
            recording.onTrackPublishedDuringRecording(p, t);
            for (Participant sub : room.inCall()) {
                if (sub != p) {
                    subscriberSignaling.addSlot(sub, t);
                    subscriberSignaling.renegotiate(sub);
                }
            }
        }
    }

    /** {@code t} ends: its m-lines are rejected in every subscriber's next offer, its stream removed. */
    void unpublish(Track t) {
        Participant owner = t.owner;
        owner.tracks.remove(t);
        for (Participant sub : room.members()) {
            boolean changed = false;
            for (SubscriberSlot s : sub.slots) {
                if (s.track == t && s.active) {
                    s.active = false;
                    if (s.leg != null) {
                        room.media().unsubscribe(s.leg);
                        s.leg = null;
                    }
                    changed = true;
                }
            }
            if (changed) {
                subscriberSignaling.renegotiate(sub);
            }
        }
        if (t.simulcast != null) {
            room.media().removeSimulcastSource(t.simulcast);
        } else {
            room.media().removeIncomingStream(t.stream);
        }
        if (owner.admitted) {
            room.broadcast(Messages.track("track-unpublished", owner.id, t.id, t.kind.sdpName()), owner.left ? owner : null);
        }
    }
}
