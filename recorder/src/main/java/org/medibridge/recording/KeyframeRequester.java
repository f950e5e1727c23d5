package org.medibridge.recording;

import java.util.function.LongSupplier;

/**
 * Asks the publisher for a key frame at most once per {@link #MIN_INTERVAL_NANOS}; a request
 * inside the interval is dropped (the assembler asks again on every frame it still cannot use,
 * so nothing is lost by dropping). Called on the writer thread.
 */
final class KeyframeRequester {
    static final long MIN_INTERVAL_NANOS = 500_000_000L;

    private final Runnable request;
    private final LongSupplier nanoClock;
    private final RecorderCounters counters;
    private boolean sentOnce;
    private long lastNanos;

    KeyframeRequester(Runnable request, LongSupplier nanoClock, RecorderCounters counters) {
        this.request = request;
        this.nanoClock = nanoClock;
        this.counters = counters;
    }

    void request() {
        long now = nanoClock.getAsLong();
        if (sentOnce && now - lastNanos < MIN_INTERVAL_NANOS) {
            return;
        }
        sentOnce = true;
        lastNanos = now;
        counters.keyframeRequests.incrementAndGet();
        request.run();
    }
}
