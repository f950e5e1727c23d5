package org.medibridge.signaling.negotiation;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Text edits of captured SDP for negative tests. */
final class SdpEdits {
    private SdpEdits() {
    }

    /** Removes every line that starts with the prefix. */
    static String withoutLines(String sdp, String prefix) {
        String out = Arrays.stream(sdp.split("\r\n")).filter(l -> !l.startsWith(prefix))
                .collect(Collectors.joining("\r\n", "", "\r\n"));
        if (out.equals(sdp)) {
            throw new IllegalArgumentException("no line starts with " + prefix);
        }
        return out;
    }

    /** Replaces every occurrence, failing when there is none (so a test cannot silently test nothing). */
    static String replace(String sdp, String from, String to) {
        if (!sdp.contains(from)) {
            throw new IllegalArgumentException("no " + from + " in the SDP");
        }
        return sdp.replace(from, to);
    }
}
