package org.medibridge.signaling.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.medibridge.appointment.AppointmentStore;
import org.medibridge.appointment.InMemoryAppointmentStore;
import org.medibridge.audit.AuditLog;
import org.medibridge.router.MediaWorkers;
import org.medibridge.signaling.ws.SignalingConnection;
import org.medibridge.token.JoinTokens;

/**
 * Rooms without browsers or sockets, for tests: real rooms, workers, SDP and tokens; fake
 * transports; EmbeddedChannels as WebSockets; a clock the test moves; a recording audit log.
 */
final class RoomKit implements AutoCloseable {
    final MediaWorkers workers = new MediaWorkers(1);
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final MutableClock clock;
    final AppointmentStore store = new InMemoryAppointmentStore();
    final RecordingAudit audit = new RecordingAudit();
    final FakeRecordings recordings = new FakeRecordings();
    final List<FakeTransport> transports = new CopyOnWriteArrayList<>();
    final RoomRegistry rooms;
    final JoinSettings settings;

    /** Open (--dev) rooms only: no tokens, joins by room name. */
    RoomKit() {
        this(Instant.now(), null, true);
    }

    RoomKit(Instant now, JoinTokens tokens) {
        this(now, tokens, false);
    }

    private RoomKit(Instant now, JoinTokens tokens, boolean openRooms) {
        clock = new MutableClock(now);
        PeerTransportFactory factory = (controlling, listener) -> {
            FakeTransport t = new FakeTransport(controlling);
            transports.add(t);
            return t;
        };
        rooms = new RoomRegistry(workers, factory, "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99", timer, clock, store, audit, recordings);
        settings = new JoinSettings(openRooms, tokens, store, clock, audit);
    }

