package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medibridge.srtp.SrtpProfile;

/**
 * What {@code medibridge_layer_target_changes_total} counts: every change of a leg's target the
 * allocation makes, by direction (pause is down, resume up), and nothing when it keeps the layer.
 */
class LayerAllocationCountersTest {
    private RouterHarness h;

    @BeforeAll
    static void initializeSrtp() {
        RouterTest.initializeSrtp();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                // target before, after as (spatial << 8 | temporal), -1 paused; ups, downs
                Arguments.of(-1, 0x0000, 1, 0),      // resume
                Arguments.of(0x0102, 0x0200, 1, 0),  // spatial up
                Arguments.of(0x0201, 0x0202, 1, 0),  // temporal up
                Arguments.of(0x0202, 0x0201, 0, 1),  // temporal down
                Arguments.of(0x0200, 0x0102, 0, 1),  // spatial down
                Arguments.of(0x0000, -1, 0, 1),      // pause
                Arguments.of(0x0202, 0x0202, 0, 0),  // kept
                Arguments.of(-1, -1, 0, 0));         // still paused
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("changes")
    void countsEachTargetChangeByDirection(int before, int after, long ups, long downs) {
        h = new RouterHarness("counters-test");
        MediaRoom room = h.room("room");
        RouterHarness.Peer sub = h.peer(room, "sub", MediaEndpoint.Role.SUBSCRIBER, RouterTest.SUB_IDS,
                SrtpProfile.AEAD_AES_128_GCM);
        h.run(() -> LayerAllocation.countTargetChange(sub.ep, before, after));
        assertThat(sub.ep.stats().layerTargetUps()).isEqualTo(ups);
        assertThat(sub.ep.stats().layerTargetDowns()).isEqualTo(downs);
        assertThat(h.worker.layerTargetUps()).isEqualTo(ups);
        assertThat(h.worker.layerTargetDowns()).isEqualTo(downs);
    }
}
