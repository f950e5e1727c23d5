package org.medibridge.recording.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.medibridge.recording.storage.ChunkFormat.DATA_START;
import static org.medibridge.recording.storage.ChunkFormat.dataChunkOffset;
import static org.medibridge.recording.storage.EncryptedFileOutputTest.KEY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampering, truncation and splicing are refused with errors that say which chunk and why. */
class RecordingDecryptorTest {
    static final int SEALED = 12 + 65536 + 16;
    /** 4096 + 3.5 data chunks: chunk 0, chunks 1-3 full, chunk 4 half and final. */
    static final int TOTAL = 4096 + 3 * 65536 + 32768;

    @TempDir
    Path dir;
    Path enc;
    byte[] plain;
    byte[] file;

    @BeforeEach
    void write() throws IOException {
        plain = new byte[TOTAL];
        new Random(1).nextBytes(plain);
        enc = dir.resolve("rec.enc");
        try (EncryptedFileOutput e = EncryptedFileOutput.create(enc, KEY)) {
            e.append(plain, 0, TOTAL);
            e.flush();
            e.overwriteHeader(100, new byte[] {42}, 0, 1);   // generation 2 in slot 0, generation 1 in slot 1
        }
        plain[100] = 42;
        file = Files.readAllBytes(enc);
        assertThat(file).hasSize((int) DATA_START + 3 * SEALED + 12 + 32768 + 16);
    }

    private RecordingDecryptor.Result decrypt(byte[] bytes) throws IOException {
        return decrypt(bytes, false);
    }

