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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medibridge.router.MediaWorkers;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SessionDescription;
import org.medibridge.signaling.ws.SignalingConnection;

/**
 * The room's signaling state machine without browsers or sockets: real rooms, workers and SDP,
 * fake transports whose activity the test controls, and EmbeddedChannels as WebSockets.
 */
class RoomLifecycleTest {
    private MediaWorkers workers;
    private ScheduledExecutorService timer;
    private RoomRegistry rooms;
    private final List<FakeTransport> transports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        workers = new MediaWorkers(1);
        timer = Executors.newSingleThreadScheduledExecutor();
        PeerTransportFactory factory = (controlling, listener) -> {
            FakeTransport t = new FakeTransport(controlling);
            transports.add(t);
            return t;
        };
        rooms = new RoomRegistry(workers, factory, "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99", timer);
    }

    @AfterEach
    void tearDown() {
        rooms.close();
        timer.shutdownNow();
        workers.close();
    }

    @Test
    void anInactiveParticipantIsTimedOutAndTheOthersAreTold() throws Exception {
        Client alice = new Client("Alice");
        Client bob = new Client("Bob");
        alice.join("visit");
        bob.join("visit");
        alice.publish();
        bob.publish();
        settle();
        // Bob receives Alice's two tracks on his subscriber connection, behind the anchor m-line.
        JsonNode bobOffer = bob.last("offer");
        SessionDescription offer = SdpParser.parse(bobOffer.get("sdp").asText());
        assertThat(offer.media()).hasSize(3);
        assertThat(offer.media().get(0).mid()).isEqualTo(Room.ANCHOR_MID);
        assertThat(bobOffer.get("tracks").size()).isEqualTo(2);
        bob.answerSubscriberOffer(bobOffer);
        settle();
        assertThat(bob.messages("error")).as("errors after Bob's answer").isEmpty();

        // Alice's transports go quiet (no consent checks, no media) for more than 30 s.
        long now = System.nanoTime();
        for (FakeTransport t : transports) {
            t.lastActivity = t.owner == alice ? now - TimeUnit.SECONDS.toNanos(31) : now;
        }
        rooms.checkTimeouts(now);
        settle();

        assertThat(alice.last("closed").get("reason").asText()).isEqualTo("timeout");
        JsonNode left = bob.last("participant-left");
        assertThat(left.get("participantId").asText()).isEqualTo(alice.participantId);
        assertThat(left.get("reason").asText()).isEqualTo("timeout");
        // Bob's re-offer rejects Alice's m-lines and keeps the anchor.
        SessionDescription reoffer = SdpParser.parse(bob.lastOfType("offer").get("sdp").asText());
        assertThat(reoffer.media()).hasSize(3);
        assertThat(reoffer.media().get(0).isRejected()).isFalse();
        assertThat(reoffer.media().subList(1, 3)).allMatch(m -> m.port() == 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!alice.transportsClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10); // closing happens on the transport-closer thread
        }
        assertThat(alice.transportsClosed()).as("Alice's transports closed").isTrue();
        assertThat(rooms.participantCount()).isEqualTo(1);
    }

    @Test
    void activeParticipantsAreNotTimedOut() throws Exception {
        Client alice = new Client("Alice");
        alice.join("visit");
        alice.publish();
        settle();
        long now = System.nanoTime();
        transports.forEach(t -> t.lastActivity = now - TimeUnit.SECONDS.toNanos(29));
        rooms.checkTimeouts(now);
        settle();
        assertThat(alice.messages("closed")).isEmpty();
        assertThat(rooms.participantCount()).isEqualTo(1);
    }

    @Test
    void aFullRoomRefusesAndTheSocketMayJoinAnotherRoom() throws Exception {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < Room.MAX_PARTICIPANTS; i++) {
            Client c = new Client("P" + i);
            c.join("busy");
            clients.add(c);
        }
        Client late = new Client("Late");
        late.join("busy");
        settle();
        assertThat(late.last("error").get("code").asText()).isEqualTo("room_full");
        late.join("quiet");
        settle();
        assertThat(late.last("joined").get("room").asText()).isEqualTo("quiet");
    }

    /** Waits until the (single) worker has run everything posted so far. */
    private void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            workers.all()[0].execute(() -> done.complete(null));
            done.get(5, TimeUnit.SECONDS);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RoomLifecycleTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private final class Client {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final ParticipantSession session;
        final List<JsonNode> received = new ArrayList<>();
        final String name;
        String participantId;

        Client(String name) {
            this.name = name;
            this.session = new ParticipantSession(SignalingConnection.of(channel), rooms, true);
        }

        void join(String room) throws Exception {
            ObjectNode join = SignalingConnection.JSON.createObjectNode();
            join.put("type", "join").put("room", room).put("name", name);
            session.onMessage(join.toString());
            settle();
            drain();
            received.stream().filter(m -> m.get("type").asText().equals("joined")).reduce((a, b) -> b)
                    .ifPresent(m -> participantId = m.get("participantId").asText());
        }

        void publish() throws Exception {
            ObjectNode offer = SignalingConnection.JSON.createObjectNode();
            offer.put("type", "offer").put("pc", "publisher").put("sdp", resource("chromium-156-offer.sdp"));
            // Remember the transport made for this client's offer (its publisher connection).
            int before = transports.size();
            session.onMessage(offer.toString());
            settle();
            for (int i = before; i < transports.size(); i++) {
                // Publisher transports are ICE-controlled (the browser offers); a controlling one
                // made meanwhile is another participant's subscriber connection.
                if (!transports.get(i).controlling) {
                    transports.get(i).owner = this;
                }
            }
            assertThat(last("answer").get("pc").asText()).isEqualTo("publisher");
        }

        /** Answers like a browser would: same m-lines, recvonly, DTLS active, its own ICE credentials. */
        void answerSubscriberOffer(JsonNode offer) throws Exception {
            StringBuilder sdp = new StringBuilder();
            for (String line : offer.get("sdp").asText().split("\r\n")) {
                if (line.startsWith("a=ssrc:") || line.startsWith("a=msid:") || line.startsWith("a=candidate:")
                        || line.startsWith("a=end-of-candidates")) {
                    continue;
                }
                line = line.replace("a=sendonly", "a=recvonly").replace("a=setup:actpass", "a=setup:active")
                        .replace("a=ice-ufrag:fakeufrag", "a=ice-ufrag:brws")
                        .replace("a=ice-pwd:fakepasswordfakepassword", "a=ice-pwd:browserpasswordbrowserpass");
                sdp.append(line).append("\r\n");
            }
            ObjectNode answer = SignalingConnection.JSON.createObjectNode();
            answer.put("type", "answer").put("pc", "subscriber").put("sdp", sdp.toString());
            session.onMessage(answer.toString());
        }

        void drain() {
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
        }

        List<JsonNode> messages(String type) {
            drain();
            return received.stream().filter(m -> m.get("type").asText().equals(type)).toList();
        }

        JsonNode last(String type) {
            List<JsonNode> m = messages(type);
            assertThat(m).as("%s received a %s message; got %s", name, type, received).isNotEmpty();
            return m.get(m.size() - 1);
        }

        JsonNode lastOfType(String type) {
            return last(type);
        }

        boolean transportsClosed() {
            return transports.stream().filter(t -> t.owner == this).allMatch(t -> t.closed);
        }
    }

    private static final class FakeTransport implements PeerTransport {
        final boolean controlling;
        volatile long lastActivity = System.nanoTime();
        volatile boolean closed;
        volatile Object owner;

        FakeTransport(boolean controlling) {
            this.controlling = controlling;
        }

        @Override public String localUfrag() { return "fakeufrag"; }
        @Override public String localPassword() { return "fakepasswordfakepassword"; }
        @Override public List<String> localCandidates() {
            return List.of("candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host");
        }
        @Override public void start(String u, String p, String alg, String fp, boolean dtlsServer) { }
        @Override public void addRemoteCandidate(String candidate) { }
        @Override public void send(byte[] buf, int off, int len) { }
        @Override public long lastActivityNanos() { return lastActivity; }
        @Override public void close() { closed = true; }
    }
}
