package org.medibridge.sdp;

import java.util.Objects;

/**
 * {@code a=rid:<rid-id> <send|recv> [<rid-params>]}, RFC 8851 §10.
 *
 * @param direction "send" or "recv"
 * @param params    the raw parameter list ("pt=96;max-width=1280"), null when absent
 */
public record Rid(String id, String direction, String params) {
    public Rid {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
    }
}