    /** Waits until the (single) worker has run everything posted so far, including follow-ups. */
    void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            workers.all()[0].execute(() -> done.complete(null));
            done.get(5, TimeUnit.SECONDS);
        }
    }

    Client client(String label) {
        return new Client(label);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = RoomKit.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        rooms.close();
        timer.shutdownNow();
        workers.close();
    }

    final class Client {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ParticipantSession session;
        final List<JsonNode> received = new ArrayList<>();
        final String label;
        String participantId;

        Client(String label) {
            this.label = label;
            this.session = new ParticipantSession(SignalingConnection.of(channel), rooms, settings);
        }

        void send(ObjectNode msg) throws Exception {
            session.onMessage(msg.toString());
            settle();
        }

        void joinWithToken(String token) throws Exception {
            send(json("join").put("token", token));
            rememberId();
        }

        void joinOpenRoom(String room) throws Exception {
            send(json("join").put("room", room).put("name", label));
            rememberId();
        }

        private void rememberId() {
            List<com.fasterxml.jackson.databind.JsonNode> joined = messages("joined");
            if (!joined.isEmpty()) {
                participantId = joined.get(joined.size() - 1).get("participantId").asText();
            }
        }

        /** Publishes camera and microphone; the transports made for it become this client's. */
        void publish() throws Exception {
            int before = transports.size();
            send(json("offer").put("pc", "publisher").put("sdp", resource("chromium-156-offer.sdp")));
            for (int i = before; i < transports.size(); i++) {
                // Publisher transports are ICE-controlled (the browser offers); a controlling one
                // made meanwhile is another participant's subscriber connection.
                if (!transports.get(i).controlling) {
                    transports.get(i).owner = this;
                }
            }
        }

        boolean transportsClosed() {
            return transports.stream().filter(t -> t.owner == this).allMatch(t -> t.closed);
        }

        /** Answers the latest subscriber offer like a browser: recvonly, DTLS active, own ICE. */
        void answerLatestOffer() throws Exception {
            StringBuilder sdp = new StringBuilder();
            for (String line : last("offer").get("sdp").asText().split("\r\n")) {
                if (line.startsWith("a=ssrc:") || line.startsWith("a=msid:") || line.startsWith("a=candidate:")
                        || line.startsWith("a=end-of-candidates")) {
                    continue;
                }
                sdp.append(line.replace("a=sendonly", "a=recvonly").replace("a=setup:actpass", "a=setup:active")
                        .replace("a=ice-ufrag:fakeufrag", "a=ice-ufrag:brws")
                        .replace("a=ice-pwd:fakepasswordfakepassword", "a=ice-pwd:browserpasswordbrowserpass"))
                        .append("\r\n");
            }
            send(json("answer").put("pc", "subscriber").put("sdp", sdp.toString()));
        }

        List<JsonNode> messages(String type) {
            Object o;
            while ((o = channel.readOutbound()) != null) {
                if (o instanceof TextWebSocketFrame f) {
                    try {
                        received.add(SignalingConnection.JSON.readTree(f.text()));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
                ReferenceCountUtil.release(o);
            }
            return received.stream().filter(m -> m.get("type").asText().equals(type)).toList();
        }

        JsonNode last(String type) {
            List<JsonNode> m = messages(type);
            assertThat(m).as("%s received a %s message; got %s", label, type, received).isNotEmpty();
            return m.get(m.size() - 1);
        }

        String lastErrorCode() {
            return last("error").get("code").asText();
        }

        boolean isOpen() {
            return channel.isActive();
        }
    }

    static ObjectNode json(String type) {
        ObjectNode n = SignalingConnection.JSON.createObjectNode();
        n.put("type", type);
        return n;
    }

    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant t) { now.set(t); }
        @Override public Instant instant() { return now.get(); }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }

    static final class RecordingAudit implements AuditLog {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void append(String event, String appointmentId, Map<String, String> fields) {
            events.add(event + " " + appointmentId + " " + fields);
        }

        @Override public void close() { }
    }

    /** Recorders that count what reaches them; runs "background" work inline. */
    static final class FakeRecordings implements RecordingBackend {
        final List<FakeRecorder> recorders = new CopyOnWriteArrayList<>();
        final List<RecordingSession.State> saved = new CopyOnWriteArrayList<>();

        @Override
        public Recorder newRecorder(RecordingSession session, String participantId, String fileName,
                                    Runnable requestKeyframe, java.util.function.Consumer<Exception> onFailure) {
            FakeRecorder r = new FakeRecorder(participantId, fileName, onFailure);
            recorders.add(r);
            return r;
        }

        @Override public void save(RecordingSession session) { saved.add(session.state()); }
        @Override public boolean available() { return true; }
        @Override public void background(Runnable task) { task.run(); }
    }

    static final class FakeRecorder implements RecordingBackend.Recorder {
        final String participantId;
        final String fileName;
        final java.util.function.Consumer<Exception> onFailure;
        volatile boolean closed;

        FakeRecorder(String participantId, String fileName, java.util.function.Consumer<Exception> onFailure) {
            this.participantId = participantId;
            this.fileName = fileName;
            this.onFailure = onFailure;
        }

        @Override public String fileName() { return fileName; }
        @Override public void close() { closed = true; }
        @Override public long bytesWritten() { return 0; }
        @Override public void onRtp(org.medibridge.router.IncomingStream s, byte[] b, int o, int l, long t) { }
        @Override public void onSenderReport(org.medibridge.router.IncomingStream s, long n, long r, long t) { }
    }

    static final class FakeTransport implements PeerTransport {
        final boolean controlling;
        volatile boolean closed;
        volatile long lastActivity = System.nanoTime();
        volatile Object owner;

        FakeTransport(boolean controlling) {
            this.controlling = controlling;
        }

        /** ICE generation: 0, then one more per restart (the ufrag and password change with it). */
        volatile int iceGeneration;
        volatile String restartedRemoteUfrag;

        @Override public String localUfrag() { return "fakeufrag" + (iceGeneration == 0 ? "" : iceGeneration); }
        @Override public String localPassword() { return "fakepasswordfakepassword" + iceGeneration; }
        @Override public void restartIce() { iceGeneration++; }
        @Override public void startRestartedIce(String u, String p) { restartedRemoteUfrag = u; }
        /** The remote ufrag a live session uses: the first one, or the latest restart's. */
        volatile String liveRemoteUfrag;
        @Override public boolean hasIceSessionFor(String u) {
            return u.equals(restartedRemoteUfrag != null ? restartedRemoteUfrag : liveRemoteUfrag);
        }
        @Override public List<String> localCandidates() {
            return List.of("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");
        }
        @Override public void start(String u, String p, String alg, String fp, boolean dtlsServer) { liveRemoteUfrag = u; }
        @Override public void addRemoteCandidate(String candidate) { }
        @Override public void send(byte[] buf, int off, int len) { }
        @Override public long lastActivityNanos() { return lastActivity; }
        @Override public void close() { closed = true; }
    }
}
