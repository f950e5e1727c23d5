package org.medibridge.sdp;

import java.util.Objects;

/**
 * {@code a=ssrc:<ssrc-id> <attribute>[:<value>]}, RFC 5576 §4.1 (cname, msid, ...).
 *
 * @param value null for a property attribute without a value
 */
public record SsrcAttribute(long ssrc, String name, String value) {
    public SsrcAttribute {
        Objects.requireNonNull(name, "name");
    }
}
