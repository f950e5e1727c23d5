package org.medibridge.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.medibridge.simulcast.LayerSelector;

/**
 * The media state of one room: its endpoints, the streams they publish and the legs that carry
 * them to subscribers. Everything here belongs to one {@link MediaWorker} thread; other threads
 * post work with {@link #execute}. Methods other than {@code execute} must be called on the
 * worker (they check).
 */
public final class MediaRoom {
    private final String id;
    private final MediaWorker worker;
    private final List<MediaEndpoint> endpoints = new ArrayList<>();
    private boolean closed;

    MediaRoom(String id, MediaWorker worker) {
        this.id = id;
        this.worker = worker;
    }

    public String id() { return id; }
    public MediaWorker worker() { return worker; }

    /** Runs {@code task} on this room's worker thread. */
    public void execute(Runnable task) {
        worker.execute(task);
    }

    public MediaEndpoint addEndpoint(String endpointId, MediaEndpoint.Role role, DatagramSink sink,
                                     HeaderExtensionIds extensionIds, String cname) {
        worker.checkThread();
        MediaEndpoint ep = new MediaEndpoint(endpointId, role, this, sink, extensionIds, randomSsrc(), cname);
        endpoints.add(ep);
        return ep;
    }

    /** DTLS finished: the endpoint can protect and unprotect from now on. */
    public void setSrtp(MediaEndpoint ep, org.medibridge.srtp.SrtpSession srtp) {
        worker.checkThread();
        if (ep.closed) {
            srtp.close();
            return;
        }
        ep.srtp = srtp;
        ep.nextReportNanos = System.nanoTime();
        // A subscriber that just connected needs a keyframe on every video leg to show anything.
        for (OutgoingStream leg : ep.outgoing.values()) {
            leg.requestKeyframe();
        }
    }

    public IncomingStream addIncomingStream(MediaEndpoint publisher, String trackId, MediaKind kind, long ssrc,
                                            int payloadType, int clockRate) {
        worker.checkThread();
        if (publisher.role != MediaEndpoint.Role.PUBLISHER) {
            throw new IllegalArgumentException("only a publisher endpoint has incoming streams");
        }
        IncomingStream s = new IncomingStream(publisher, trackId, kind, ssrc, payloadType, clockRate);
        publisher.incoming.put(ssrc, s);
        return s;
    }

    /**
     * Loss repair for {@code s} as the publisher negotiated it: with {@code nack} the server sends
     * it Generic NACKs (RFC 4585 §6.2.1) for missing packets; {@code rtxSsrc} (from the offer's
     * {@code a=ssrc-group:FID}, -1 for none) is the RTX stream (RFC 4588) with payload type
     * {@code rtxPayloadType} that carries the repairs. Video only; audio is left alone.
     */
    public void setRepair(IncomingStream s, boolean nack, long rtxSsrc, int rtxPayloadType) {
        worker.checkThread();
        if (s.kind != MediaKind.VIDEO) {
            return;
        }
        if (s.rtxSsrc >= 0) {
            s.publisher.repairs.remove(s.rtxSsrc);
        }
        boolean rtx = rtxSsrc >= 0 && rtxPayloadType >= 0;
        s.nackEnabled = nack;
        s.rtxSsrc = rtx ? rtxSsrc : -1;
        s.rtxPayloadType = rtx ? rtxPayloadType : -1;
        if (rtx) {
            s.publisher.repairs.put(rtxSsrc, s);
        }
        if ((nack || rtx) && s.nack == null) {
            s.nack = new NackGenerator();
        }
    }

    /**
     * Loss repair for every layer of a simulcast track: each layer's RTX SSRC is learnt from the
     * {@code repaired-rtp-stream-id} (RFC 8852) of its first RTX packet with {@code rtxPayloadType}.
     */
    public void setRepair(SimulcastSource source, boolean nack, int rtxPayloadType) {
        worker.checkThread();
        source.nackEnabled = nack;
        source.rtxPayloadType = rtxPayloadType;
        for (IncomingStream layer : source.layers) {
            if (layer != null) {
                setRepair(layer, nack, layer.rtxSsrc, rtxPayloadType);
            }
        }
    }

