package org.medibridge.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medibridge.signaling.ServerConfig.ConfigException;

class ServerConfigTest {
    private static ServerConfig parse(Map<String, String> env, String... args) {
        return ServerConfig.parse(args, env);
    }

    @Test
    void defaults() {
        ServerConfig c = parse(Map.of());
        assertThat(c.httpPort()).isEqualTo(8080).isEqualTo(ServerConfig.DEFAULT_HTTP_PORT);
        assertThat(c.mediaPort()).isEqualTo(10000).isEqualTo(ServerConfig.DEFAULT_MEDIA_PORT);
        assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.publicAddress()).isNull();
        assertThat(c.dev()).isFalse();
    }

    @Test
    void flags() {
        ServerConfig c = parse(Map.of(), "--http-port", "9000", "--media-port=20000", "--bind-address", "127.0.0.1",
                "--public-address=203.0.113.7", "--dev");
        assertThat(c).isEqualTo(parsed(9000, 20000, "127.0.0.1", "203.0.113.7", true));
        assertThat(c.advertisedAddress()).isEqualTo("203.0.113.7");
        assertThat(parse(Map.of(), "--bind-address", "127.0.0.1").advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(parse(Map.of(), "--http-port", " 0 ").httpPort()).isZero();
    }

    @Test
    void environmentVariables() {
        ServerConfig c = parse(Map.of("MEDIBRIDGE_HTTP_PORT", "9001", "MEDIBRIDGE_MEDIA_PORT", "20001",
                "MEDIBRIDGE_BIND_ADDRESS", "127.0.0.1", "MEDIBRIDGE_PUBLIC_ADDRESS", "198.51.100.1",
                "MEDIBRIDGE_DEV", "true"));
        assertThat(c).isEqualTo(parsed(9001, 20001, "127.0.0.1", "198.51.100.1", true));
        assertThat(parse(Map.of("MEDIBRIDGE_DEV", "1")).dev()).isTrue();
        assertThat(parse(Map.of("MEDIBRIDGE_DEV", "YES")).dev()).isTrue();
        assertThat(parse(Map.of("MEDIBRIDGE_DEV", "false")).dev()).isFalse();
        // Blank variables count as unset.
        ServerConfig blank = parse(Map.of("MEDIBRIDGE_HTTP_PORT", " ", "MEDIBRIDGE_BIND_ADDRESS", ""));
        assertThat(blank.httpPort()).isEqualTo(8080);
        assertThat(blank.bindAddress()).isEqualTo("0.0.0.0");
    }

    @Test
    void flagWinsOverEnvironment() {
        Map<String, String> env = Map.of("MEDIBRIDGE_HTTP_PORT", "9001", "MEDIBRIDGE_MEDIA_PORT", "20001",
                "MEDIBRIDGE_BIND_ADDRESS", "10.0.0.1", "MEDIBRIDGE_PUBLIC_ADDRESS", "198.51.100.1",
                "MEDIBRIDGE_DEV", "true");
        ServerConfig c = parse(env, "--http-port=9100", "--media-port", "20100", "--bind-address=127.0.0.1",
                "--public-address", "203.0.113.9", "--dev=false");
        assertThat(c).isEqualTo(parsed(9100, 20100, "127.0.0.1", "203.0.113.9", false));
        // Only what is given as a flag is overridden.
        ServerConfig partly = parse(env, "--http-port", "9100");
        assertThat(partly).isEqualTo(parsed(9100, 20001, "10.0.0.1", "198.51.100.1", true));
    }

    @Test
    void flagWinsEvenOverAnUnusableEnvironmentVariable() {
        Map<String, String> env = Map.of("MEDIBRIDGE_HTTP_PORT", "eighty", "MEDIBRIDGE_MEDIA_PORT", "70000");
        ServerConfig c = parse(env, "--http-port", "9100", "--media-port", "20100");
        assertThat(c.httpPort()).isEqualTo(9100);
        assertThat(c.mediaPort()).isEqualTo(20100);
    }

    @Test
    void devFlagForms() {
        assertThat(parse(Map.of(), "--dev").dev()).isTrue();
        assertThat(parse(Map.of(), "--dev=true").dev()).isTrue();
        assertThat(parse(Map.of(), "--dev=1").dev()).isTrue();
        assertThat(parse(Map.of(), "--dev=false").dev()).isFalse();
        assertThat(parse(Map.of("MEDIBRIDGE_DEV", "false"), "--dev").dev()).isTrue();
        // --dev takes no separate value: the next word is a flag of its own.
        assertThat(parse(Map.of(), "--dev", "--http-port", "1").httpPort()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "--http-port abc          | --http-port must be a number, got 'abc'",
            "--http-port=             | --http-port must be a number, got ''",
            "--media-port 1.5         | --media-port must be a number, got '1.5'",
            "--http-port 99999999999  | --http-port must be a number, got '99999999999'",
            "--http-port 65536        | --http-port must be between 0 and 65535, got 65536",
            "--media-port -1          | --media-port must be between 0 and 65535, got -1",
            "--media-port=70000       | --media-port must be between 0 and 65535, got 70000",
            "--http-port              | --http-port needs a value",
            "--verbose                | unknown flag --verbose (see --help)",
            "--port 8080              | unknown flag --port (see --help)",
            "--HTTP-PORT 8080         | unknown flag --HTTP-PORT (see --help)",
            "8080                     | unexpected argument '8080' (see --help)",
            "-dev                     | unexpected argument '-dev' (see --help)",
            "--bind-address=          | --bind-address must not be empty",
    })
    void badFlagsHaveAClearMessage(String args, String message) {
        assertThatThrownBy(() -> ServerConfig.parse(args.strip().split(" +"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "MEDIBRIDGE_HTTP_PORT  | http        | MEDIBRIDGE_HTTP_PORT must be a number, got 'http'",
            "MEDIBRIDGE_MEDIA_PORT | 10000x      | MEDIBRIDGE_MEDIA_PORT must be a number, got '10000x'",
            "MEDIBRIDGE_HTTP_PORT  | 65536       | MEDIBRIDGE_HTTP_PORT must be between 0 and 65535, got 65536",
            "MEDIBRIDGE_MEDIA_PORT | -5          | MEDIBRIDGE_MEDIA_PORT must be between 0 and 65535, got -5",
    })
    void badEnvironmentVariablesNameTheVariable(String name, String value, String message) {
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void constructorChecksToo() {
        assertThatThrownBy(() -> new ServerConfig(-1, 10000, "0.0.0.0", null, false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--http-port must be between 0 and 65535");
        assertThatThrownBy(() -> new ServerConfig(8080, 65536, "0.0.0.0", null, false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--media-port must be between 0 and 65535");
        assertThatThrownBy(() -> new ServerConfig(8080, 10000, " ", null, false))
                .isInstanceOf(ConfigException.class).hasMessage("--bind-address must not be empty");
    }

    /** What parse() yields for these settings: the foundation's five plus the defaults of the rest. */
    private static ServerConfig parsed(int http, int media, String bind, String pub, boolean dev) {
        return new ServerConfig(http, media, bind, pub, dev, null, null, null, ServerConfig.DEFAULT_AUDIT_LOG, null,
                ServerConfig.DEFAULT_RECORDINGS_DIR, null);
    }
}
