package org.medibridge.benchmarks;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JDK (SunJCE) calls under jitsi-srtp, one per benchmark, to show with {@code -prof gc}
 * where SRTP's per-packet allocation comes from and what an allocation-free SRTP could be built
 * on (docs/PERFORMANCE-jmh-results.md):
 * <ul>
 *   <li>{@code ctrInitAndDoFinalInPlace}: what jitsi-srtp's AES-CM does per packet — a new
 *       {@link IvParameterSpec}, {@code Cipher.init}, {@code doFinal} in place (SunJCE copies
 *       the overlapping input);
 *   <li>{@code ctrInitAndDoFinalOutOfPlace}: the same into another buffer;
 *   <li>{@code ecbKeystream}: the AES-CM keystream for the packet as ECB over counter blocks,
 *       keyed once, no per-packet init (the XOR into the payload is not included);
 *   <li>{@code hmacSha1Mac}: {@link Mac#doFinal()} as jitsi-srtp calls it;
 *   <li>{@code hmacSha1Digest}: HMAC-SHA1 from {@link MessageDigest} with the pads precomputed,
 *       digesting into reused arrays;
 *   <li>{@code gcmEncryptInPlace} / {@code gcmEncryptOutOfPlace}: jitsi-srtp's AES-GCM per packet
 *       (a new {@link GCMParameterSpec} with a fresh IV, init, AAD, doFinal).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JcePrimitivesBenchmark {
    private static final int HEADER = 28;

    @Param({"100", "1200"})
    public int payload;

    private final byte[] buf = new byte[1500];
    private final byte[] out = new byte[1500];
    private final byte[] iv = new byte[16];
    private final byte[] gcmIv = new byte[12];
    private final byte[] counters = new byte[1504];
    private final byte[] keystream = new byte[1504];
    private final byte[] ipad = new byte[64];
    private final byte[] opad = new byte[64];
    private final byte[] inner = new byte[20];
    private final byte[] tag = new byte[20];
    private SecretKeySpec key;
    private Cipher ctr;
    private Cipher ecb;
    private Cipher gcm;
    private Mac mac;
    private MessageDigest sha1;
    private int packetIndex;

    @Setup
    public void setUp() throws GeneralSecurityException {
        key = new SecretKeySpec(new byte[16], "AES");
        ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
        ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
        ecb.init(Cipher.ENCRYPT_MODE, key);
        gcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        byte[] authKey = new byte[20];
        mac = Mac.getInstance("HmacSHA1", "SunJCE");
        mac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        sha1 = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < 64; i++) {
            byte k = i < authKey.length ? authKey[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
    }

    @Benchmark
    public int ctrInitAndDoFinalInPlace() throws GeneralSecurityException {
        ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        return ctr.doFinal(buf, HEADER, payload, buf, HEADER);
    }

    @Benchmark
    public int ctrInitAndDoFinalOutOfPlace() throws GeneralSecurityException {
        ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
        return ctr.doFinal(buf, HEADER, payload, out, HEADER);
    }

    @Benchmark
    public int ecbKeystream() throws GeneralSecurityException {
        int blocks = (payload + 15) / 16;
        for (int b = 0; b < blocks; b++) {
            counters[16 * b + 15] = (byte) b;  // the low bytes of the RFC 3711 §4.1.1 counter
        }
        return ecb.update(counters, 0, 16 * blocks, keystream, 0);
    }

    @Benchmark
    public byte[] hmacSha1Mac() {
        mac.update(buf, 0, HEADER + payload);
        return mac.doFinal();
    }

    @Benchmark
    public byte[] hmacSha1Digest() throws GeneralSecurityException {
        // RFC 2104: H(K ^ opad, H(K ^ ipad, text)).
        sha1.update(ipad);
        sha1.update(buf, 0, HEADER + payload);
        sha1.digest(inner, 0, 20);
        sha1.update(opad);
        sha1.update(inner);
        sha1.digest(tag, 0, 20);
        return tag;
    }

    private GCMParameterSpec nextGcmIv() {
        // A fresh IV per packet, as SRTP's packet index makes it (GCM refuses to reuse one).
        int i = ++packetIndex;
        gcmIv[8] = (byte) (i >> 24);
        gcmIv[9] = (byte) (i >> 16);
        gcmIv[10] = (byte) (i >> 8);
        gcmIv[11] = (byte) i;
        return new GCMParameterSpec(128, gcmIv);
    }

    @Benchmark
    public int gcmEncryptInPlace() throws GeneralSecurityException {
        gcm.init(Cipher.ENCRYPT_MODE, key, nextGcmIv());
        gcm.updateAAD(buf, 0, HEADER);
        return gcm.doFinal(buf, HEADER, payload, buf, HEADER);
    }

    @Benchmark
    public int gcmEncryptOutOfPlace() throws GeneralSecurityException {
        gcm.init(Cipher.ENCRYPT_MODE, key, nextGcmIv());
        gcm.updateAAD(buf, 0, HEADER);
        return gcm.doFinal(buf, HEADER, payload, out, HEADER);
    }
}
