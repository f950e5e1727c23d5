package org.medibridge.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medibridge.rtp.RtpPacket;

/**
 * A moderator's mute pauses a stream in the SFU: nothing reaches subscribers while paused (each
 * packet counted as PAUSED), and after resuming their sequence numbers continue without a gap
 * (no NACK storm for packets that never existed); video resumes only at a keyframe.
 */
class PauseTest {
    private final RouterTest routerTest = new RouterTest();
    private RouterTest.World w;

    @BeforeAll
    static void initializeSrtp() {
        RouterTest.initializeSrtp();
    }

    @AfterEach
    void nothingLeaks() {
        routerTest.nothingLeaks();
    }

    private static int seq(byte[] rtp) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(rtp, 0, rtp.length)).isTrue();
        return p.sequenceNumber();
    }

    @Test
    void pausedAudioGoesNowhereAndResumesWithoutAGap() {
        w = routerTest.world(1);
        RouterHarness.Peer sub = w.subs.get(0);
        OutgoingStream leg = w.audioLegs.get(0);
        for (int i = 0; i < 5; i++) {
            w.sendAudio();
        }
        w.h.flush();
        assertThat(sub.rtpOf(leg.ssrc)).hasSize(5);

        w.h.run(() -> w.room.setPaused(w.audio, true));
        for (int i = 0; i < 7; i++) {
            w.sendAudio();
        }
        w.h.flush();
        assertThat(sub.rtpOf(leg.ssrc)).as("nothing while paused").hasSize(5);
        assertThat(w.pub.drops(DropReason.PAUSED)).isEqualTo(7);

        w.h.run(() -> w.room.setPaused(w.audio, false));
        w.sendAudio();
        w.h.flush();
        List<byte[]> got = sub.rtpOf(leg.ssrc);
        assertThat(got).hasSize(6);
        assertThat(seq(got.get(5))).as("continuous after the pause").isEqualTo((seq(got.get(4)) + 1) & 0xFFFF);
    }

    @Test
    void resumedVideoWaitsForAKeyframeAndAsksForIt() {
        w = routerTest.world(1);
        RouterHarness.Peer sub = w.subs.get(0);
        OutgoingStream leg = w.videoLegs.get(0);
        w.sendFrame(true, 2);
        w.sendFrame(false, 2);
        w.h.flush();
        assertThat(sub.rtpOf(leg.ssrc)).hasSize(4);
        w.h.run(() -> w.room.setPaused(w.video, true));
        w.sendFrame(false, 3);
        w.h.run(() -> w.room.setPaused(w.video, false));
        w.sendFrame(false, 2); // delta frames right after resuming: useless to the decoder
        w.h.flush();
        assertThat(sub.rtpOf(leg.ssrc)).hasSize(4);
        assertThat(w.video.keyframeRequestPending || w.video.keyframeRequestsSent > 0).isTrue();
        w.sendFrame(true, 2);
        w.h.flush();
        List<byte[]> got = sub.rtpOf(leg.ssrc);
        assertThat(got).hasSize(6);
        assertThat(seq(got.get(4))).as("no gap across the pause").isEqualTo((seq(got.get(3)) + 1) & 0xFFFF);
    }
}
