package org.medibridge.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.medibridge.sdp.Fingerprint;
import org.medibridge.sdp.MediaDescription;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.stun.Stun;

/**
 * One emulated participant, behaving like signaling/src/main/resources/web/medibridge.js:
 * WebSocket signaling (docs/protocol.md), a publisher connection it offers (audio + VP8
 * simulcast), and a subscriber connection the server offers and re-offers, which it answers.
 * It publishes through a {@link Publisher} and counts what it receives per remote track.
 *
 * <p>Threads: signaling messages on the HTTP client's executor, one at a time (synchronized);
 * media on the {@link IoLoop}s; sending on the {@link SendScheduler}.
 */
final class Participant implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** REMB the subscriber reports (draft-alvestrand-rmcat-remb): room for every layer. */
    private static final long REMB_BPS = 20_000_000L;
    /** As medibridge.js's pingIntervalMs: keeps the WebSocket from the server's idle timeout. */
    private static final long PING_INTERVAL_MILLIS = 20_000;

    final String room;
    final String name;
    final int index;
    private final String token;
    private final LoadGenContext ctx;
    private volatile WebSocket ws;
    private volatile java.util.concurrent.ScheduledFuture<?> ping;
    private final StringBuilder partial = new StringBuilder();
    private final Object sendLock = new Object();
    private CompletableFuture<Object> sendChain = CompletableFuture.completedFuture(null);

    volatile String participantId;
    private PeerConnection publisherPc;
    private volatile Publisher publisher;
    private volatile PeerConnection subscriberPc;
    private SessionDescription lastSubscriberOffer;
    private long answerVersion = 1;
    private final long rtcpSsrc = java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);
    /**
     * SSRC → receiver of the latest subscriber offer, replaced (never mutated) on each offer and
     * read on the I/O thread: parallel arrays, so the per-packet lookup neither boxes nor hashes.
     */
    private volatile Tracks tracks = new Tracks(new long[0], new TrackReceiver[0]);

    private record Tracks(long[] ssrcs, TrackReceiver[] receivers) {
        TrackReceiver find(long ssrc) {
            for (int i = 0; i < ssrcs.length; i++) {
                if (ssrcs[i] == ssrc) {
                    return receivers[i];
                }
            }
            return null;
        }
    }
    /** mid → receiver, every track ever offered. */
    final Map<String, TrackReceiver> byMid = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final AtomicLong subscriberOffers = new AtomicLong();
    final AtomicLong unknownSsrcPackets = new AtomicLong();
    final CompletableFuture<Void> joined = new CompletableFuture<>();
    final CompletableFuture<Void> publishing = new CompletableFuture<>();
    volatile boolean closedByServer;
    /** Set when we leave: late messages (a re-offer after the other side left) are ignored. */
    private volatile boolean leaving;

    Participant(String room, String name, int index, String token, LoadGenContext ctx) {
        this.room = room;
        this.name = name;
        this.index = index;
        this.token = token;
        this.ctx = ctx;
    }

    /** Opens the WebSocket and sends {@code join}; {@link #joined} completes on {@code joined}. */
    CompletableFuture<Void> start(HttpClient http, URI url) {
        http.newWebSocketBuilder().buildAsync(url, new Listener()).whenComplete((w, e) -> {
            if (e != null) {
                fail("websocket: " + e);
                return;
            }
            ws = w;
            ping = ctx.timer.scheduleAtFixedRate(() -> send(JSON.createObjectNode().put("type", "ping")),
                    PING_INTERVAL_MILLIS, PING_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
            ObjectNode join = JSON.createObjectNode().put("type", "join");
            if (token != null) {
                join.put("token", token);
            } else {
                join.put("room", room).put("name", name);
            }
            send(join);
        });
        return joined;
    }

    Publisher publisher() {
        return publisher;
    }

    PeerConnection subscriberConnection() {
        return subscriberPc;
    }

    PeerConnection publisherConnection() {
        return publisherPc;
    }

    private synchronized void onMessage(JsonNode msg) {
        String type = msg.path("type").asText();
        if (leaving) {
            return;
        }
        try {
            switch (type) {
                case "joined" -> onJoined(msg);
                case "answer" -> onPublisherAnswer(msg);
                case "offer" -> onSubscriberOffer(msg);
                case "error" -> {
                    String e = msg.path("code").asText() + ": " + msg.path("message").asText();
                    errors.add(e);
                    if (!joined.isDone()) {
                        fail("join refused: " + e);
                    }
                }
                case "closed" -> {
                    closedByServer = true;
                    errors.add("closed: " + msg.path("reason").asText());
                }
                default -> {
                    // participant-joined, track-published, ...: the media arrives with the next offer
                }
            }
        } catch (Exception e) {
            fail(type + ": " + e);
        }
    }

    private void onJoined(JsonNode msg) throws IOException {
        participantId = msg.path("participantId").asText();
        joined.complete(null);
        publisherPc = new PeerConnection(name + "/pub", ctx.nextLoop(), true, ctx.certificate, ctx.dtlsPool,
                new PeerConnection.MediaSink() {
                    @Override public void onRtp(PeerConnection from, byte[] buf, int off, int len, long now) {
                        // the publisher connection receives nothing but RTCP
                    }
                    @Override public void onRtcp(PeerConnection from, byte[] buf, int off, int len) {
                        onPublisherRtcp(buf, off, len);
                    }
                });
        publisher = new Publisher(index, publisherPc, ctx.media);
        String stream = UUID.randomUUID().toString();
        Sdp.PublisherIdentity id = new Sdp.PublisherIdentity(stream, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "lg" + index, publisher.audioSsrc);
        String offer = Sdp.publisherOffer(publisherPc, ctx.certificate.sha256Fingerprint(), id);
        send(JSON.createObjectNode().put("type", "offer").put("pc", "publisher").put("sdp", offer));
        publisherPc.connected.whenComplete((k, e) -> {
            if (e != null) {
                publishing.completeExceptionally(e);
            } else {
                publisher.start(System.nanoTime());
                ctx.scheduler.add(publisher);
                publishing.complete(null);
            }
        });
    }

    private void onPublisherAnswer(JsonNode msg) throws Exception {
        if (!"publisher".equals(msg.path("pc").asText())) {
            return;
        }
        SessionDescription answer = SdpParser.parse(msg.path("sdp").asText());
        MediaDescription t = Sdp.transportOf(answer);
        Fingerprint fp = Sdp.fingerprintOf(answer);
        publisherPc.setRemote(t.iceUfrag(), t.icePwd(), fp.algorithm(), fp.value(), Sdp.serverCandidate(answer));
        trickle("publisher", publisherPc, "0");
    }

    private void onSubscriberOffer(JsonNode msg) throws Exception {
        if (!"subscriber".equals(msg.path("pc").asText())) {
            return;
        }
        subscriberOffers.incrementAndGet();
        SessionDescription offer = SdpParser.parse(msg.path("sdp").asText());
        boolean fresh = subscriberPc == null || msg.path("reset").asBoolean(false);
        if (fresh) {
            if (subscriberPc != null) {
                ctx.scheduler.removeSubscriber(this);
                subscriberPc.close();
            }
            subscriberPc = new PeerConnection(name + "/sub", ctx.nextLoop(), false, ctx.certificate, ctx.dtlsPool,
                    new PeerConnection.MediaSink() {
                        @Override public void onRtp(PeerConnection from, byte[] buf, int off, int len, long now) {
                            onSubscriberRtp(buf, off, len, now);
                        }
                        @Override public void onRtcp(PeerConnection from, byte[] buf, int off, int len) {
                            // sender reports: not needed for the figures
                        }
                    });
        }
        updateTracks(offer, msg.path("tracks"));
        lastSubscriberOffer = offer;
        String answer = Sdp.subscriberAnswer(offer, subscriberPc, ctx.certificate.sha256Fingerprint(), ++answerVersion);
        send(JSON.createObjectNode().put("type", "answer").put("pc", "subscriber").put("sdp", answer));
        sendRenderSize(offer);
        if (fresh) {
            MediaDescription t = Sdp.transportOf(offer);
            Fingerprint fp = Sdp.fingerprintOf(offer);
            subscriberPc.setRemote(t.iceUfrag(), t.icePwd(), fp.algorithm(), fp.value(), Sdp.serverCandidate(offer));
            trickle("subscriber", subscriberPc, t.mid());
            PeerConnection pc = subscriberPc;
            pc.connected.thenRun(() -> ctx.scheduler.addSubscriber(this));
        }
    }

    /** The offer's {@code tracks} map (mid → whose track) and each m-line's a=ssrc. */
    private void updateTracks(SessionDescription offer, JsonNode trackInfo) {
        Map<Long, TrackReceiver> next = new HashMap<>();
        for (MediaDescription m : offer.media()) {
            if (m.isRejected() || m.ssrcs().isEmpty()) {
                continue;
            }
            JsonNode info = trackInfo.path(m.mid());
            TrackReceiver r = byMid.computeIfAbsent(m.mid(), mid -> new TrackReceiver(mid,
                    info.path("kind").asText(m.media()), info.path("participantId").asText("?")));
            next.put(m.ssrcs().get(0).ssrc(), r);
        }
        long[] ssrcs = new long[next.size()];
        TrackReceiver[] receivers = new TrackReceiver[next.size()];
        int i = 0;
        for (Map.Entry<Long, TrackReceiver> e : next.entrySet()) {
            ssrcs[i] = e.getKey();
            receivers[i++] = e.getValue();
        }
        this.tracks = new Tracks(ssrcs, receivers);
    }

    /**
     * Like medibridge.js's observeRenderSize: every remote video shown at the configured size
     * (docs/protocol.md {@code render-size}); nothing sent when no size is configured, so the
     * server's preference stays the highest layer.
     */
    private void sendRenderSize(SessionDescription offer) {
        if (ctx.renderSize == null) {
            return;
        }
        ObjectNode tracksNode = JSON.createObjectNode();
        for (MediaDescription m : offer.media()) {
            if (!m.isRejected() && m.media().equals("video") && m.effectiveDirection().sends()) {
                tracksNode.putObject(m.mid()).put("width", ctx.renderSize[0]).put("height", ctx.renderSize[1]).put("visible", true);
            }
        }
        if (!tracksNode.isEmpty()) {
            ObjectNode msg = JSON.createObjectNode().put("type", "render-size");
            msg.set("tracks", tracksNode);
            send(msg);
        }
    }

    private void trickle(String pc, PeerConnection c, String mid) {
        send(JSON.createObjectNode().put("type", "candidate").put("pc", pc).put("candidate", c.candidateLine()).put("sdpMid", mid));
        send(JSON.createObjectNode().put("type", "candidate").put("pc", pc).put("candidate", "").put("sdpMid", mid));
    }

    /** I/O thread: RFC 3550 §5.1 header, RFC 8285 extension, RFC 3550 padding; then count. */
    private void onSubscriberRtp(byte[] b, int off, int len, long now) {
        if (len < 12) {
            return;
        }
        long ssrc = Stun.readInt(b, off + 8) & 0xFFFFFFFFL;
        TrackReceiver r = tracks.find(ssrc);
        if (r == null) {
            unknownSsrcPackets.incrementAndGet(); // RTX or probing on its own SSRC
            return;
        }
        int cc = b[off] & 0x0F;
        int p = off + 12 + 4 * cc;
        if ((b[off] & 0x10) != 0) {
            if (p + 4 > off + len) {
                return;
            }
            int words = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            p += 4 + 4 * words;
        }
        int end = off + len;
        if ((b[off] & 0x20) != 0) {
            end -= b[end - 1] & 0xFF;
        }
        if (p > end) {
            return;
        }
        int seq = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        r.onPacket(seq, len, b, p, end, now);
    }

    /** I/O thread: PLI (RFC 4585 §6.3.1) or FIR (RFC 5104 §4.3.1) from the server → keyframe. */
    private void onPublisherRtcp(byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        Publisher pub = publisher;
        while (p + 12 <= end && pub != null) {
            int fmt = b[p] & 0x1F;
            int pt = b[p + 1] & 0xFF;
            int length = (((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF)) * 4 + 4;
            if (pt == 206 && fmt == 1) {
                pub.requestKeyframe(Stun.readInt(b, p + 8) & 0xFFFFFFFFL);
            } else if (pt == 206 && fmt == 4) {
                for (int q = p + 12; q + 8 <= Math.min(end, p + length); q += 8) {
                    pub.requestKeyframe(Stun.readInt(b, q) & 0xFFFFFFFFL);
                }
            }
            p += length;
        }
    }

    /**
     * Send thread, about once a second: an empty receiver report and a REMB naming the SSRCs we
     * receive, so the server's estimator lets every layer through (a browser would send
     * transport-cc feedback; REMB keeps the emulation simple).
     */
    void sendSubscriberRtcp(org.medibridge.buffer.PacketBuffer scratch, java.nio.ByteBuffer wrapper) {
        PeerConnection pc = subscriberPc;
        if (pc == null || !pc.isMediaReady()) {
            return;
        }
        long[] ssrcs = tracks.ssrcs();
        int n = Math.min(ssrcs.length, 16);
        byte[] b = scratch.getBuffer();
        int len = org.medibridge.rtcp.ReceiverReport.write(b, 0, rtcpSsrc);
        if (n > 0) {
            len += org.medibridge.rtcp.Remb.write(b, len, rtcpSsrc, REMB_BPS, ssrcs, n);
        }
        scratch.setOffsetLength(0, len);
        pc.sendRtcp(scratch, wrapper);
    }

    /** Every track this participant should receive: those of the server's latest offer. */
    List<TrackReceiver> activeTracks() {
        return new ArrayList<>(List.of(tracks.receivers()));
    }

    /**
     * Queues a message: java.net.http's WebSocket allows one outstanding send, so sends are
     * chained, never awaited (awaiting inside a listener callback could starve the executor).
     */
    private void send(JsonNode msg) {
        WebSocket w = ws;
        if (w == null) {
            return;
        }
        String text;
        try {
            text = JSON.writeValueAsString(msg);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        synchronized (sendLock) {
            sendChain = sendChain.thenCompose(v -> w.sendText(text, true)).handle((v, e) -> {
                if (e != null && !leaving) {
                    errors.add("send " + msg.path("type").asText() + ": " + e);
                }
                return null;
            });
        }
    }

    private void fail(String why) {
        errors.add(why);
        joined.completeExceptionally(new IOException(name + ": " + why));
        publishing.completeExceptionally(new IOException(name + ": " + why));
    }

    /** Says {@code leave}, closes the WebSocket and both connections. */
    @Override
    public void close() {
        leaving = true;
        java.util.concurrent.ScheduledFuture<?> p = ping;
        if (p != null) {
            p.cancel(false);
        }
        Publisher pub = publisher;
        if (pub != null) {
            pub.stop();
            ctx.scheduler.remove(pub);
        }
        ctx.scheduler.removeSubscriber(this);
        WebSocket w = ws;
        if (w != null && !w.isOutputClosed()) {
            send(JSON.createObjectNode().put("type", "leave"));
            CompletableFuture<Object> last;
            synchronized (sendLock) {
                last = sendChain;
            }
            try {
                last.get(2, TimeUnit.SECONDS);
                w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                w.abort();
            }
        }
        if (publisherPc != null) {
            publisherPc.close();
        }
        if (subscriberPc != null) {
            subscriberPc.close();
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onMessage(JSON.readTree(text));
                } catch (IOException e) {
                    errors.add("bad frame: " + e);
                }
            }
            w.request(1);
            return null;
        }

        @Override public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closedByServer = true;
            if (!leaving) {
                errors.add("websocket closed by the server: " + status + " " + reason);
            }
            return null;
        }

        @Override public void onError(WebSocket w, Throwable error) {
            fail("websocket error: " + error);
        }
    }
}
