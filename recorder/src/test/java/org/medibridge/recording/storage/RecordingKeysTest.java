package org.medibridge.recording.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordingKeysTest {
    static final byte[] KEY = EncryptedFileOutputTest.KEY;

    @ParameterizedTest
    @ValueSource(strings = {
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "  000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",   // openssl rand -base64 32 style
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",    // unpadded
    })
    void hexAndBase64(String text) {
        assertThat(RecordingKeys.parse(text)).isEqualTo(KEY);
    }

    @Test
    void urlSafeBase64() {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) 0xFB);   // encodes with '-' and '_' in the URL alphabet
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(k);
        assertThat(url).contains("-").contains("_");
        assertThat(RecordingKeys.parse(url)).isEqualTo(k);
    }

    @Test
    void wrongLengthOrGarbageIsRefusedWithoutEchoingTheKey() {
        assertThatThrownBy(() -> RecordingKeys.parse(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes").hasMessageContaining("16");
        assertThatThrownBy(() -> RecordingKeys.parse("secret!secret!")).hasMessageNotContaining("secret")
                .hasMessageContaining("neither 64 hex digits nor base64");
        assertThatThrownBy(() -> RecordingKeys.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> RecordingKeys.parse(null)).hasMessageContaining("empty");
    }
}
