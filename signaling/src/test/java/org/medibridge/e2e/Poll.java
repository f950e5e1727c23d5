package org.medibridge.e2e;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polling with a deadline; the failure message shows the last value seen. */
final class Poll {
    private Poll() {
    }

    static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        return until(what, timeout, Duration.ofMillis(200), probe, done);
    }

    static <T> T until(String what, Duration timeout, Duration interval, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError err = new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + "; last value: " + show(last));
                if (lastError != null) {
                    err.initCause(lastError);
                }
                throw err;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String show(Object value) {
        if (value instanceof long[] longs) {
            return java.util.Arrays.toString(longs);
        }
        if (value instanceof Object[] objects) {
            return java.util.Arrays.deepToString(objects);
        }
        return String.valueOf(value);
    }
}
