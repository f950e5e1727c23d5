package org.medibridge.sdp;

import java.util.Objects;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<extensionattributes>]}, RFC 8285 §5.
 *
 * @param direction  null when the line has none
 * @param attributes null when the line has none
 */
public record ExtMap(int id, Direction direction, String uri, String attributes) {
    public ExtMap {
        Objects.requireNonNull(uri, "uri");
    }

    public ExtMap(int id, String uri) {
        this(id, null, uri, null);
    }
}
