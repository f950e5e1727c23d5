package org.medibridge.recording.storage;

import static org.medibridge.recording.storage.ChunkFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A recording encrypted at rest with AES-256-GCM in the chunked streaming format of {@link ChunkFormat}
 * (file header; chunk 0 = the 4096-byte header region in two alternating slots; 64 KiB data chunks;
 * per-chunk random nonce; chunk index, final flag and file id bound in the AAD).
 *
 * <p>Plaintext is kept in memory until its chunk is written: chunk 0 (4 KiB, kept for the whole
 * recording so {@link #overwriteHeader} can re-encrypt it) and the current data chunk (64 KiB). A data
 * chunk is written when full; {@link #flush()} writes the partial one and a changed chunk 0, each with
 * a fresh nonce; {@link #overwriteHeader} only changes memory, so it reaches the disk at the next
 * flush() or close(). {@link #close()} writes the last chunk with the final flag and fsyncs.
 */
public final class EncryptedFileOutput implements RecordingOutput {
    private final FileChannel channel;
    private final SecretKeySpec key;
    private final byte[] fileHeader;
    private final SecureRandom random = new SecureRandom();
    private final Cipher cipher;
    private final byte[] head = new byte[HEADER_CHUNK];
    private final byte[] data = new byte[DATA_CHUNK];
    private final byte[] sealed = new byte[8 + 4 + NONCE + DATA_CHUNK + TAG];
    private long size;
    private long generation;
    private boolean headDirty;
    private long dataIndex = 1;
    private int dataLength;
    private boolean dataDirty;
    private boolean closed;

    private EncryptedFileOutput(FileChannel channel, byte[] key32) throws IOException {
        this.channel = channel;
        this.key = new SecretKeySpec(key32, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM unavailable", e);
        }
        fileHeader = new byte[FILE_HEADER];
        System.arraycopy(MAGIC, 0, fileHeader, 0, MAGIC.length);
        fileHeader[8] = VERSION;
        fileHeader[9] = CIPHER_AES_256_GCM;
        putInt(fileHeader, 12, HEADER_CHUNK);
        putInt(fileHeader, 16, DATA_CHUNK);
        byte[] fileId = new byte[16];
        random.nextBytes(fileId);
        System.arraycopy(fileId, 0, fileHeader, 20, 16);
    }

    /** Creates {@code file} (which must not exist) and writes the file header and two blank slots. */
    public static EncryptedFileOutput create(Path file, byte[] key32) throws IOException {
        if (key32 == null || key32.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            EncryptedFileOutput o = new EncryptedFileOutput(channel, key32);
            ByteBuffer start = ByteBuffer.allocate((int) DATA_START);
            start.put(o.fileHeader).rewind();
            o.writeFully(start, 0);
            return o;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void append(byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        ensureOpen();
        while (len > 0) {
            int n;
            if (size < HEADER_CHUNK) {
                n = (int) Math.min(len, HEADER_CHUNK - size);
                System.arraycopy(buf, off, head, (int) size, n);
                size += n;
                headDirty = true;
                if (size == HEADER_CHUNK) {
                    writeHead(false);
                }
            } else {
                n = Math.min(len, DATA_CHUNK - dataLength);
                System.arraycopy(buf, off, data, dataLength, n);
                dataLength += n;
                size += n;
                dataDirty = true;
                if (dataLength == DATA_CHUNK) {
                    writeData(false);
                    dataIndex++;
                    dataLength = 0;
                }
            }
            off += n;
            len -= n;
        }
    }

    @Override
    public void overwriteHeader(long position, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        PlainFileOutput.checkHeaderRange(position, len, size);
        ensureOpen();
        System.arraycopy(buf, off, head, (int) position, len);
        headDirty = true;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (headDirty) {
            writeHead(false);
        }
        if (dataDirty) {
            writeData(false);
        }
    }

    /** Writes the last chunk with the final flag (chunk 0 if the recording is shorter than 4096 bytes). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            if (size < HEADER_CHUNK) {
                writeHead(true);
            } else {
                if (headDirty) {
                    writeHead(false);
                }
                writeData(true);
            }
            channel.force(true);
        }
    }

    private void writeHead(boolean last) throws IOException {
        long g = ++generation;
        int n = (int) Math.min(size, HEADER_CHUNK);
        putLong(sealed, 0, g);
        putInt(sealed, 8, n);
        int sealedLength = seal(aad(fileHeader, 0, last, g), head, n, 12);
        writeFully(ByteBuffer.wrap(sealed, 0, sealedLength), slotOffset(g));
        headDirty = false;
    }

    private void writeData(boolean last) throws IOException {
        int sealedLength = seal(aad(fileHeader, dataIndex, last, 0), data, dataLength, 0);
        writeFully(ByteBuffer.wrap(sealed, 0, sealedLength), dataChunkOffset(dataIndex));
        dataDirty = false;
    }

    /** nonce | ciphertext | tag into {@code sealed} at {@code at}; returns the end offset. */
    private int seal(byte[] aad, byte[] plain, int length, int at) throws IOException {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, at, NONCE);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return at + NONCE + cipher.doFinal(plain, 0, length, sealed, at + NONCE);
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM encryption failed", e);
        }
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("recording output is closed");
        }
    }
}
