package org.medibridge.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table-driven selector decisions. A script is a list of tokens:
 * <pre>
 *   T2/1    allocator target spatial 2, temporal 1        T-    pause
 *   P0/2    preferred spatial 0, temporal 2               P-    hidden
 *   ST[flags]  a packet of spatial layer S with TID T; flags K key frame start (implies F),
 *              F frame start, E end of frame (marker), Y layer sync
 *   =S/T    assert the current layers (=-/- for none)
 *   kS      assert a key frame of layer S is wanted       !k    assert none is wanted
 *   aN      assert N frames were abandoned by a switch
 * </pre>
 * and the expected decisions, one letter per packet: F forward, S switch, P paused,
 * W waiting for a key frame, O other spatial layer, T temporal layer dropped.
 */
class LayerSelectorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        starts only at a key frame                 | T2/2 k2 20FE 21FE 00FE 20KE =2/2 !k 20FE                         | WWWSF
        starts sooner on a lower layer's key frame | T2/2 00KE =0/2 k2 10KE =1/2 k2 20FE 20KE =2/2 !k 00FE 10FE        | SSOSOO
        down-switch waits for the target key frame | T2/2 20KE 20FE T0/2 =2/2 k0 00FE 20FE 20FE 00KE =0/2 !k 20KE 00FE | SFOFFSOF
        up-switch ignores key frames below current | T1/0 10KE T2/0 k2 00KE 10FE 20KE =2/0 10FE 20FE                 | SOFSOF
        down-switch takes an intermediate layer    | T2/0 20KE T0/0 10KE =1/0 k0 20FE 10FE 00KE =0/0 10FE              | SSOFSO
        up-switch takes an intermediate layer      | T2/0 00KE 10KE =1/0 k2 20KE =2/0                                  | SSS
        temporal layers above target dropped whole | T0/1 00KE 02F 02E 01FE 02FEY 00FE                                 | STTFTF
        temporal down-switch at a frame boundary   | T0/2 00KE 01F T0/0 01 01E 02FE 01FE 00FE =0/0                     | SFFFTTF
        temporal up-switch one step at Y frames    | T0/0 00KE 02FE 01FE T0/2 02FEY 01FE 00FE 01FEY =0/1 02FE 02FEY =0/2 01FE 02FE | STTTTFFTFFF
        a key frame syncs every temporal layer     | T0/0 00KE T0/2 02FE 00KE =0/2 02FE                                | STFF
        a spatial switch lands on the target TID   | T0/0 00KE T1/2 12FE 10KE =1/2 12FE                                | SOSF
        pause after the frame, resume at key frame | T0/2 00KE 00F T- 00 00E 00FE 10KE =-/- !k T1/2 k1 10FE 10KE =1/2 10FE | SFFFPPWSF
        pause never cuts the frame in progress     | T0/0 00KF T- 10FE 00 00E 00FE =-/-                                | SPFFP
        hidden video gets nothing                  | T2/2 20KE P- 20FE T2/2 20KE =-/- !k P1/1 k1 20FE 10KE =1/1        | SPPWS
        preference caps the allocation             | P0/1 T2/2 =-/- k0 00KE =0/1 02FE 20KE 01FE                        | STOF
        a lost marker ends the frame at next start | T0/0 00KF 02F 02E 00FE                                            | STTF
        a switch abandons the old layer's frame    | T0/0 00KE T1/0 00F 10KF 00 00E 10 10E =1/0 a1                     | SFSOOFF
        a lost frame start: its TID decides        | T0/0 00KE 02 01 00E                                               | STTF
        pending down-switch keeps the base layer   | T2/2 20KE 22FE 21FE T0/2 k0 22FE 21FE 20FE =2/0 00KE =0/2 02FE    | SFFTTFSF
        pending up-switch keeps every layer        | T0/2 00KE T2/2 k2 02FE 01FE 00FE =0/2                             | SFFF
        """)
    void decisions(String name, String script, String expected) {
        LayerSelector s = new LayerSelector();
        StringBuilder got = new StringBuilder();
        for (String tok : script.trim().split("\\s+")) {
            char c = tok.charAt(0);
            if (c == 'T' || c == 'P') {
                int sp = tok.charAt(1) == '-' ? LayerSelector.NONE : tok.charAt(1) - '0';
                int tp = tok.charAt(1) == '-' ? LayerSelector.NONE : tok.charAt(3) - '0';
                if (c == 'T') {
                    s.setTarget(sp, tp);
                } else {
                    s.setPreferred(sp, tp);
                }
            } else if (c == '=') {
                int sp = tok.charAt(1) == '-' ? LayerSelector.NONE : tok.charAt(1) - '0';
                int tp = tok.charAt(3) == '-' ? LayerSelector.NONE : tok.charAt(3) - '0';
                assertThat(new int[] {s.currentSpatial(), s.currentTemporal()}).as("%s after %s", tok, got)
                        .containsExactly(sp, tp);
            } else if (c == 'k') {
                int layer = tok.charAt(1) - '0';
                assertThat(s.needsKeyframe(layer)).as("%s after %s", tok, got).isTrue();
                assertThat(s.keyframeLayerWanted()).isEqualTo(layer);
            } else if (c == '!') {
                assertThat(s.keyframeLayerWanted()).as("%s after %s", tok, got).isEqualTo(LayerSelector.NONE);
                for (int l = 0; l < LayerSelector.MAX_SPATIAL_LAYERS; l++) {
                    assertThat(s.needsKeyframe(l)).isFalse();
                }
            } else if (c == 'a') {
                assertThat(s.abandonedFrames()).as(tok).isEqualTo(Long.parseLong(tok.substring(1)));
            } else {
                int sp = c - '0';
                int tid = tok.charAt(1) - '0';
                String flags = tok.substring(2);
                boolean key = flags.contains("K");
                Decision d = s.onPacket(sp, tid, flags.contains("Y"), key, key || flags.contains("F"), flags.contains("E"));
                got.append(letter(d));
            }
        }
        assertThat(got.toString()).isEqualTo(expected.trim());
        long total = 0;
        for (Decision d : Decision.values()) {
            total += s.count(d);
        }
        assertThat(total).as("every packet counted under one decision").isEqualTo(expected.trim().length());
    }

    private static char letter(Decision d) {
        return switch (d) {
            case FORWARD -> 'F';
            case SWITCH -> 'S';
            case DROP_PAUSED -> 'P';
            case DROP_WAITING_FOR_KEYFRAME -> 'W';
            case DROP_OTHER_LAYER -> 'O';
            case DROP_TEMPORAL_LAYER -> 'T';
        };
    }

    /**
     * A down-switch for lack of bandwidth (the allocator grants less than the screen would use)
     * is what stops resends of the abandoned layer's packets; a down-switch because the video is
     * shown smaller is not congestion, and its losses are still repaired.
     */
    @Test
    void aDownSwitchCountsAsCongestedOnlyWhenTheAllocatorAndNotTheScreenAskedForLess() {
        LayerSelector s = new LayerSelector();
        s.setTarget(2, 2);
        s.onPacket(2, 0, true, true, true, true); // the top layer's key frame
        assertThat(s.currentSpatial()).isEqualTo(2);
        assertThat(s.downSwitchPending()).isFalse();
        assertThat(s.congestedDownSwitchPending()).isFalse();

        s.setTarget(0, 2); // the estimate fell
        assertThat(s.downSwitchPending()).isTrue();
        assertThat(s.congestedDownSwitchPending()).isTrue();

        s.setTarget(2, 2);
        s.setPreferred(0, 2); // the tile got small: the same down-switch, no congestion
        assertThat(s.downSwitchPending()).isTrue();
        assertThat(s.congestedDownSwitchPending()).isFalse();

        s.setPreferred(2, 2);
        s.setTarget(0, 2);
        s.onPacket(0, 0, true, true, true, true); // the low layer's key frame
        assertThat(s.currentSpatial()).isEqualTo(0);
        assertThat(s.downSwitchPending()).isFalse();
        assertThat(s.congestedDownSwitchPending()).isFalse();
    }
}
