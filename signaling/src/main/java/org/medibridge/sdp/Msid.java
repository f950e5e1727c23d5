package org.medibridge.sdp;

import java.util.Objects;

/**
 * {@code a=msid:<stream id> [<track id>]}, RFC 8830 §2; a stream id of "-" means "no stream".
 *
 * @param trackId null when absent
 */
public record Msid(String streamId, String trackId) {
    public Msid {
        Objects.requireNonNull(streamId, "streamId");
    }
}
