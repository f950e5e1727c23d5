package org.medibridge.sdp;

import java.util.List;
import java.util.Objects;

/** {@code a=ssrc-group:<semantics> <ssrc-id> ...}, RFC 5576 §4.2 (FID for RTX, SIM for simulcast). */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        Objects.requireNonNull(semantics, "semantics");
        ssrcs = List.copyOf(ssrcs);
    }
}
