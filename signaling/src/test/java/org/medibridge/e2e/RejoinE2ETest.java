package org.medibridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.medibridge.e2e.BrowserPage.RemoteTrack;

/**
 * A visit outlives its guests: after the only other participant leaves (every track m-line of the
 * subscriber connection is then rejected), someone new joins and the one who stayed decodes them.
 * This exercises appending m-lines after rejected ones on a live subscriber connection.
 */
class RejoinE2ETest extends ChromiumE2ETest {

    @RegisterExtension
    static final MediBridgeServerExtension SERVER = new MediBridgeServerExtension();


    @Test
    void aNewParticipantIsReceivedAfterThePreviousOneLeft() {
        String room = "rejoin-" + UUID.randomUUID().toString().substring(0, 8);
        BrowserPage doctor = browser.join(SERVER.baseUrl(), room, "Doctor");
        BrowserPage first = browser.join(SERVER.baseUrl(), room, "First");
        MediaChecks.awaitReceiving(List.of(new MediaChecks.Flow(doctor, first)), 1, Duration.ofSeconds(20));

        String firstId = first.participantId();
        first.clickLeave();
        Poll.until("the first patient's tracks ended on the doctor's page", Duration.ofSeconds(10),
                () -> doctor.remoteTracksOf(firstId),
                tracks -> !tracks.isEmpty() && tracks.stream().allMatch(t -> "ended".equals(t.readyState())));

        BrowserPage second = browser.join(SERVER.baseUrl(), room, "Second");
        MediaChecks.awaitReceiving(List.of(new MediaChecks.Flow(doctor, second), new MediaChecks.Flow(second, doctor)),
                1, Duration.ofSeconds(20));
        assertThat(doctor.remoteTracksOf(second.participantId())).extracting(RemoteTrack::readyState)
                .containsOnly("live");
        assertThat(doctor.tileIds()).containsExactly(second.participantId());
        assertThat(doctor.state()).isEqualTo("joined");
        assertThat(doctor.errorText()).isEmpty();
    }
}
