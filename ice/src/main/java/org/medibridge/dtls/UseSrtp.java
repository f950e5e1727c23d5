package org.medibridge.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.medibridge.srtp.SrtpProfile;

/**
 * The use_srtp extension (RFC 5764 §4.1.1): the client lists protection profiles, the server
 * answers with exactly one. We prefer AEAD_AES_128_GCM (cheapest per packet, see stack facts),
 * then AES_CM_128_HMAC_SHA1_80 (what every browser supports), and take AEAD_AES_256_GCM only
 * when nothing else is offered. We send no MKI and ignore the peer's (RFC 5764 §4.1.2 lets the
 * server answer with an empty srtp_mki).
 */
final class UseSrtp {
    static final SrtpProfile[] PREFERENCE = {
            SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_256_GCM};

    private UseSrtp() {
    }

    /** Client side: adds our offer, in preference order. */
    static void offer(Hashtable<Integer, byte[]> clientExtensions) throws IOException {
        int[] ids = new int[PREFERENCE.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = PREFERENCE[i].id;
        }
        TlsSRTPUtils.addUseSRTPExtension(clientExtensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
    }

    /**
     * Server side: picks our most preferred profile among the client's.
     * RFC 5764 §4.1.3: "If the server is unwilling or unable to negotiate ... it MUST abort."
     */
    static SrtpProfile select(Hashtable<?, ?> clientExtensions) throws IOException {
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        for (SrtpProfile p : PREFERENCE) {
            for (int id : offered.getProtectionProfiles()) {
                if (id == p.id) {
                    return p;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
    }

    /** Server side: the answer carrying the selected profile. */
    static void answer(Hashtable<Integer, byte[]> serverExtensions, SrtpProfile selected) throws IOException {
        TlsSRTPUtils.addUseSRTPExtension(serverExtensions,
                new UseSRTPData(new int[] {selected.id}, TlsUtils.EMPTY_BYTES));
    }

    /**
     * Client side: reads the server's choice. RFC 5764 §4.1.1: the server's list MUST contain a
     * single profile that the client offered.
     */
    static SrtpProfile selected(Hashtable<?, ?> serverExtensions) throws IOException {
        UseSRTPData answer = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (answer == null || answer.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server must select exactly one SRTP profile");
        }
        int id = answer.getProtectionProfiles()[0];
        for (SrtpProfile p : PREFERENCE) {
            if (p.id == id) {
                return p;
            }
        }
        throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server selected a profile we did not offer: " + id);
    }
}
