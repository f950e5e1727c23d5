package org.medibridge.srtp;

import java.security.GeneralSecurityException;
import java.util.logging.Level;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;
import org.medibridge.buffer.PacketBuffer;
import org.medibridge.rtp.Bytes;

/**
 * SRTP (RFC 3711) for one DTLS-SRTP association: protects what we send with our half of the
 * keying material and unprotects what we receive with the remote half. Every method transforms
 * a {@link PacketBuffer} in place; protect needs tailroom for the tag (and the SRTCP index).
 *
 * <h2>Per-SSRC contexts</h2>
 * jitsi-srtp keeps the rollover counter and replay window per SSRC. A receive context for an
 * unseen SSRC is derived on demand but cached only once a packet authenticates, so forged packets
 * with random SSRCs cannot fill the cache; the cache is bounded ({@code maxSsrcs}) and packets
 * for further SSRCs are refused with {@link SrtpResult#FAILED} and counted.
 * The send side has replay checking off: retransmissions legitimately reuse a sequence number.
 *
 * <h2>Threads</h2>
 * Not thread-safe: one thread (the one owning the transport) uses a session. Call
 * {@link SrtpCrypto#initialize()} at start-up, before the first session is used.
 * Keys are never logged; {@link #toString()} prints the profile only.
 */
public final class SrtpSession {
    public static final int DEFAULT_MAX_SSRCS = 64;

    /**
     * jitsi-srtp logs a SEVERE line per replayed packet; drops are counted by the caller from
     * {@link SrtpResult}, so its per-context loggers are silenced at the source.
     */
    private static final Logger QUIET = new LoggerImpl(SrtpSession.class.getName(), Level.OFF);

    private final SrtpProfile profile;
    private final SrtpContextFactory sendFactory;
    private final SrtpContextFactory receiveFactory;
    private final SsrcTable<SrtpCryptoContext> sendRtp;
    private final SsrcTable<SrtcpCryptoContext> sendRtcp;
    private final SsrcTable<SrtpCryptoContext> receiveRtp;
    private final SsrcTable<SrtcpCryptoContext> receiveRtcp;

    // A receive context derived for an unknown SSRC whose packet failed; reused if the next
    // unknown packet has the same SSRC, so a burst of bad packets costs one key derivation.
    private int pendingRtpSsrc;
    private SrtpCryptoContext pendingRtp;
    private int pendingRtcpSsrc;
    private SrtcpCryptoContext pendingRtcp;

    private long ssrcLimitRejections;

    public SrtpSession(SrtpKeyingMaterial keys) {
        this(keys, DEFAULT_MAX_SSRCS);
    }

