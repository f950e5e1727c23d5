package org.medibridge.sdp;

import java.util.Objects;

/**
 * An attribute the model has no field for, kept so that it survives a round trip.
 *
 * @param value null for a property attribute ({@code a=name}), else the text after the first ':'
 */
public record Attribute(String name, String value) {
    public Attribute {
        Objects.requireNonNull(name, "name");
    }
}
