package org.medibridge.signaling;

import java.util.concurrent.CountDownLatch;

/** {@code java -jar medibridge.jar [--dev] [flags]}: starts the server and runs until Ctrl-C. */
public final class Main {
    /**
     * ice4j and jitsi log every ICE state change at INFO; an operator needs their warnings only.
     * Held here because java.util.logging keeps loggers weakly: a dropped one loses its level.
     */
    private static final java.util.logging.Logger[] QUIET_LOGGERS = {
        java.util.logging.Logger.getLogger("org.ice4j"),
        java.util.logging.Logger.getLogger("org.jitsi"),
        java.util.logging.Logger.getLogger("JitsiConfig"),
    };

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("recording-decrypt")) {
            System.exit(org.medibridge.recording.storage.DecryptCommand.run(
                    java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals("audit-verify")) {
            System.exit(org.medibridge.audit.AuditVerifier.run(
                    java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$-7s %3$s - %5$s%6$s%n");
        for (java.util.logging.Logger l : QUIET_LOGGERS) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                System.out.print(ServerConfig.USAGE);
                return;
            }
        }
        ServerConfig config;
        try {
            config = ServerConfig.parse(args, System.getenv());
        } catch (ServerConfig.ConfigException e) {
            System.err.println("medibridge: " + e.getMessage());
            System.err.print(ServerConfig.USAGE);
            System.exit(2);
            return;
        }
        MediBridgeServer server;
        try {
            server = MediBridgeServer.start(config);
        } catch (Exception e) {
            System.err.println("medibridge: could not start: " + e);
            System.exit(1);
            return;
        }
        String host = config.advertisedAddress();
        System.out.println("MediBridge is running.");
        System.out.println("  HTTP + WebSocket  tcp " + config.bindAddress() + ":" + server.httpPort()
                + " (signaling at /ws, health at /health, metrics at /metrics)");
        System.out.println("  Media (ICE/DTLS/SRTP) udp " + config.bindAddress() + ":" + server.mediaPort()
                + ", advertised as " + host);
        if (config.dev()) {
            System.out.println("  Dev mode: any room can be joined without a token.");
            System.out.println("  Demo: http://" + (config.bindAddress().equals("0.0.0.0") ? "localhost" : host)
                    + ":" + server.httpPort() + "/?room=demo&name=Alice  (open a second tab with name=Bob)");
        } else {
            System.out.println("  Visits are joined with the links of appointments created through the REST API.");
        }
        server.demoAppointment().ifPresent(a -> {
            System.out.println("  Demo appointment " + a.id() + " (waiting room on), open in two tabs:");
            for (org.medibridge.appointment.Person p : a.participants()) {
                System.out.println("    " + p.role().wireName() + " " + p.name() + ": " + server.joinUrl(a, p));
            }
        });
        server.apiKey().ifPresent(k -> System.out.println("  REST API: " + server.publicUrl() + "/api/v1/appointments"
                + (config.apiKey() == null ? "  (generated API key for this run: " + k + ")" : "  (API key from configuration)")));
        System.out.println("Press Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("MediBridge is shutting down.");
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }
}