    private RecordingDecryptor.Result decrypt(byte[] bytes, boolean salvage) throws IOException {
        Path in = dir.resolve("in-" + System.nanoTime());
        Files.write(in, bytes);
        Path out = dir.resolve("out-" + System.nanoTime());
        try {
            RecordingDecryptor.Result r = RecordingDecryptor.decrypt(in, out, KEY, salvage);
            assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOf(plain, (int) r.bytes()));
            return r;
        } catch (IOException e) {
            assertThat(out).doesNotExist();
            assertThat(out.resolveSibling(out.getFileName() + ".partial")).doesNotExist();
            throw e;
        }
    }

    private byte[] flipped(long at) {
        byte[] b = file.clone();
        b[(int) at] ^= 0x01;
        return b;
    }

    @Test
    void intactFileDecrypts() throws IOException {
        RecordingDecryptor.Result r = decrypt(file);
        assertThat(r).isEqualTo(new RecordingDecryptor.Result(TOTAL, 5, true, java.util.List.of()));
    }

    @Test
    void aFlippedByteInADataChunkIsNamed() {
        assertThatThrownBy(() -> decrypt(flipped(dataChunkOffset(2) + 500)))
                .hasMessageContaining("chunk 2 at offset " + dataChunkOffset(2)).hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> decrypt(flipped(dataChunkOffset(2) + 3)))   // in the nonce
                .hasMessageContaining("chunk 2 at offset");
        assertThatThrownBy(() -> decrypt(flipped(file.length - 1)))          // the final chunk's tag
                .hasMessageContaining("chunk 4 at offset");
    }

    @Test
    void aFlippedByteInTheFileHeaderOrTheHeaderChunk() {
        assertThatThrownBy(() -> decrypt(flipped(0))).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> decrypt(flipped(25))).hasMessageContaining("chunk 0 (the header)");   // file id: in every AAD
        assertThatThrownBy(() -> decrypt(flipped(ChunkFormat.FILE_HEADER + 100)))                       // slot 0, generation 2
                .hasMessageContaining("chunk 0 (the header)").hasMessageContaining("header slot 0");
    }

    @Test
    void salvageFallsBackToTheOlderHeaderGeneration() throws IOException {
        byte[] torn = flipped(ChunkFormat.FILE_HEADER + 100);   // as if the rewrite of generation 2 was cut
        byte[] original = new byte[TOTAL];
        new Random(1).nextBytes(original);
        plain[100] = original[100];   // generation 1 holds the byte before the overwrite
        RecordingDecryptor.Result r = decrypt(torn, true);
        assertThat(r.finalized()).isTrue();
        assertThat(r.warnings()).anyMatch(w -> w.contains("header slot 0"));
    }

    @Test
    void swappedChunksAreRefused() {
        byte[] b = file.clone();
        int one = (int) dataChunkOffset(1);
        int two = (int) dataChunkOffset(2);
        System.arraycopy(file, two, b, one, SEALED);
        System.arraycopy(file, one, b, two, SEALED);
        assertThatThrownBy(() -> decrypt(b)).hasMessageContaining("chunk 1 at offset").hasMessageContaining("reordered");
    }

    @Test
    void aChunkFromAnotherRecordingWithTheSameKeyIsRefused() throws IOException {
        Path other = dir.resolve("other.enc");
        try (EncryptedFileOutput e = EncryptedFileOutput.create(other, KEY)) {
            e.append(plain, 0, TOTAL);
        }
        byte[] b = file.clone();
        System.arraycopy(Files.readAllBytes(other), (int) dataChunkOffset(3), b, (int) dataChunkOffset(3), SEALED);
        assertThatThrownBy(() -> decrypt(b)).hasMessageContaining("chunk 3 at offset");
    }

    @Test
    void aCleanCutAtAChunkBoundaryIsNotFinalized() throws IOException {
        RecordingDecryptor.Result r = decrypt(Arrays.copyOf(file, (int) dataChunkOffset(4)));   // final chunk dropped
        assertThat(r.finalized()).isFalse();
        assertThat(r.bytes()).isEqualTo(4096 + 3 * 65536);
        assertThat(r.chunks()).isEqualTo(4);
        assertThat(r.warnings()).containsExactly("the recording was not finalized (the writer stopped before closing it)");

        RecordingDecryptor.Result headOnly = decrypt(Arrays.copyOf(file, (int) DATA_START));
        assertThat(headOnly.finalized()).isFalse();
        assertThat(headOnly.bytes()).isEqualTo(4096);
    }

    @Test
    void aCutInsideAChunkIsAnErrorUnlessSalvaging() throws IOException {
        byte[] cut = Arrays.copyOf(file, (int) dataChunkOffset(3) + 1000);
        assertThatThrownBy(() -> decrypt(cut)).hasMessageContaining("chunk 3 at offset")
                .hasMessageContaining("cut inside this chunk");
        RecordingDecryptor.Result r = decrypt(cut, true);
        assertThat(r.finalized()).isFalse();
        assertThat(r.bytes()).isEqualTo(4096 + 2 * 65536);
        assertThat(r.warnings()).anyMatch(w -> w.contains("dropped 1000 bytes"));

        assertThatThrownBy(() -> decrypt(Arrays.copyOf(file, (int) DATA_START - 5))).hasMessageContaining("truncated inside the header");
        assertThatThrownBy(() -> decrypt(Arrays.copyOf(file, 20))).hasMessageContaining("not a MediBridge encrypted recording");
    }

    @Test
    void bytesAfterTheFinalChunkAreRefused() {
        byte[] b = Arrays.copyOf(file, file.length + 10);
        assertThatThrownBy(() -> decrypt(b)).hasMessageContaining("chunk 4 at offset");
    }

    @Test
    void aWrongKeySaysSo() throws IOException {
        Path out = dir.resolve("out");
        byte[] wrong = KEY.clone();
        wrong[0] ^= 1;
        assertThatThrownBy(() -> RecordingDecryptor.decrypt(enc, out, wrong)).hasMessageContaining("wrong key");
        assertThat(out).doesNotExist();
    }

    @Test
    void neverOverwritesTheOutput() throws IOException {
        Path out = Files.writeString(dir.resolve("exists"), "keep");
        assertThatThrownBy(() -> RecordingDecryptor.decrypt(enc, out, KEY)).hasMessageContaining("output exists");
        assertThat(Files.readString(out)).isEqualTo("keep");
    }

    @Test
    void aPlainWebmIsNotMistakenForAnEncryptedOne() throws IOException {
        byte[] webm = new byte[20_000];
        webm[0] = 0x1A;
        webm[1] = 0x45;
        Path in = Files.write(dir.resolve("plain.webm"), webm);
        assertThatThrownBy(() -> RecordingDecryptor.decrypt(in, dir.resolve("o"), KEY)).hasMessageContaining("bad magic");
    }
}
