package org.medibridge.srtp;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.medibridge.buffer.PacketBuffer;

/**
 * Process-wide set-up of jitsi-srtp. Call {@link #initialize()} once at start-up, on a start-up
 * thread: the first use of each cipher makes jitsi-srtp benchmark its AES providers for 1–3 s
 * while holding a global lock, which must never happen on a packet thread.
 */
public final class SrtpCrypto {
    /**
     * Held strongly: java.util.logging keeps loggers by weak reference, and a collected logger
     * would lose the level set here.
     */
    private static final Logger JITSI_SRTP_LOGGER = Logger.getLogger("org.jitsi.srtp");
    private static boolean initialized;

    private SrtpCrypto() {
    }

    /** Idempotent: forces SunJCE, quiets jitsi-srtp's logging and pre-warms every profile. */
    public static synchronized void initialize() {
        if (initialized) {
            return;
        }
        // jitsi-srtp's own loggers (the provider benchmark logs at INFO); per-packet contexts
        // get a silent logger from SrtpSession.
        JITSI_SRTP_LOGGER.setLevel(Level.WARNING);
        // The JDK provider: BouncyCastle was 8-15x slower here, and the OpenSSL path was never
        // faster and slower for audio-sized packets (docs: stack-facts.md).
        org.jitsi.srtp.crypto.Aes.setFactoryClassName("SunJCE");
        for (SrtpProfile profile : SrtpProfile.values()) {
            warm(profile);
        }
        initialized = true;
    }

    /** Protects and unprotects one dummy RTP and RTCP packet, creating every cipher once. */
    private static void warm(SrtpProfile profile) {
        byte[] zeroKey = new byte[profile.keyLength];
        byte[] zeroSalt = new byte[profile.saltLength];
        SrtpKeyingMaterial keys = new SrtpKeyingMaterial(profile, true, zeroKey, zeroSalt, zeroKey, zeroSalt);
        SrtpSession a = new SrtpSession(keys, 1);
        SrtpSession b = new SrtpSession(new SrtpKeyingMaterial(profile, false, zeroKey, zeroSalt, zeroKey, zeroSalt), 1);
        byte[] bytes = new byte[256];
        bytes[0] = (byte) 0x80;  // RTP version 2, PT 0, seq 0, SSRC 0
        PacketBuffer rtp = PacketBuffer.wrap(bytes, 0, 12 + 100);
        check(a.protectRtp(rtp), profile);
        check(b.unprotectRtp(rtp), profile);
        byte[] rtcpBytes = new byte[64];
        int n = org.medibridge.rtcp.ReceiverReport.write(rtcpBytes, 0, 1L);
        PacketBuffer rtcp = PacketBuffer.wrap(rtcpBytes, 0, n);
        check(a.protectRtcp(rtcp), profile);
        check(b.unprotectRtcp(rtcp), profile);
        a.close();
        b.close();
    }

    private static void check(SrtpResult result, SrtpProfile profile) {
        if (result != SrtpResult.OK) {
            throw new IllegalStateException("SRTP self-test failed for " + profile + ": " + result);
        }
    }
}
