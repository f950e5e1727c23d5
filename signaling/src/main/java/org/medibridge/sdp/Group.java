package org.medibridge.sdp;

import java.util.List;
import java.util.Objects;

/** {@code a=group:<semantics> <identification-tag> ...}, RFC 5888 §5 (BUNDLE: RFC 8843 §7). */
public record Group(String semantics, List<String> mids) {
    public static final String BUNDLE = "BUNDLE";

    public Group {
        Objects.requireNonNull(semantics, "semantics");
        mids = List.copyOf(mids);
    }
}
