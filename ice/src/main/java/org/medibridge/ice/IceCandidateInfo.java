package org.medibridge.ice;

import java.util.Locale;

/**
 * One ICE candidate as SDP carries it (RFC 8839 §5.1):
 *
 * <pre>
 * candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
 *                       connection-address SP port SP cand-type [SP rel-addr] [SP rel-port]
 *                       *(SP cand-extension)
 * cand-type           = "typ" SP ("host" / "srflx" / "prflx" / "relay" / token)
 * </pre>
 *
 * @param transport lower-case, e.g. "udp"
 * @param type e.g. "host"
 */
public record IceCandidateInfo(String foundation, int component, String transport, long priority,
                               String address, int port, String type) {

    /** The attribute value, {@code candidate:...} (prefix with {@code a=} for an SDP line). */
    public String toSdpAttribute() {
        return "candidate:" + foundation + ' ' + component + ' ' + transport + ' ' + priority + ' '
                + address + ' ' + port + " typ " + type;
    }

    /**
     * Parses {@code candidate:...}, with or without the {@code a=} / {@code candidate:} prefix.
     * Extensions (raddr, rport, generation, ufrag, network-cost, tcptype...) are ignored.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IceCandidateInfo parse(String attribute) {
        if (attribute == null) {
            throw new IllegalArgumentException("ICE candidate is null");
        }
        String s = attribute.trim();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (s.startsWith("candidate:")) {
            s = s.substring("candidate:".length());
        }
        String[] f = s.split("\\s+");
        if (f.length < 8) {
            throw new IllegalArgumentException("ICE candidate has " + f.length + " fields, need at least 8: " + attribute);
        }
        if (!f[6].equals("typ")) {
            throw new IllegalArgumentException("ICE candidate lacks 'typ' at field 7: " + attribute);
        }
        int component = parseInt(f[1], "component id", 1, 256, attribute);
        long priority = parseLong(f[3], "priority", 1, 0xFFFF_FFFFL, attribute);
        int port = parseInt(f[5], "port", 0, 65535, attribute);
        return new IceCandidateInfo(f[0], component, f[2].toLowerCase(Locale.ROOT), priority, f[4], port,
                f[7].toLowerCase(Locale.ROOT));
    }

    private static int parseInt(String v, String what, int min, int max, String attribute) {
        return (int) parseLong(v, what, min, max, attribute);
    }

    private static long parseLong(String v, String what, long min, long max, String attribute) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ICE candidate " + what + " '" + v + "' is not a number: " + attribute);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("ICE candidate " + what + " " + n + " out of range: " + attribute);
        }
        return n;
    }
}
