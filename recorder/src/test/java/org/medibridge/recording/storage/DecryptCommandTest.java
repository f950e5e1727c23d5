package org.medibridge.recording.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecryptCommandTest {
    static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path dir;
    Path enc;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void write() throws IOException {
        enc = dir.resolve("rec.webm.enc");
        try (EncryptedFileOutput e = EncryptedFileOutput.create(enc, EncryptedFileOutputTest.KEY)) {
            e.append(new byte[100_000], 0, 100_000);
        }
    }

    private int run(Map<String, String> env, String... args) {
        return DecryptCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void decrypts() throws IOException {
        Path plain = dir.resolve("rec.webm");
        assertThat(run(Map.of(RecordingKeys.ENV, KEY_HEX), enc.toString(), plain.toString())).isEqualTo(DecryptCommand.OK);
        assertThat(Files.size(plain)).isEqualTo(100_000);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("decrypted 100000 bytes");
        assertThat(err()).isEmpty();
    }

    @Test
    void aRecordingCutShortDecryptsWithItsOwnExitCode() throws IOException {
        Path cut = Files.write(dir.resolve("cut.enc"), Arrays.copyOf(Files.readAllBytes(enc), (int) ChunkFormat.dataChunkOffset(2)));
        assertThat(run(Map.of(RecordingKeys.ENV, KEY_HEX), cut.toString(), dir.resolve("o").toString()))
                .isEqualTo(DecryptCommand.NOT_FINALIZED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NOT FINALIZED");
        assertThat(err()).contains("warning: the recording was not finalized");
    }

    @Test
    void salvageKeepsWhatAuthenticates() throws IOException {
        Path cut = Files.write(dir.resolve("cut.enc"), Arrays.copyOf(Files.readAllBytes(enc), (int) ChunkFormat.dataChunkOffset(2) - 7));
        assertThat(run(Map.of(RecordingKeys.ENV, KEY_HEX), cut.toString(), dir.resolve("a").toString())).isEqualTo(DecryptCommand.FAILED);
        assertThat(err()).contains("recording-decrypt failed: chunk 1").contains("cut inside this chunk");
        assertThat(run(Map.of(RecordingKeys.ENV, KEY_HEX), "--salvage", cut.toString(), dir.resolve("b").toString()))
                .isEqualTo(DecryptCommand.NOT_FINALIZED);
        assertThat(Files.size(dir.resolve("b"))).isEqualTo(4096);
    }

    @Test
    void usageAndKeyErrors() {
        assertThat(run(Map.of(RecordingKeys.ENV, KEY_HEX), enc.toString())).isEqualTo(DecryptCommand.USAGE);
        assertThat(err()).contains("usage: recording-decrypt");
        assertThat(run(Map.of(), enc.toString(), dir.resolve("o").toString())).isEqualTo(DecryptCommand.USAGE);
        assertThat(err()).contains("MEDIBRIDGE_RECORDING_KEY is not set");
        assertThat(run(Map.of(RecordingKeys.ENV, "abc"), enc.toString(), dir.resolve("o").toString())).isEqualTo(DecryptCommand.USAGE);
        assertThat(run(Map.of(RecordingKeys.ENV, KEY_HEX.replace('0', '1')), enc.toString(), dir.resolve("o").toString()))
                .isEqualTo(DecryptCommand.FAILED);
        assertThat(err()).contains("wrong key");
        assertThat(dir.resolve("o")).doesNotExist();
        assertThat(run(Map.of(RecordingKeys.ENV, KEY_HEX), dir.resolve("missing").toString(), dir.resolve("o").toString()))
                .isEqualTo(DecryptCommand.FAILED);
    }
}
