package org.medibridge.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyframeRequesterTest {
    @Test
    void requestsAtMostOncePer500Millis() {
        AtomicLong now = new AtomicLong(-5);  // any start, even negative nanoTime
        AtomicInteger sent = new AtomicInteger();
        RecorderCounters counters = new RecorderCounters();
        KeyframeRequester k = new KeyframeRequester(sent::incrementAndGet, now::get, counters);
        long[] times = {0, 100, 499, 500, 501, 999, 1000, 1600};
        boolean[] expectSent = {true, false, false, true, false, false, true, true};
        for (int i = 0; i < times.length; i++) {
            now.set(-5 + times[i] * 1_000_000L);
            int before = sent.get();
            k.request();
            assertThat(sent.get() - before).as("request at %d ms", times[i]).isEqualTo(expectSent[i] ? 1 : 0);
        }
        assertThat(counters.keyframeRequests.get()).isEqualTo(4);
    }
}
