package org.medibridge.sdp;

import java.util.Objects;

/**
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}, RFC 8866 §5.2.
 * The session id is kept as its digit string: browsers use the full unsigned 64-bit range.
 */
public record Origin(String username, String sessionId, long sessionVersion, String netType, String addrType,
                     String address) {
    public Origin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(netType, "netType");
        Objects.requireNonNull(addrType, "addrType");
        Objects.requireNonNull(address, "address");
    }
}