    public SrtpSession(SrtpKeyingMaterial keys, int maxSsrcs) {
        this.profile = keys.profile();
        this.sendFactory = new SrtpContextFactory(true, keys.localKey(), keys.localSalt(),
                SrtpPolicies.create(profile, false), SrtpPolicies.create(profile, false), QUIET);
        this.receiveFactory = new SrtpContextFactory(false, keys.remoteKey(), keys.remoteSalt(),
                SrtpPolicies.create(profile, true), SrtpPolicies.create(profile, true), QUIET);
        this.sendRtp = new SsrcTable<>(maxSsrcs);
        this.sendRtcp = new SsrcTable<>(maxSsrcs);
        this.receiveRtp = new SsrcTable<>(maxSsrcs);
        this.receiveRtcp = new SsrcTable<>(maxSsrcs);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Packets refused because their SSRC would exceed the per-session bound. */
    public long ssrcLimitRejections() {
        return ssrcLimitRejections;
    }

    /** Decrypts and authenticates an SRTP packet in place; on OK the tag is stripped. */
    public SrtpResult unprotectRtp(PacketBuffer p) {
        if (p.getLength() < 12 + profile.tagLength) {
            return SrtpResult.INVALID;
        }
        int ssrc = (int) Bytes.readUint32(p.getBuffer(), p.getOffset() + 8);
        try {
            SrtpCryptoContext ctx = receiveRtp.get(ssrc);
            if (ctx != null) {
                return SrtpResult.of(ctx.reverseTransformPacket(p, false));
            }
            if (receiveRtp.isFull()) {
                ssrcLimitRejections++;
                return SrtpResult.FAILED;
            }
            if (pendingRtp == null || pendingRtpSsrc != ssrc) {
                pendingRtp = receiveFactory.deriveContext(ssrc, 0);
                pendingRtpSsrc = ssrc;
            }
            SrtpErrorStatus status = pendingRtp.reverseTransformPacket(p, false);
            if (status == SrtpErrorStatus.OK) {
                receiveRtp.add(ssrc, pendingRtp);
                pendingRtp = null;
            }
            return SrtpResult.of(status);
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpResult.FAILED;
        }
    }

    /** Encrypts and appends the tag in place. */
    public SrtpResult protectRtp(PacketBuffer p) {
        if (p.getLength() < 12) {
            return SrtpResult.INVALID;
        }
        int ssrc = (int) Bytes.readUint32(p.getBuffer(), p.getOffset() + 8);
        try {
            SrtpCryptoContext ctx = sendRtp.get(ssrc);
            if (ctx == null) {
                if (sendRtp.isFull()) {
                    ssrcLimitRejections++;
                    return SrtpResult.FAILED;
                }
                ctx = sendFactory.deriveContext(ssrc, 0);
                sendRtp.add(ssrc, ctx);
            }
            return SrtpResult.of(ctx.transformPacket(p));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpResult.FAILED;
        }
    }

    /** Decrypts and authenticates an SRTCP packet in place; on OK the index and tag are stripped. */
    public SrtpResult unprotectRtcp(PacketBuffer p) {
        if (p.getLength() < 8 + 4 + profile.tagLength) {
            return SrtpResult.INVALID;
        }
        int ssrc = (int) Bytes.readUint32(p.getBuffer(), p.getOffset() + 4);
        try {
            SrtcpCryptoContext ctx = receiveRtcp.get(ssrc);
            if (ctx != null) {
                return SrtpResult.of(ctx.reverseTransformPacket(p));
            }
            if (receiveRtcp.isFull()) {
                ssrcLimitRejections++;
                return SrtpResult.FAILED;
            }
            if (pendingRtcp == null || pendingRtcpSsrc != ssrc) {
                pendingRtcp = receiveFactory.deriveControlContext(ssrc);
                pendingRtcpSsrc = ssrc;
            }
            SrtpErrorStatus status = pendingRtcp.reverseTransformPacket(p);
            if (status == SrtpErrorStatus.OK) {
                receiveRtcp.add(ssrc, pendingRtcp);
                pendingRtcp = null;
            }
            return SrtpResult.of(status);
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpResult.FAILED;
        }
    }

    /** Encrypts, appends the SRTCP index and the tag in place. */
    public SrtpResult protectRtcp(PacketBuffer p) {
        if (p.getLength() < 8) {
            return SrtpResult.INVALID;
        }
        int ssrc = (int) Bytes.readUint32(p.getBuffer(), p.getOffset() + 4);
        try {
            SrtcpCryptoContext ctx = sendRtcp.get(ssrc);
            if (ctx == null) {
                if (sendRtcp.isFull()) {
                    ssrcLimitRejections++;
                    return SrtpResult.FAILED;
                }
                ctx = sendFactory.deriveControlContext(ssrc);
                sendRtcp.add(ssrc, ctx);
            }
            return SrtpResult.of(ctx.transformPacket(p));
        } catch (GeneralSecurityException | RuntimeException e) {
            return SrtpResult.FAILED;
        }
    }

    /** Releases the key derivation state; the session must not be used afterwards. */
    public void close() {
        sendFactory.close();
        receiveFactory.close();
    }

    @Override
    public String toString() {
        return "SrtpSession[" + profile + "]";
    }
}
