package org.medibridge.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrackReceiverTest {
    private final byte[] payload = new byte[100];

    private void receive(TrackReceiver r, int seq, int streamKey, int counter) {
        PayloadStamp.write(payload, payload.length, streamKey, counter, System.nanoTime() - 1_000_000);
        r.onPacket(seq & 0xFFFF, 112, payload, 0, payload.length, System.nanoTime());
    }

    @Test
    void noLossWhenEverythingArrivesAcrossASequenceWrap() {
        TrackReceiver r = new TrackReceiver("1", "video", "p");
        for (int i = 0; i < 200; i++) {
            receive(r, 65_500 + i, 2, i);
        }
        TrackReceiver.Snapshot s = r.snapshot();
        assertThat(s.packets()).isEqualTo(200);
        assertThat(s.seqExpected()).isEqualTo(200);
        assertThat(s.lossPercent()).isZero();
        assertThat(s.latency().percentileMicros(0.5)).isBetween(900L, 100_000L);
    }

    @Test
    void aSequenceGapIsLossAfterTheSfu() {
        TrackReceiver r = new TrackReceiver("1", "audio", "p");
        for (int i = 0; i < 100; i++) {
            if (i % 10 != 5) {
                receive(r, i, 3, i);
            }
        }
        assertThat(r.snapshot().seqLossPercent()).isCloseTo(10.0, within(0.01));
    }

    @Test
    void aCounterGapWithContinuousSequenceIsLossInsideTheSfu() {
        TrackReceiver r = new TrackReceiver("1", "video", "p");
        int seq = 0;
        for (int i = 0; i < 100; i++) {
            if (i % 4 != 0) { // the SFU dropped it before rewriting: no sequence gap
                receive(r, seq++, 2, i);
            }
        }
        TrackReceiver.Snapshot s = r.snapshot();
        assertThat(s.seqLossPercent()).isZero();
        assertThat(s.counterLossPercent()).isCloseTo(25.0, within(1.1));
    }

    @Test
    void aSimulcastLayerSwitchIsNotLoss() {
        TrackReceiver r = new TrackReceiver("1", "video", "p");
        int seq = 0;
        for (int i = 0; i < 50; i++) {
            receive(r, seq++, 0, i); // layer q, counters 0..49
        }
        for (int i = 1000; i < 1050; i++) {
            receive(r, seq++, 2, i); // then layer f, whose counter is far ahead
        }
        assertThat(r.snapshot().lossPercent()).isZero();
    }

    @Test
    void switchingDownAndBackUpIsNotLossButAGapWithinALayerIs() {
        TrackReceiver r = new TrackReceiver("1", "video", "p");
        int seq = 0;
        for (int i = 0; i < 50; i++) {
            receive(r, seq++, 2, i); // f 0..49
        }
        for (int i = 100; i < 150; i++) {
            receive(r, seq++, 1, i); // h
        }
        for (int i = 300; i < 350; i++) {
            if (i != 320) {
                receive(r, seq++, 2, i); // f again from 300, one packet lost inside the segment
            }
        }
        TrackReceiver.Snapshot s = r.snapshot();
        assertThat(s.counterExpected()).isEqualTo(150);
        assertThat(s.stamped()).isEqualTo(149);
    }

    @Test
    void unstampedPacketsCountButCarryNoLatency() {
        TrackReceiver r = new TrackReceiver("1", "video", "p");
        byte[] padding = new byte[50];
        r.onPacket(1, 62, padding, 0, padding.length, System.nanoTime());
        TrackReceiver.Snapshot s = r.snapshot();
        assertThat(s.packets()).isEqualTo(1);
        assertThat(s.stamped()).isZero();
        assertThat(s.latency().total()).isZero();
    }
}
