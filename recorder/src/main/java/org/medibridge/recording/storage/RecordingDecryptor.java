package org.medibridge.recording.storage;

import static org.medibridge.recording.storage.ChunkFormat.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decrypts a file written by {@link EncryptedFileOutput} (format in {@link ChunkFormat}).
 *
 * <p>Strict by default: every chunk present must authenticate, in order, or the decryption fails with
 * an {@link IOException} naming the chunk and its offset, and nothing is left at {@code out}. The one
 * tolerated irregularity is a missing end: a file that stops on a chunk boundary without a final chunk
 * (the server died mid-recording) decrypts, with {@link Result#finalized()} false. Such a cut cannot be
 * told apart from someone deleting whole chunks at the end; that is inherent to streaming formats.
 * {@link #decrypt(Path, Path, byte[], boolean) Salvage mode} instead keeps every chunk up to the first
 * that fails (a file cut inside a chunk), accepts the older header slot when the newer one fails (a
 * header rewrite cut by a power loss), and reports what it dropped in {@link Result#warnings()}.
 */
public final class RecordingDecryptor {
    /**
     * @param bytes     plaintext bytes written to the output
     * @param chunks    chunks authenticated (chunk 0 included)
     * @param finalized whether the recording ended with its final chunk (closed cleanly)
     * @param warnings  what was tolerated: a superseded header slot that failed, bytes dropped in salvage mode
     */
    public record Result(long bytes, long chunks, boolean finalized, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private RecordingDecryptor() { }

    /** Strict decryption of {@code in} to {@code out} (which must not exist). */
    public static Result decrypt(Path in, Path out, byte[] key32) throws IOException {
        return decrypt(in, out, key32, false);
    }

    /**
     * @param salvage keep what authenticates up to the first failing chunk instead of failing
     */
    public static Result decrypt(Path in, Path out, byte[] key32, boolean salvage) throws IOException {
        if (key32 == null || key32.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        if (Files.exists(out)) {
            throw new IOException("output exists, not overwriting: " + out);
        }
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (FileChannel ch = FileChannel.open(in, StandardOpenOption.READ);
             OutputStream os = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW)) {
            Result r = new Run(ch, new SecretKeySpec(key32, "AES"), salvage, os).run();
            os.close();
            Files.move(partial, out);
            return r;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static final class Run {
        private final FileChannel ch;
        private final SecretKeySpec key;
        private final boolean salvage;
        private final OutputStream os;
        private final long fileLength;
        private final Cipher cipher;
        private final List<String> warnings = new ArrayList<>();
        private final byte[] plain = new byte[DATA_CHUNK];
        private byte[] fileHeader;
        private long bytes;
        private long chunks;

        Run(FileChannel ch, SecretKeySpec key, boolean salvage, OutputStream os) throws IOException {
            this.ch = ch;
            this.key = key;
            this.salvage = salvage;
            this.os = os;
            this.fileLength = ch.size();
            try {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM unavailable", e);
            }
        }

        Result run() throws IOException {
            readFileHeader();
            boolean dataFollows = fileLength > DATA_START;
            boolean finalized = readHeadChunk(!dataFollows);
            if (finalized) {
                return result(true);
            }
            for (long k = 1; ; k++) {
                long at = dataChunkOffset(k);
                long remaining = fileLength - at;
                if (remaining <= 0) {
                    return result(false);
                }
                int length = (int) Math.min(remaining, NONCE + DATA_CHUNK + TAG);
                boolean lastInFile = remaining == length;
                byte[] sealed = read(at, length);
                int n = -1;
                boolean isFinal = false;
                if (length >= NONCE + TAG) {
                    n = open(sealed, 0, length, aad(fileHeader, k, false, 0));
                    if (n < 0 && lastInFile) {
                        n = open(sealed, 0, length, aad(fileHeader, k, true, 0));
                        isFinal = n >= 0;
                    }
                }
                if (n < 0) {
                    String what = "chunk " + k + " at offset " + at + " (" + length + " bytes) failed authentication: "
                            + (lastInFile && length < NONCE + DATA_CHUNK + TAG
                                    ? "the file was cut inside this chunk, or modified"
                                    : "the file was modified, reordered, spliced or corrupted");
                    if (!salvage) {
                        throw new IOException(what);
                    }
                    warnings.add(what + "; dropped " + (fileLength - at) + " bytes from there on");
                    return result(false);
                }
                os.write(plain, 0, n);
                bytes += n;
                chunks++;
                if (isFinal) {
                    return result(true);
                }
                if (!lastInFile && n < DATA_CHUNK) {
                    throw new IOException("chunk " + k + " is short but not last");   // unreachable: sizes are positional
                }
            }
        }

        private Result result(boolean finalized) {
            if (!finalized) {
                warnings.add("the recording was not finalized (the writer stopped before closing it)");
            }
            return new Result(bytes, chunks, finalized, warnings);
        }

        private void readFileHeader() throws IOException {
            if (fileLength < FILE_HEADER) {
                throw new IOException("not a MediBridge encrypted recording: only " + fileLength + " bytes");
            }
            fileHeader = read(0, FILE_HEADER);
            if (!Arrays.equals(fileHeader, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new IOException("not a MediBridge encrypted recording (bad magic)");
            }
            if (fileHeader[8] != VERSION || fileHeader[9] != CIPHER_AES_256_GCM) {
                throw new IOException("unsupported encrypted recording version " + fileHeader[8] + " / cipher " + fileHeader[9]);
            }
            if (getInt(fileHeader, 12) != HEADER_CHUNK || getInt(fileHeader, 16) != DATA_CHUNK) {
                throw new IOException("unsupported chunk sizes " + getInt(fileHeader, 12) + " / " + getInt(fileHeader, 16));
            }
            if (fileLength < DATA_START) {
                throw new IOException("truncated inside the header chunk slots (" + fileLength + " of " + DATA_START + " bytes)");
            }
        }

        /** Chunk 0: the valid slot with the highest generation. Returns whether it is the final chunk. */
        private boolean readHeadChunk(boolean mayBeFinal) throws IOException {
            byte[] best = null;
            int bestLength = -1;
            long bestGeneration = 0;
            boolean bestFinal = false;
            for (int slot = 0; slot < 2; slot++) {
                byte[] s = read(FILE_HEADER + (long) slot * SLOT, SLOT);
                long g = getLong(s, 0);
                int n = getInt(s, 8);
                if (g == 0 && n == 0) {
                    continue;   // never written
                }
                int opened = -1;
                boolean isFinal = false;
                if (g % 2 == slot && n >= 0 && n <= HEADER_CHUNK) {
                    opened = open(s, 12, NONCE + n + TAG, aad(fileHeader, 0, false, g));
                    if (opened < 0 && mayBeFinal) {
                        opened = open(s, 12, NONCE + n + TAG, aad(fileHeader, 0, true, g));
                        isFinal = opened >= 0;
                    }
                }
                if (opened < 0) {
                    warnings.add("header slot " + slot + " failed authentication (a header rewrite cut by a crash, or a modification)");
                    continue;
                }
                if (g > bestGeneration) {
                    best = Arrays.copyOf(plain, opened);
                    bestLength = opened;
                    bestGeneration = g;
                    bestFinal = isFinal;
                }
            }
            if (best == null) {
                throw new IOException("chunk 0 (the header) failed authentication: wrong key, or the file was modified");
            }
            if (!warnings.isEmpty() && !salvage) {
                // Strict: everything present must authenticate. Salvage mode falls back to the other slot.
                throw new IOException("chunk 0 (the header): " + warnings.get(0) + "; salvage mode would use generation "
                        + bestGeneration);
            }
            if (bestLength < HEADER_CHUNK && !bestFinal && fileLength > DATA_START) {
                throw new IOException("chunk 0 is short but data chunks follow: the file was modified");
            }
            os.write(best, 0, bestLength);
            bytes += bestLength;
            chunks++;
            return bestFinal;
        }

        /** Decrypts sealed[off, off+length) (nonce | ciphertext | tag) into {@link #plain}; -1 if it fails. */
        private int open(byte[] sealed, int off, int length, byte[] aad) throws IOException {
            try {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, off, NONCE));
                cipher.updateAAD(aad);
                return cipher.doFinal(sealed, off + NONCE, length - NONCE, plain, 0);
            } catch (AEADBadTagException e) {
                return -1;
            } catch (GeneralSecurityException e) {
                throw new IOException("AES-GCM decryption failed", e);
            }
        }

        private byte[] read(long position, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (ch.read(b, position + b.position()) < 0) {
                    throw new IOException("unexpected end of file at " + (position + b.position()));
                }
            }
            return b.array();
        }
    }
}
