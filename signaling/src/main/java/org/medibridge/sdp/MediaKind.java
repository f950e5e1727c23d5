package org.medibridge.sdp;

import java.util.Optional;

/** The {@code <media>} token of an {@code m=} line (RFC 8866 §5.14) that WebRTC uses. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video"),
    APPLICATION("application");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    /** The token as written in SDP. */
    public String sdpName() {
        return sdpName;
    }

    /** The kind for an {@code m=} token; empty for media types WebRTC does not use ("text", "message"). */
    public static Optional<MediaKind> fromSdp(String token) {
        for (MediaKind k : values()) {
            if (k.sdpName.equals(token)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
