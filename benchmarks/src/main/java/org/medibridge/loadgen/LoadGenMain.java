package org.medibridge.loadgen;

/**
 * {@code java -jar benchmarks/target/medibridge-loadgen.jar --url ws://127.0.0.1:8080 --rooms 50
 * --participants 2 --duration 60 --json out.json}: a real-protocol load test of a MediBridge
 * server (signaling over WebSocket, ICE, DTLS, SRTP), loopback only. See {@link LoadGenOptions#USAGE}.
 */
public final class LoadGenMain {
    private LoadGenMain() {
    }

    public static void main(String[] args) throws Exception {
        LoadGenOptions o;
        try {
            o = LoadGenOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(LoadGenOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!isLoopback(o.url.getHost())) {
            System.err.println("loadgen: loopback only (the load would saturate a real network): " + o.url);
            System.exit(2);
        }
        LoadGen.Result r = new LoadGen(o, System.out).run();
        Report.print(r, o, System.out);
        if (o.json != null) {
            Report.writeJson(r, o, o.json);
            System.out.println("JSON: " + o.json);
        }
        System.exit(r.steps().isEmpty() && !o.floorOnly ? 1 : 0);
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }
}
