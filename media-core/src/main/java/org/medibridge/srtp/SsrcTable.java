package org.medibridge.srtp;

/**
 * A small bounded map from SSRC to a crypto context. A linear scan over an int[] beats hashing
 * at these sizes (a session carries a handful of SSRCs) and, unlike a HashMap keyed by Long,
 * allocates nothing per lookup. The last hit is checked first: packets come in runs per SSRC.
 */
final class SsrcTable<T> {
    private final int[] keys;
    private final Object[] values;
    private int size;
    private int last = -1;

    SsrcTable(int capacity) {
        keys = new int[capacity];
        values = new Object[capacity];
    }

    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        if (last >= 0 && keys[last] == ssrc) {
            return (T) values[last];
        }
        for (int i = 0; i < size; i++) {
            if (keys[i] == ssrc) {
                last = i;
                return (T) values[i];
            }
        }
        return null;
    }

    /** Adds a mapping for an SSRC not yet present; false when the table is full. */
    boolean add(int ssrc, T value) {
        if (size == keys.length) {
            return false;
        }
        keys[size] = ssrc;
        values[size] = value;
        last = size++;
        return true;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == keys.length;
    }
}
