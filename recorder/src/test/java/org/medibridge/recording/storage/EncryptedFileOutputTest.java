package org.medibridge.recording.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encrypt → decrypt gives exactly what a PlainFileOutput of the same calls holds. */
class EncryptedFileOutputTest {
    static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @TempDir
    Path dir;

    /** Applies the same random appends, header overwrites and flushes to both outputs. */
    static void sameWrites(long seed, long total, RecordingOutput... outs) throws IOException {
        Random r = new Random(seed);
        long written = 0;
        while (written < total) {
            int n = (int) Math.min(total - written, 1 + r.nextInt(r.nextBoolean() ? 300 : 90_000));
            byte[] b = new byte[n + 3];
            r.nextBytes(b);
            for (RecordingOutput o : outs) {
                o.append(b, 3, n);
            }
            written += n;
            if (r.nextInt(4) == 0) {
                long limit = Math.min(written, RecordingOutput.HEADER_REGION);
                int len = (int) Math.min(limit, 1 + r.nextInt(16));
                long at = r.nextInt((int) (limit - len + 1));
                byte[] patch = new byte[len];
                r.nextBytes(patch);
                for (RecordingOutput o : outs) {
                    o.overwriteHeader(at, patch, 0, len);
                }
            }
            if (r.nextInt(3) == 0) {
                for (RecordingOutput o : outs) {
                    o.flush();
                }
            }
        }
        for (RecordingOutput o : outs) {
            assertThat(o.size()).isEqualTo(total);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, 4095, 4096, 4097, 4096 + 65536, 4096 + 65536 + 1, 4096 + 3 * 65536 - 1, 1_000_000})
    void roundTripIsByteIdenticalToThePlainFile(long total) throws IOException {
        Path plain = dir.resolve("plain");
        Path enc = dir.resolve("enc");
        try (PlainFileOutput p = PlainFileOutput.create(plain); EncryptedFileOutput e = EncryptedFileOutput.create(enc, KEY)) {
            sameWrites(total, total, p, e);
        }
        Path dec = dir.resolve("dec");
        RecordingDecryptor.Result r = RecordingDecryptor.decrypt(enc, dec, KEY);
        assertThat(r.finalized()).isTrue();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.bytes()).isEqualTo(total);
        long dataChunks = total < 4096 ? 0 : (total - 4096) / 65536 + 1;   // the last one may be empty
        assertThat(r.chunks()).isEqualTo(1 + dataChunks);
        assertThat(Files.readAllBytes(dec)).isEqualTo(Files.readAllBytes(plain));
        long sealedChunks = r.chunks() * 28;
        assertThat(Files.size(enc)).isEqualTo(total < 4096 ? ChunkFormat.DATA_START
                : ChunkFormat.DATA_START + total - 4096 + sealedChunks - 28);
    }

    @Test
    void aCrashLeavesEverythingFlushedDecryptableButNotFinalized() throws IOException {
        Path plain = dir.resolve("plain");
        Path enc = dir.resolve("enc");
        PlainFileOutput p = PlainFileOutput.create(plain);
        EncryptedFileOutput e = EncryptedFileOutput.create(enc, KEY);
        sameWrites(7, 300_000, p, e);
        e.flush();
        Path crashed = dir.resolve("crashed");
        Files.copy(enc, crashed);   // the process dies here
        byte[] more = new byte[1000];
        e.append(more, 0, more.length);   // not flushed: lost
        e.close();
        p.close();

        Path dec = dir.resolve("dec");
        RecordingDecryptor.Result r = RecordingDecryptor.decrypt(crashed, dec, KEY);
        assertThat(r.finalized()).isFalse();
        assertThat(r.warnings()).anyMatch(w -> w.contains("not finalized"));
        assertThat(Files.readAllBytes(dec)).isEqualTo(Files.readAllBytes(plain));
    }

    @Test
    void overwriteHeaderNeverReusesANonce() throws IOException {
        Path enc = dir.resolve("enc");
        Set<String> nonces = new HashSet<>();
        try (EncryptedFileOutput e = EncryptedFileOutput.create(enc, KEY)) {
            byte[] head = new byte[4096];
            e.append(head, 0, head.length);   // chunk 0 full: written, generation 1
            nonces.add(slotNonce(enc, 1));
            for (long g = 2; g <= 60; g++) {
                e.overwriteHeader(10, new byte[] {(byte) g}, 0, 1);
                e.overwriteHeader(20, new byte[] {(byte) g}, 0, 1);   // same generation: written once at flush
                e.flush();
                assertThat(nonces.add(slotNonce(enc, g))).as("generation %d", g).isTrue();
                assertThat(ChunkFormat.getLong(Files.readAllBytes(enc), (int) ChunkFormat.slotOffset(g))).isEqualTo(g);
            }
            // The partial data chunk, rewritten by each flush, also gets a fresh nonce each time.
            for (int i = 0; i < 20; i++) {
                e.append(new byte[100], 0, 100);
                e.flush();
                byte[] f = Files.readAllBytes(enc);
                int at = (int) ChunkFormat.dataChunkOffset(1);
                assertThat(nonces.add(HexFormat.of().formatHex(f, at, at + 12))).isTrue();
            }
        }
        assertThat(nonces).hasSize(60 + 20);
    }

    private static String slotNonce(Path file, long generation) throws IOException {
        byte[] f = Files.readAllBytes(file);
        int at = (int) ChunkFormat.slotOffset(generation) + 12;
        return HexFormat.of().formatHex(f, at, at + 12);
    }

    @Test
    void overwriteHeaderOnlyInsideTheWrittenHeaderRegion() throws IOException {
        try (EncryptedFileOutput e = EncryptedFileOutput.create(dir.resolve("enc"), KEY);
             PlainFileOutput p = PlainFileOutput.create(dir.resolve("plain"))) {
            for (RecordingOutput o : new RecordingOutput[] {e, p}) {
                o.append(new byte[5000], 0, 5000);
                assertThatThrownBy(() -> o.overwriteHeader(4090, new byte[8], 0, 8)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> o.overwriteHeader(-1, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
                o.overwriteHeader(4088, new byte[8], 0, 8);
            }
        }
        try (PlainFileOutput p = PlainFileOutput.create(dir.resolve("short"))) {
            p.append(new byte[10], 0, 10);
            assertThatThrownBy(() -> p.overwriteHeader(8, new byte[4], 0, 4)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void neverWritesOverAnExistingFileAndRefusesABadKey() throws IOException {
        Path f = Files.createFile(dir.resolve("exists"));
        assertThatThrownBy(() -> EncryptedFileOutput.create(f, KEY)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThatThrownBy(() -> PlainFileOutput.create(f)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThatThrownBy(() -> EncryptedFileOutput.create(dir.resolve("k"), new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCiphertextShowsNoPlaintext() throws IOException {
        Path enc = dir.resolve("enc");
        byte[] text = "PATIENT-NAME-".repeat(1000).getBytes();
        try (EncryptedFileOutput e = EncryptedFileOutput.create(enc, KEY)) {
            e.append(text, 0, text.length);
        }
        String file = new String(Files.readAllBytes(enc), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(file).startsWith("MBRECENC").doesNotContain("PATIENT");
        assertThat(Arrays.equals(Files.readAllBytes(enc), 0, 8, ChunkFormat.MAGIC, 0, 8)).isTrue();
    }
}
