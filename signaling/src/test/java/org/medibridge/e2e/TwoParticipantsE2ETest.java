package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medibridge.e2e.BrowserPage.RemoteTrack;
import org.medibridge.e2e.BrowserPage.StatsSample;

/**
 * Two participants in one room see and hear each other; a participant in another room gets nothing
 * from them; leaving is signalled to the other side and ends its remote tracks.
 */
class TwoParticipantsE2ETest extends ChromiumE2ETest {

    @RegisterExtension
    static final MediBridgeServerExtension SERVER = new MediBridgeServerExtension();


    @Test
    void twoParticipantsExchangeMediaOtherRoomIsIsolatedAndLeaveIsSignalled() {
        String room = "visit-" + UUID.randomUUID().toString().substring(0, 8);
        String otherRoom = room + "-other";

        BrowserPage alice = browser.join(SERVER.baseUrl(), room, "Alice");
        BrowserPage bob = browser.join(SERVER.baseUrl(), room, "Bob");
        BrowserPage carol = browser.join(SERVER.baseUrl(), otherRoom, "Carol");
        assertThat(alice.participantId()).isNotBlank().isNotEqualTo(bob.participantId());

        // --- each decodes the other's video and hears the other's audio within 10 s of both joining
        MediaChecks.Flow bobToAlice = new MediaChecks.Flow(alice, bob);
        MediaChecks.Flow aliceToBob = new MediaChecks.Flow(bob, alice);
        Map<MediaChecks.Flow, StatsSample> got =
                MediaChecks.awaitReceiving(List.of(bobToAlice, aliceToBob), 640, Duration.ofSeconds(25));
        for (MediaChecks.Flow f : List.of(bobToAlice, aliceToBob)) {
            assertThat(MediaChecks.msSinceBothJoined(got.get(f), f))
                    .as("ms from both joined until %s decodes video (>= 640 wide) and hears audio", f)
                    .isLessThanOrEqualTo(10_000);
        }

        // tiles: one per remote participant, labelled with the name
        assertThat(alice.tileIds()).containsExactly(bob.participantId());
        assertThat(bob.tileIds()).containsExactly(alice.participantId());
        assertThat(alice.tileName(bob.participantId())).contains("Bob");
        assertThat(bob.tileName(alice.participantId())).contains("Alice");
        assertThat(alice.remoteTracksOf(bob.participantId())).extracting(RemoteTrack::kind)
                .containsExactlyInAnyOrder("audio", "video");

        // --- the other room receives nothing: no remote tracks, no inbound bytes, no tiles, no peers
        StatsSample carolStats = carol.sample();
        assertThat(carolStats.inbound()).as("Carol's inbound-rtp streams").allSatisfy(
                i -> assertThat(i.bytesReceived()).isZero());
        assertThat(carolStats.totalBytesReceived()).isZero();
        assertThat(carol.remoteTracks()).as("Carol's remote tracks").isEmpty();
        assertThat(carol.tileIds()).isEmpty();
        assertThat(carol.events()).noneMatch(e -> e.type().equals("participant-joined"));
        // ... and Carol's own media is not leaking into the visit
        assertThat(alice.sample().inbound()).noneMatch(i -> carol.participantId().equals(i.participantId()));
        assertThat(alice.tileIds()).doesNotContain(carol.participantId());

        // --- Bob leaves: Alice is told, his tile goes, his tracks end
        String bobId = bob.participantId();
        bob.clickLeave();
        Poll.until("Alice told that Bob left", Duration.ofSeconds(10), alice::events,
                events -> events.stream().anyMatch(e -> e.type().equals("participant-left")
                        && bobId.equals(e.detail().path("participantId").asText())));
        Poll.until("Bob's tile removed on Alice's page", Duration.ofSeconds(5), alice::tileIds,
                ids -> !ids.contains(bobId));
        List<RemoteTrack> ended = Poll.until("Bob's remote tracks ended on Alice's page (readyState 'ended')",
                Duration.ofSeconds(10), () -> alice.remoteTracksOf(bobId),
                tracks -> !tracks.isEmpty() && tracks.stream().allMatch(t -> "ended".equals(t.readyState())));
        assertThat(ended).extracting(RemoteTrack::kind).contains("audio", "video");
        assertThat(bob.state()).isEqualTo("closed");
        assertThat(bob.snapshot().path("client").path("localTracks"))
                .allSatisfy(t -> assertThat(t.path("readyState").asText()).isEqualTo("ended"));
        assertThat(alice.state()).isEqualTo("joined");
        assertThat(alice.errorText()).as(alice.connectionLog()).isEmpty();
        assertThat(carol.remoteTracks()).isEmpty();
    }
}
