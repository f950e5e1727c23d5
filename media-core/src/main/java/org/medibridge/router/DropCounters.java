package org.medibridge.router;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** One counter per {@link DropReason}. Incremented on the media threads, read by metrics. */
public final class DropCounters {
    private final AtomicLongArray counts = new AtomicLongArray(DropReason.values().length);
    /** Totals this counter also adds to (an endpoint's drops also count for its worker), or null. */
    private final DropCounters parent;

    public DropCounters() {
        this(null);
    }

    public DropCounters(DropCounters parent) {
        this.parent = parent;
    }

    public void count(DropReason reason) {
        counts.incrementAndGet(reason.ordinal());
        if (parent != null) {
            parent.count(reason);
        }
    }

    public long get(DropReason reason) {
        return counts.get(reason.ordinal());
    }

    public long total() {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** Non-zero counters, for logs and metrics. */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (int i = 0; i < counts.length(); i++) {
            long v = counts.get(i);
            if (v != 0) {
                m.put(DropReason.of(i), v);
            }
        }
        return m;
    }
}
