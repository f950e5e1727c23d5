package org.medibridge.signaling;

import java.net.InetAddress;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Server settings. Every flag {@code --some-flag VALUE} also reads the environment variable
 * {@code MEDIBRIDGE_SOME_FLAG}; a flag given on the command line wins over the environment.
 *
 * @param httpPort TCP port of HTTP + WebSocket (0 = pick a free one, for tests)
 * @param mediaPort the one UDP port that carries all media
 * @param bindAddress address both listeners bind to
 * @param publicAddress address written into ICE candidates (servers behind NAT, or loopback)
 * @param dev open demo mode: any room can be joined without a token
 * @param apiKey bearer key of the REST API; null closes the API (--dev generates one)
 * @param jwtSecret HS256 secret of join tokens (at least 32 bytes); null: generated at start-up,
 *                  so links die with the process
 * @param jwtPublicKey PEM (or a path to one) of an EC P-256 key whose ES256 tokens are accepted too
 * @param auditLog path of the audit trail (JSON Lines); {@link #parse} defaults it to
 *                 {@code medibridge-audit.jsonl}; null (only programmatic configs, i.e. tests)
 *                 means no audit file
 * @param publicUrl base URL put into join links, e.g. https://visits.clinic.example; null:
 *                  http://ADVERTISED-ADDRESS:HTTP-PORT
 * @param recordingsDir where consented recordings go; {@link #parse} defaults it to
 *                      {@code recordings}; null (programmatic configs, tests) means recording off
 * @param recordingKey AES-256 key (base64 or hex) to encrypt recordings at rest, or null
 */
public record ServerConfig(int httpPort, int mediaPort, String bindAddress, String publicAddress, boolean dev,
                           String apiKey, String jwtSecret, String jwtPublicKey, String auditLog, String publicUrl,
                           String recordingsDir, String recordingKey) {

    /** Without recording settings (recording off). */
    public ServerConfig(int httpPort, int mediaPort, String bindAddress, String publicAddress, boolean dev,
                        String apiKey, String jwtSecret, String jwtPublicKey, String auditLog, String publicUrl) {
        this(httpPort, mediaPort, bindAddress, publicAddress, dev, apiKey, jwtSecret, jwtPublicKey, auditLog, publicUrl,
                null, null);
    }

    /** The foundation's settings only (tests): no API key, generated JWT secret, default audit path. */
    public ServerConfig(int httpPort, int mediaPort, String bindAddress, String publicAddress, boolean dev) {
        this(httpPort, mediaPort, bindAddress, publicAddress, dev, null, null, null, null, null);
    }

    /** Never print secrets: the API key and JWT secret are masked. */
    @Override
    public String toString() {
        return "ServerConfig[http=" + httpPort + ", media=" + mediaPort + ", bind=" + bindAddress
                + ", public=" + publicAddress + ", dev=" + dev + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", jwtSecret=" + (jwtSecret == null ? "generated" : "***") + ", auditLog=" + auditLog
                + ", publicUrl=" + publicUrl + ", recordingsDir=" + recordingsDir
                + ", recordingKey=" + (recordingKey == null ? "none" : "***") + "]";
    }

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_MEDIA_PORT = 10000;
    public static final String DEFAULT_AUDIT_LOG = "medibridge-audit.jsonl";
    public static final String DEFAULT_RECORDINGS_DIR = "recordings";

    public ServerConfig {
        checkPort("http-port", httpPort);
        checkPort("media-port", mediaPort);
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new ConfigException("--bind-address must not be empty");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new ConfigException("--" + name + " must be between 0 and 65535, got " + port);
        }
    }

    /** The address to advertise in ICE candidates. */
    public String advertisedAddress() {
        if (publicAddress != null && !publicAddress.isBlank()) {
            return publicAddress;
        }
        if (!bindAddress.equals("0.0.0.0") && !bindAddress.equals("::")) {
            return bindAddress;
        }
        return firstInterfaceAddress();
    }

    /** The first IPv4 address of an interface that is up and not loopback, else 127.0.0.1. */
    static String firstInterfaceAddress() {
        try {
            for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback() || ni.isVirtual()) {
                    continue;
                }
                for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through
        }
        return "127.0.0.1";
    }

    public static ServerConfig parse(String[] args, Map<String, String> env) {
        // Flags first, so that a flag wins even over an environment variable that is unusable.
        Map<String, String> flags = new HashMap<>();
        Boolean devFlag = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name;
            String value = null;
            if (!a.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + a + "' (see --help)");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
            }
            if (name.equals("dev")) {
                devFlag = value == null || boolSetting(value);
                continue;
            }
            if (!VALUE_FLAGS.contains(name)) {
                throw new ConfigException("unknown flag --" + name + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            flags.put(name, value);
        }
        int httpPort = portSetting("http-port", flags, env, DEFAULT_HTTP_PORT);
        int mediaPort = portSetting("media-port", flags, env, DEFAULT_MEDIA_PORT);
        String bind = stringSetting("bind-address", flags, env, "0.0.0.0");
        String pub = stringSetting("public-address", flags, env, null);
        boolean dev = devFlag != null ? devFlag : boolSetting(env.get(envName("dev")));
        return new ServerConfig(httpPort, mediaPort, bind, pub, dev,
                stringSetting("api-key", flags, env, null), stringSetting("jwt-secret", flags, env, null),
                stringSetting("jwt-public-key", flags, env, null), stringSetting("audit-log", flags, env, DEFAULT_AUDIT_LOG),
                stringSetting("public-url", flags, env, null),
                stringSetting("recordings-dir", flags, env, DEFAULT_RECORDINGS_DIR),
                stringSetting("recording-key", flags, env, null));
    }

    private static final Set<String> VALUE_FLAGS = Set.of("http-port", "media-port", "bind-address", "public-address",
            "api-key", "jwt-secret", "jwt-public-key", "audit-log", "public-url", "recordings-dir", "recording-key");

    static String envName(String flag) {
        return "MEDIBRIDGE_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The flag's value, else the environment variable's (unless blank), else {@code dflt}; errors name the source. */
    private static int portSetting(String flag, Map<String, String> flags, Map<String, String> env, int dflt) {
        String source = "--" + flag;
        String v = flags.get(flag);
        if (v == null) {
            source = envName(flag);
            v = env.get(source);
            if (v == null || v.isBlank()) {
                return dflt;
            }
        }
        int port;
        try {
            port = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(source + " must be a number, got '" + v + "'");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(source + " must be between 0 and 65535, got " + port);
        }
        return port;
    }

    private static String stringSetting(String flag, Map<String, String> flags, Map<String, String> env, String dflt) {
        if (flags.containsKey(flag)) {
            return flags.get(flag);
        }
        String v = env.get(envName(flag));
        return v == null || v.isBlank() ? dflt : v;
    }

    private static boolean boolSetting(String v) {
        return v != null && (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes"));
    }

    public static final String USAGE = """
            Usage: java -jar medibridge.jar [flags]
              --http-port N        HTTP + WebSocket port (env MEDIBRIDGE_HTTP_PORT, default 8080)
              --media-port N       the one UDP port for all media (env MEDIBRIDGE_MEDIA_PORT, default 10000)
              --bind-address A     address to listen on (env MEDIBRIDGE_BIND_ADDRESS, default 0.0.0.0)
              --public-address A   address put in ICE candidates, for servers behind NAT or on loopback
                                   (env MEDIBRIDGE_PUBLIC_ADDRESS, default: the bind address or this host's)
              --dev                open demo mode: any room can be joined without a token, a demo
                                   appointment is created and its links printed (env MEDIBRIDGE_DEV)
              --api-key K          bearer key of the REST API /api/v1 (env MEDIBRIDGE_API_KEY; unset: API closed,
                                   except that --dev generates one and prints it)
              --jwt-secret S       HS256 secret of join tokens, >= 32 bytes (env MEDIBRIDGE_JWT_SECRET;
                                   unset: generated, so links stop working when the server restarts)
              --jwt-public-key P   EC P-256 public key (PEM or path) whose ES256 tokens are accepted too,
                                   for booking systems that mint their own (env MEDIBRIDGE_JWT_PUBLIC_KEY)
              --audit-log PATH     audit trail, JSON Lines with a hash chain (env MEDIBRIDGE_AUDIT_LOG,
                                   default medibridge-audit.jsonl); check it with: audit-verify PATH
              --public-url URL     base of join links (env MEDIBRIDGE_PUBLIC_URL, default http://ADDRESS:PORT)
              --recordings-dir D   where consented recordings are written (env MEDIBRIDGE_RECORDINGS_DIR,
                                   default recordings)
              --recording-key K    AES-256 key, base64 or hex, to encrypt recordings at rest
                                   (env MEDIBRIDGE_RECORDING_KEY); decrypt with: recording-decrypt IN OUT
              --help               this text
            """;

    /** A setting that cannot be used; its message is shown to the operator as is. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
