package org.medibridge.ice;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** One lock-free counter per drop reason. */
final class DropCounters<E extends Enum<E>> {
    private final Class<E> type;
    private final AtomicLongArray counts;

    DropCounters(Class<E> type) {
        this.type = type;
        this.counts = new AtomicLongArray(type.getEnumConstants().length);
    }

    void count(E reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    long get(E reason) {
        return counts.get(reason.ordinal());
    }

    Map<E, Long> snapshot() {
        Map<E, Long> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, counts.get(e.ordinal()));
        }
        return m;
    }
}
