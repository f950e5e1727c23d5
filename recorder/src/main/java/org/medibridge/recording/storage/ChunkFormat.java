package org.medibridge.recording.storage;

import java.nio.charset.StandardCharsets;

/**
 * The encrypted recording format, version 1: AES-256-GCM (NIST SP 800-38D) over fixed-size chunks,
 * every chunk with its own random 96-bit nonce and 128-bit tag. All integers big-endian.
 *
 * <pre>
 * File header, 36 bytes, written once at creation
 *    0   8  magic "MBRECENC"
 *    8   1  version 1
 *    9   1  cipher 1 = AES-256-GCM
 *   10   2  reserved, 0
 *   12   4  header chunk plaintext size H = 4096 (RecordingOutput.HEADER_REGION)
 *   16   4  data chunk plaintext size D = 65536
 *   20  16  file id, random
 *
 * Chunk 0 (the plaintext header region [0, H)), two fixed slots A and B of 8+4+12+H+16 bytes:
 *    0   8  generation g (1, 2, 3, ...; 0 = slot never written), written to slot g % 2
 *    8   4  plaintext length n (0..H; less than H only while the recording is shorter than H)
 *   12  12  nonce
 *   24  n   ciphertext
 *   24+n 16 tag, then zeros to the end of the slot
 *
 * Chunk k >= 1 (plaintext [H + (k-1)D, H + kD)), at 36 + 2 * slot + (k-1) * (12 + D + 16):
 *    0  12  nonce
 *   12   m  ciphertext, m = D except for the last chunk
 *   12+m 16 tag
 *
 * AAD of every chunk = file header (36 bytes) | chunk index k (8) | final flag (1) | generation (8, 0 for k >= 1)
 * </pre>
 *
 * Why: chunk 0 is rewritten whenever the WebM head is patched; alternating two slots means a rewrite
 * cut by a crash leaves the previous generation intact, and a fresh nonce is drawn for every write so
 * a (key, nonce) pair is never used twice. The index in the AAD stops reordering and dropping chunks;
 * the file id stops splicing chunks of another recording made with the same key; the final flag makes
 * a clean end distinguishable from a cut: the last chunk written by close() carries final = 1 (it may
 * be empty), every other write final = 0. A file cut by a crash therefore decrypts up to its last
 * complete chunk and is reported "not finalized". The partial last data chunk is rewritten in place
 * (fresh nonce) by each flush; a crash in the middle of that very write can lose that chunk (at most
 * D bytes of flushed data).
 *
 * <p>Nonces are random (SP 800-38D §8.2.2), so one key must stay below 2^32 chunk writes: a 1 GB
 * recording is about 16,000 chunks plus one rewrite per flush.
 */
final class ChunkFormat {
    static final byte[] MAGIC = "MBRECENC".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int CIPHER_AES_256_GCM = 1;
    static final int FILE_HEADER = 36;
    static final int HEADER_CHUNK = RecordingOutput.HEADER_REGION;
    static final int DATA_CHUNK = 64 * 1024;
    static final int NONCE = 12;
    static final int TAG = 16;
    static final int TAG_BITS = 128;
    static final int SLOT = 8 + 4 + NONCE + HEADER_CHUNK + TAG;
    static final long DATA_START = FILE_HEADER + 2L * SLOT;
    static final int AAD = FILE_HEADER + 8 + 1 + 8;

    private ChunkFormat() { }

    static long dataChunkOffset(long index) {
        return DATA_START + (index - 1) * (NONCE + (long) DATA_CHUNK + TAG);
    }

    static long slotOffset(long generation) {
        return FILE_HEADER + (generation % 2) * SLOT;
    }

    static byte[] aad(byte[] fileHeader, long index, boolean last, long generation) {
        byte[] a = new byte[AAD];
        System.arraycopy(fileHeader, 0, a, 0, FILE_HEADER);
        putLong(a, FILE_HEADER, index);
        a[FILE_HEADER + 8] = (byte) (last ? 1 : 0);
        putLong(a, FILE_HEADER + 9, generation);
        return a;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
