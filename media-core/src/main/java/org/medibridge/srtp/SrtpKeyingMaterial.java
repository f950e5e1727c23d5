package org.medibridge.srtp;

import java.util.Arrays;

/**
 * Keys exported from a DTLS-SRTP handshake (RFC 5764 §4.2): the block exported with label
 * {@code EXTRACTOR-dtls_srtp} is client key | server key | client salt | server salt.
 *
 * @param profile the negotiated protection profile
 * @param weAreClient whether this end was the DTLS client (then it sends with the client key)
 */
public record SrtpKeyingMaterial(SrtpProfile profile, boolean weAreClient,
                                 byte[] clientKey, byte[] clientSalt,
                                 byte[] serverKey, byte[] serverSalt) {

    /** Splits the exported block into its four parts. */
    public static SrtpKeyingMaterial fromExportedBlock(SrtpProfile profile, boolean weAreClient, byte[] block) {
        int k = profile.keyLength;
        int s = profile.saltLength;
        if (block.length != 2 * (k + s)) {
            throw new IllegalArgumentException("keying block has " + block.length + " bytes, expected " + 2 * (k + s));
        }
        return new SrtpKeyingMaterial(profile, weAreClient,
                Arrays.copyOfRange(block, 0, k),
                Arrays.copyOfRange(block, 2 * k, 2 * k + s),
                Arrays.copyOfRange(block, k, 2 * k),
                Arrays.copyOfRange(block, 2 * k + s, 2 * (k + s)));
    }

    public byte[] localKey() { return weAreClient ? clientKey : serverKey; }
    public byte[] localSalt() { return weAreClient ? clientSalt : serverSalt; }
    public byte[] remoteKey() { return weAreClient ? serverKey : clientKey; }
    public byte[] remoteSalt() { return weAreClient ? serverSalt : clientSalt; }

    /** Never print keys. */
    @Override public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", weAreClient=" + weAreClient + "]";
    }
}
