package org.medibridge.sdp;

import java.util.Objects;

/** {@code c=<nettype> <addrtype> <connection-address>}, RFC 8866 §5.7. */
public record Connection(String netType, String addrType, String address) {
    /** The dummy connection line JSEP writes for ICE (RFC 8829 §5.2.1). */
    public static final Connection IN_IP4_ANY = new Connection("IN", "IP4", "0.0.0.0");

    public Connection {
        Objects.requireNonNull(netType, "netType");
        Objects.requireNonNull(addrType, "addrType");
        Objects.requireNonNull(address, "address");
    }
}
