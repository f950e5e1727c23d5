package org.medibridge.signaling.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SessionDescription;

/**
 * The room's signaling state machine in open rooms, without browsers or sockets (see
 * {@link RoomKit}): inactivity timeouts, re-offers, the participant limit.
 */
class RoomLifecycleTest {
    private final RoomKit kit = new RoomKit();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void anInactiveParticipantIsTimedOutAndTheOthersAreTold() throws Exception {
        RoomKit.Client alice = kit.client("Alice");
        RoomKit.Client bob = kit.client("Bob");
        alice.joinOpenRoom("visit");
        bob.joinOpenRoom("visit");
        alice.publish();
        bob.publish();
        // Bob receives Alice's two tracks on his subscriber connection, behind the anchor m-line.
        JsonNode bobOffer = bob.last("offer");
        SessionDescription offer = SdpParser.parse(bobOffer.get("sdp").asText());
        assertThat(offer.media()).hasSize(3);
        assertThat(offer.media().get(0).mid()).isEqualTo(SubscriberSignaling.ANCHOR_MID);
        assertThat(bobOffer.get("tracks").size()).isEqualTo(2);
        bob.answerLatestOffer();
        assertThat(bob.messages("error")).as("errors after Bob's answer").isEmpty();

        // Alice's transports go quiet (no consent checks, no media) for more than 30 s.
        long now = System.nanoTime();
        for (RoomKit.FakeTransport t : kit.transports) {
            t.lastActivity = t.owner == alice ? now - TimeUnit.SECONDS.toNanos(31) : now;
        }
        kit.rooms.checkTimeouts(now);
        kit.settle();

        assertThat(alice.last("closed").get("reason").asText()).isEqualTo("timeout");
        JsonNode left = bob.last("participant-left");
        assertThat(left.get("participantId").asText()).isEqualTo(alice.participantId);
        assertThat(left.get("reason").asText()).isEqualTo("timeout");
        // Bob's re-offer rejects Alice's m-lines and keeps the anchor.
        SessionDescription reoffer = SdpParser.parse(bob.last("offer").get("sdp").asText());
        assertThat(reoffer.media()).hasSize(3);
        assertThat(reoffer.media().get(0).isRejected()).isFalse();
        assertThat(reoffer.media().subList(1, 3)).allMatch(m -> m.port() == 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!alice.transportsClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10); // closing happens on the transport-closer thread
        }
        assertThat(alice.transportsClosed()).as("Alice's transports closed").isTrue();
        assertThat(kit.rooms.participantCount()).isEqualTo(1);
    }

    @Test
    void activeParticipantsAreNotTimedOut() throws Exception {
        RoomKit.Client alice = kit.client("Alice");
        alice.joinOpenRoom("visit");
        alice.publish();
        long now = System.nanoTime();
        kit.transports.forEach(t -> t.lastActivity = now - TimeUnit.SECONDS.toNanos(29));
        kit.rooms.checkTimeouts(now);
        kit.settle();
        assertThat(alice.messages("closed")).isEmpty();
        assertThat(kit.rooms.participantCount()).isEqualTo(1);
    }

    @Test
    void aFullRoomRefusesAndTheSocketMayJoinAnotherRoom() throws Exception {
        for (int i = 0; i < Room.MAX_PARTICIPANTS; i++) {
            kit.client("P" + i).joinOpenRoom("busy");
        }
        RoomKit.Client late = kit.client("Late");
        late.joinOpenRoom("busy");
        assertThat(late.lastErrorCode()).isEqualTo("room_full");
        late.joinOpenRoom("quiet");
        assertThat(late.last("joined").get("room").asText()).isEqualTo("quiet");
    }
}
