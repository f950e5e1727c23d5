package org.medibridge.signaling.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.medibridge.sdp.SdpParser;
import org.medibridge.sdp.SessionDescription;

/**
 * ICE restarts as the room negotiates them (RFC 8445 §9, JSEP §5.2.1), without browsers (see
 * {@link RoomKit}; a fake transport's ufrag gains a generation number per restart). The publisher
 * connection restarts with the browser's own re-offer; the subscriber connection, where we offer,
 * restarts when the browser asks with {@code ice-restart}.
 */
class IceRestartRoomTest {
    private final RoomKit kit = new RoomKit();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void aPublisherReOfferWithNewCredentialsRestartsIceAndKeepsTheTracks() throws Exception {
        RoomKit.Client alice = kit.client("Alice");
        RoomKit.Client bob = kit.client("Bob");
        alice.joinOpenRoom("visit");
        bob.joinOpenRoom("visit");
        alice.publish();
        bob.answerLatestOffer();
        int bobOffers = bob.messages("offer").size();
        RoomKit.FakeTransport publisher = publisherOf(alice);
        assertThat(ufrag(alice.last("answer"))).isEqualTo("fakeufrag");

        // pc.restartIce(): the same offer with new ICE credentials.
        String restartOffer = RoomKit.resource("chromium-156-offer.sdp")
                .replace("a=ice-ufrag:zyeT", "a=ice-ufrag:n3wU")
                .replace("a=ice-pwd:3T2KRlSN3ZvXlt0PM9BVMSex", "a=ice-pwd:newpasswordnewpassword00");
        alice.send(RoomKit.json("offer").put("pc", "publisher").put("sdp", restartOffer));

        assertThat(alice.messages("error")).isEmpty();
        assertThat(alice.messages("answer")).hasSize(2);
        SessionDescription answer = SdpParser.parse(alice.last("answer").get("sdp").asText());
        assertThat(answer.media()).allSatisfy(m -> {
            assertThat(m.iceUfrag()).isEqualTo("fakeufrag1");
            assertThat(m.icePwd()).isEqualTo("fakepasswordfakepassword1");
        });
        assertThat(publisher.iceGeneration).isEqualTo(1);
        assertThat(publisher.restartedRemoteUfrag).isEqualTo("n3wU");
        assertThat(publisher.closed).isFalse();
        // Same tracks: nobody hears of a change, Bob gets no new offer.
        assertThat(bob.messages("offer")).hasSize(bobOffers);
        assertThat(bob.messages("participant-left")).isEmpty();

        // A second restart within the second is refused, and nothing changes.
        alice.send(RoomKit.json("offer").put("pc", "publisher").put("sdp", restartOffer.replace("n3wU", "n4wU")));
        assertThat(alice.lastErrorCode()).isEqualTo("too_many_requests");
        assertThat(publisher.iceGeneration).isEqualTo(1);
    }

    @Test
    void anIceRestartRequestForTheSubscriberGetsAnOfferWithNewCredentials() throws Exception {
        RoomKit.Client alice = kit.client("Alice");
        RoomKit.Client bob = kit.client("Bob");
        alice.joinOpenRoom("visit");
        bob.joinOpenRoom("visit");

        // Before Bob has a subscriber connection there is nothing to restart.
        bob.send(RoomKit.json("ice-restart").put("pc", "subscriber"));
        assertThat(bob.lastErrorCode()).isEqualTo("not_connected");

        alice.publish();
        bob.answerLatestOffer();
        RoomKit.FakeTransport subscriber = kit.transports.stream()
                .filter(t -> t.controlling && !t.closed).reduce((a, b) -> b).orElseThrow();
        JsonNode first = bob.last("offer");
        assertThat(ufrag(first)).isEqualTo("fakeufrag");

        bob.send(RoomKit.json("ice-restart").put("pc", "subscriber"));
        assertThat(bob.messages("error")).as("errors after the request").hasSize(1); // the not_connected above
        JsonNode restart = bob.last("offer");
        assertThat(restart).isNotSameAs(first);
        assertThat(ufrag(restart)).isEqualTo("fakeufrag1");
        assertThat(restart.get("tracks")).isEqualTo(first.get("tracks"));
        assertThat(restart.has("reset")).isFalse();

        bob.answerLatestOffer(); // the browser answers with its own new ufrag ("brws1")
        assertThat(bob.messages("error")).hasSize(1);
        assertThat(subscriber.restartedRemoteUfrag).isEqualTo("brws1");
        assertThat(subscriber.closed).isFalse();

        bob.send(RoomKit.json("ice-restart").put("pc", "subscriber"));
        assertThat(bob.lastErrorCode()).isEqualTo("too_many_requests");
        bob.send(RoomKit.json("ice-restart").put("pc", "publisher"));
        assertThat(bob.lastErrorCode()).isEqualTo("bad_request");
        assertThat(subscriber.iceGeneration).isEqualTo(1);
    }

    private RoomKit.FakeTransport publisherOf(RoomKit.Client c) {
        return kit.transports.stream().filter(t -> t.owner == c && !t.controlling).findFirst().orElseThrow();
    }

    private static String ufrag(JsonNode sdpMessage) throws Exception {
        SessionDescription sd = SdpParser.parse(sdpMessage.get("sdp").asText());
        return sd.media().get(0).iceUfrag();
    }
}
