package org.medibridge.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JitterBufferTest {
    /** Records what the buffer releases: "5" a packet, "L2" two lost, "D5" a discarded packet. */
    private static final class Log implements JitterBuffer.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onPacket(QueuedPacket p) {
            events.add(Integer.toString(p.sequence));
        }

        @Override
        public void onLoss(int count) {
            events.add("L" + count);
        }

        @Override
        public void onDiscard(QueuedPacket p) {
            events.add("D" + p.sequence);
        }
    }

    private static QueuedPacket packet(int seq, long arrivalMillis) {
        return QueuedPacket.of(seq, 0, false, arrivalMillis * 1_000_000L, new byte[1]);
    }

    /**
     * Capacity 8 packets, 100 ms maximum delay. Input "seq@ms" in arrival order; then, after the
     * arrow, a tick at that time (-1: none); output in release order; "F" marks a final flush.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // name                    | arrivals (seq@ms)                  | tick | expected
            "in order                  | 1@0 2@20 3@40                      | -1   | 1 2 3",
            "swap put back             | 1@0 3@20 2@25 4@40                 | -1   | 1 2 3 4",
            "three reversed            | 10@0 13@5 12@6 11@7                | -1   | 10 11 12 13",
            "gap expires on next pkt   | 1@0 3@20 4@130                     | -1   | 1 L1 3 4",
            "gap expires on tick       | 1@0 3@20                           | 120  | 1 L1 3",
            "gap not yet expired       | 1@0 3@20                           | 100  | 1",
            "late after loss discarded | 1@0 3@20 4@130 2@140               | -1   | 1 L1 3 4 D2",
            "duplicate in order        | 1@0 2@1 2@2                        | -1   | 1 2 D2",
            "duplicate held            | 1@0 3@1 3@2 2@3                    | -1   | 1 D3 2 3",
            "window overflow (N)       | 1@0 3@1 4@2 5@3 6@4 7@5 8@6 9@7 10@8 11@9 | -1 | 1 L1 3 4 5 6 7 8 9 10 11",
            "two gaps, one expires     | 1@0 3@10 6@50 2@60                 | 200  | 1 2 3 L2 6",
            "wrap 65535 -> 0           | 65534@0 0@10 65535@11 1@12         | -1   | 65534 65535 0 1",
            "loss across wrap          | 65535@0 1@10                       | 150  | 65535 L1 1",
            "big jump resyncs          | 1@0 2@1 500@2                      | -1   | 1 2 L497 500",
            "first packet sets start   | 100@0 99@1                         | -1   | 100 D99",
    })
    void reorderAndLossTable(String name, String arrivals, long tickMillis, String expected) throws IOException {
        Log log = new Log();
        JitterBuffer jb = new JitterBuffer(8, 100_000_000L, log);
        for (String a : arrivals.trim().split("\\s+")) {
            String[] sm = a.split("@");
            jb.insert(packet(Integer.parseInt(sm[0]), Long.parseLong(sm[1])));
        }
        if (tickMillis >= 0) {
            jb.expire(tickMillis * 1_000_000L);
        }
        assertThat(String.join(" ", log.events)).isEqualTo(expected.trim());
    }

    @Test
    void flushReleasesEverythingHeldDeclaringGapsLost() throws IOException {
        Log log = new Log();
        JitterBuffer jb = new JitterBuffer(16, 100_000_000L, log);
        for (int seq : new int[] {1, 3, 4, 7}) {
            jb.insert(packet(seq, 0));
        }
        assertThat(jb.held()).isEqualTo(3);
        jb.flush();
        assertThat(log.events).containsExactly("1", "L1", "3", "4", "L2", "7");
        assertThat(jb.held()).isZero();
    }
}
