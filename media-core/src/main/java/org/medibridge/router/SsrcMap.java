package org.medibridge.router;

import java.util.ArrayList;
import java.util.List;

/**
 * An open-addressing map from a 32-bit SSRC to a value, looked up on every packet without
 * allocating (no boxing). Single-threaded: it belongs to the room's worker.
 */
final class SsrcMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;

    SsrcMap() {
        keys = new long[16];
        values = new Object[16];
    }

    @SuppressWarnings("unchecked")
    V get(long ssrc) {
        int mask = keys.length - 1;
        for (int i = hash(ssrc) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                return (V) v;
            }
        }
    }

    void put(long ssrc, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if ((size + 1) * 2 > keys.length) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        for (int i = hash(ssrc) & mask; ; i = (i + 1) & mask) {
            if (values[i] == null) {
                keys[i] = ssrc;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i] == ssrc) {
                values[i] = value;
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    V remove(long ssrc) {
        V old = get(ssrc);
        if (old == null) {
            return null;
        }
        // Rebuild without the key: removals are rare (a track ends), lookups are per packet.
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length];
        values = new Object[oldValues.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null && oldKeys[i] != ssrc) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
        return old;
    }

    int size() {
        return size;
    }

    /**
     * The first value (in table order) that {@code p} accepts, or null. Allocation-free when
     * {@code p} captures nothing (a static method reference), unlike {@link #values()}.
     */
    @SuppressWarnings("unchecked")
    V find(java.util.function.Predicate<V> p) {
        for (Object v : values) {
            if (v != null && p.test((V) v)) {
                return (V) v;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> list = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                list.add((V) v);
            }
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    private void resize(int capacity) {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }

    private static int hash(long ssrc) {
        long h = ssrc * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