    /** Ingress found the first RTX packet of a simulcast layer: its SSRC repairs that layer. */
    IncomingStream learnRepairStream(IncomingStream layer, long rtxSsrc) {
        setRepair(layer, layer.simulcast.nackEnabled, rtxSsrc, layer.simulcast.rtxPayloadType);
        return layer;
    }

    /**
     * Starts forwarding {@code source} to {@code subscriber} as SSRC {@code outSsrc} with payload
     * type {@code payloadType}, using the subscriber connection's header extension ids.
     */
    public OutgoingStream subscribe(MediaEndpoint subscriber, IncomingStream source, long outSsrc, int payloadType) {
        return subscribe(subscriber, source, outSsrc, payloadType, Rtx.NONE);
    }

    /** As above, with retransmissions and probe padding on the RTX stream {@code rtx} (video). */
    public OutgoingStream subscribe(MediaEndpoint subscriber, IncomingStream source, long outSsrc, int payloadType,
                                    Rtx rtx) {
        worker.checkThread();
        if (subscriber.role != MediaEndpoint.Role.SUBSCRIBER) {
            throw new IllegalArgumentException("only a subscriber endpoint receives legs");
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        OutgoingStream leg = new OutgoingStream(subscriber, source, outSsrc, payloadType,
                source.kind == MediaKind.VIDEO ? rtx : Rtx.NONE, subscriber.extensionIds,
                r.nextInt(1 << 15), r.nextLong(1L << 31));
        subscriber.outgoing.put(outSsrc, leg);
        source.addLeg(leg);
        source.requestKeyframe();
        return leg;
    }

    /**
     * Pauses or resumes forwarding of {@code s} to every subscriber (a moderator's mute). Video
     * resumes at the next keyframe, which is requested at once.
     */
    public void setPaused(IncomingStream s, boolean paused) {
        worker.checkThread();
        if (s.paused == paused) {
            return;
        }
        s.paused = paused;
        if (!paused && s.kind == MediaKind.VIDEO) {
            for (OutgoingStream leg : s.legs) {
                leg.waitingForKeyframe = true;
            }
            s.requestKeyframe();
        }
    }

    /** Starts feeding {@code s}'s packets and sender reports to {@code tap} (on this worker). */
    public void addTap(IncomingStream s, MediaTap tap) {
        worker.checkThread();
        MediaTap[] next = java.util.Arrays.copyOf(s.taps, s.taps.length + 1);
        next[next.length - 1] = tap;
        s.taps = next;
        s.requestKeyframe(); // a recording starts with a keyframe
    }

    public void removeTap(IncomingStream s, MediaTap tap) {
        worker.checkThread();
        s.taps = java.util.Arrays.stream(s.taps).filter(t -> t != tap).toArray(MediaTap[]::new);
    }

    /** Asks the publisher of {@code s} for a keyframe (throttled); callable from any thread. */
    public void requestKeyframe(IncomingStream s) {
        execute(s::requestKeyframe);
    }

    /**
     * Announces a rid-simulcast video track of {@code publisher} with its rids, lowest layer first;
     * each layer's stream appears when its first packet arrives.
     */
    public SimulcastSource addSimulcastSource(MediaEndpoint publisher, String trackId, MediaKind kind,
                                              int payloadType, int clockRate, java.util.List<String> rids) {
        worker.checkThread();
        SimulcastSource s = new SimulcastSource(publisher, trackId, kind, payloadType, clockRate, rids);
        SimulcastSource[] next = java.util.Arrays.copyOf(publisher.simulcastSources, publisher.simulcastSources.length + 1);
        next[next.length - 1] = s;
        publisher.simulcastSources = next;
        return s;
    }

    /** Ingress found the first packet of {@code layer}: its stream joins the legs of the source. */
    IncomingStream learnLayer(SimulcastSource source, int layer, long ssrc) {
        IncomingStream s = addIncomingStream(source.publisher, source.trackId + "/" + layer, source.kind, ssrc,
                source.payloadType, source.clockRate);
        s.simulcast = source;
        s.layerIndex = layer;
        s.paused = source.paused;
        if (source.nackEnabled || source.rtxPayloadType >= 0) {
            setRepair(s, source.nackEnabled, -1, source.rtxPayloadType);
        }
        source.layers[layer] = s;
        return s; // its legs are the source's: Ingress hands every layer's packets to them
    }

    /** Starts forwarding the simulcast track {@code source} to {@code subscriber}, one layer at a time. */
    public OutgoingStream subscribe(MediaEndpoint subscriber, SimulcastSource source, long outSsrc, int payloadType) {
        return subscribe(subscriber, source, outSsrc, payloadType, Rtx.NONE);
    }

    /** As above, with retransmissions and probe padding on the RTX stream {@code rtx}. */
    public OutgoingStream subscribe(MediaEndpoint subscriber, SimulcastSource source, long outSsrc, int payloadType,
                                    Rtx rtx) {
        worker.checkThread();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        OutgoingStream leg = new OutgoingStream(subscriber, source, outSsrc, payloadType, rtx, subscriber.extensionIds,
                r.nextInt(1 << 15), r.nextLong(1L << 31));
        subscriber.outgoing.put(outSsrc, leg);
        subscriber.simulcastLegs++;
        OutgoingStream[] next = java.util.Arrays.copyOf(source.legs, source.legs.length + 1);
        next[source.legs.length] = leg;
        source.legs = next;
        for (IncomingStream layer : source.layers) {
            if (layer != null) {
                layer.requestKeyframe();
            }
        }
        return leg;
    }

    /** A moderator's mute of a simulcast track: every layer, also those not seen yet. */
    public void setPaused(SimulcastSource source, boolean paused) {
        worker.checkThread();
        boolean resumed = source.paused && !paused;
        source.paused = paused;
        for (IncomingStream layer : source.layers) {
            if (layer != null) {
                layer.paused = paused;
            }
        }
        if (resumed) {
            for (OutgoingStream leg : source.legs) {
                leg.requestKeyframe();
            }
        }
    }

    /** Records the simulcast track: the tap gets its highest layer. */
    public void addTap(SimulcastSource source, MediaTap tap) {
        worker.checkThread();
        MediaTap[] next = java.util.Arrays.copyOf(source.taps, source.taps.length + 1);
        next[next.length - 1] = tap;
        source.taps = next;
        int top = source.topLayer();
        if (top >= 0) {
            source.layers[top].requestKeyframe();
        }
    }

    public void removeTap(SimulcastSource source, MediaTap tap) {
        worker.checkThread();
        source.taps = java.util.Arrays.stream(source.taps).filter(t -> t != tap).toArray(MediaTap[]::new);
    }

    /** The track ended: its layers and legs go away. */
    public void removeSimulcastSource(SimulcastSource source) {
        worker.checkThread();
        for (OutgoingStream leg : source.legs) {
            leg.subscriber.outgoing.remove(leg.ssrc);
            leg.subscriber.simulcastLegs--;
        }
        source.legs = new OutgoingStream[0];
        for (IncomingStream layer : source.layers) {
            if (layer != null) {
                source.publisher.incoming.remove(layer.ssrc);
                if (layer.rtxSsrc >= 0) {
                    source.publisher.repairs.remove(layer.rtxSsrc);
                }
            }
        }
        source.publisher.simulcastSources = java.util.Arrays.stream(source.publisher.simulcastSources)
                .filter(s -> s != source).toArray(SimulcastSource[]::new);
    }

    /** Asks for a keyframe of every layer of {@code source} seen so far (throttled per layer). */
    public void requestKeyframe(SimulcastSource source) {
        execute(() -> {
            for (IncomingStream layer : source.layers) {
                if (layer != null) {
                    layer.requestKeyframe();
                }
            }
        });
    }

    /**
     * The subscriber shows this simulcast leg at {@code height} device pixels (hidden or 0:
     * nothing): the smallest layer that covers it becomes the preferred one.
     */
    public void setRenderedHeight(OutgoingStream leg, int height, boolean visible) {
        worker.checkThread();
        if (leg.selector == null) {
            return;
        }
        if (!visible || height <= 0) {
            leg.selector.setPreferred(LayerSelector.NONE, LayerSelector.NONE);
            leg.selector.setTarget(LayerSelector.NONE, LayerSelector.NONE);
            return;
        }
        int layers = leg.simulcast.layerCount();
        // The layers are ¼, ½ and the full size of the top one (180, 360, 720 lines for 720p).
        int layer = layers - 1;
        for (int i = 0; i < layers; i++) {
            if ((SIMULCAST_TOP_HEIGHT >> (layers - 1 - i)) >= height) {
                layer = i;
                break;
            }
        }
        int temporal = LayerSelector.MAX_TEMPORAL_LAYERS - 1;
        leg.selector.setPreferred(layer, temporal);
        // Until bandwidth estimation allocates, the target follows the preference.
        leg.selector.setTarget(layer, temporal);
    }

    /** Height of the top simulcast layer the clients publish (720p); the others are ½ and ¼ of it. */
    static final int SIMULCAST_TOP_HEIGHT = 720;

    public void unsubscribe(OutgoingStream leg) {
        worker.checkThread();
        if (leg.simulcast != null) {
            leg.simulcast.legs = java.util.Arrays.stream(leg.simulcast.legs).filter(l -> l != leg)
                    .toArray(OutgoingStream[]::new);
            leg.subscriber.outgoing.remove(leg.ssrc);
            leg.subscriber.simulcastLegs--;
            return;
        }
        leg.source.removeLeg(leg);
        leg.subscriber.outgoing.remove(leg.ssrc);
    }

    public void removeIncomingStream(IncomingStream s) {
        worker.checkThread();
        for (OutgoingStream leg : s.legs) {
            leg.subscriber.outgoing.remove(leg.ssrc);
        }
        s.legs = new OutgoingStream[0];
        s.publisher.incoming.remove(s.ssrc);
        if (s.rtxSsrc >= 0) {
            s.publisher.repairs.remove(s.rtxSsrc);
        }
    }

    /** Closes the endpoint: its streams stop, legs to and from it go away. */
    public void removeEndpoint(MediaEndpoint ep) {
        worker.checkThread();
        if (ep.closed) {
            return;
        }
        ep.closed = true;
        for (IncomingStream s : ep.incoming.values()) {
            removeIncomingStream(s);
        }
        for (OutgoingStream leg : ep.outgoing.values()) {
            if (leg.simulcast != null) {
                leg.simulcast.legs = java.util.Arrays.stream(leg.simulcast.legs).filter(l -> l != leg)
                        .toArray(OutgoingStream[]::new);
            } else {
                leg.source.removeLeg(leg);
            }
        }
        if (ep.srtp != null) {
            ep.srtp.close();
        }
        endpoints.remove(ep);
    }

    void onTick(RtcpReports reports, long nowNanos) {
        for (int i = 0; i < endpoints.size(); i++) {
            reports.onTick(endpoints.get(i), nowNanos);
            LayerAllocation.onTick(endpoints.get(i), nowNanos);
            ProbePacer.onTick(endpoints.get(i), nowNanos);
        }
    }

    /** The worker's pacing timer fired: probe clusters send what is due and ask for the next wake-up. */
    void onPace(Egress egress, long nowNanos) {
        for (int i = 0; i < endpoints.size(); i++) {
            ProbePacer.onPace(endpoints.get(i), egress, nowNanos);
        }
    }

    public void close() {
        worker.checkThread();
        for (MediaEndpoint ep : new ArrayList<>(endpoints)) {
            removeEndpoint(ep);
        }
        closed = true;
        worker.removeRoom(this);
    }

    public boolean isClosed() { return closed; }

    public List<MediaEndpoint> endpoints() {
        worker.checkThread();
        return List.copyOf(endpoints);
    }

    private static long randomSsrc() {
        return ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);
    }

    /** A random SSRC for a new leg, unique on the subscriber endpoint. */
    public static long newSsrc(MediaEndpoint subscriber) {
        while (true) {
            long ssrc = randomSsrc();
            if (subscriber.outgoing.get(ssrc) == null && ssrc != subscriber.rtcpSsrc
                    && subscriber.outgoing.find(leg -> leg.rtxSsrc == ssrc) == null) {
                return ssrc;
            }
        }
    }
}
