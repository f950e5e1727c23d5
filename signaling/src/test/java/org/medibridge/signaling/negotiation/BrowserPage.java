package org.medibridge.signaling.negotiation;

/** A browser page with {@code sdp/browser/harness.js} loaded; calls one of its {@code mb.*} functions. */
interface BrowserPage extends AutoCloseable {

    /** The outcome of one call: the returned string, or the browser's error text. */
    record Result(boolean ok, String value) {
        String orThrow() {
            if (!ok) {
                throw new AssertionError("browser call failed: " + value);
            }
            return value;
        }
    }

    Result call(String function, String... args) throws Exception;

    @Override
    void close();
}
