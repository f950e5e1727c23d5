package org.medibridge.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medibridge.signaling.MediBridgeServer;
import org.medibridge.signaling.ServerConfig;

/**
 * The load generator against a real in-process server (dev mode, loopback): one 1:1 visit for a
 * few seconds. Proves it speaks the real protocol end to end (join, publisher offer with
 * simulcast, subscriber offers answered, ICE, DTLS, SRTP both ways) and that its receive-side
 * accounting sees every track. No CPU or timing figures are asserted beyond plausibility.
 */
class LoadGenIntegrationTest {
    private static MediBridgeServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Exception last = null;
        // The UDP port is probed and released before the server binds it: retry on the rare race.
        for (int attempt = 0; attempt < 3 && server == null; attempt++) {
            try {
                server = MediBridgeServer.start(new ServerConfig(0, freeUdpPort(), "127.0.0.1", "127.0.0.1", true));
            } catch (Exception e) {
                last = e;
            }
        }
        if (server == null) {
            throw new IllegalStateException("MediBridge server did not start", last);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oneVisitReceivesBothTracksBothWays(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out.json");
        LoadGenOptions o = LoadGenOptions.parse(new String[] {
                "--url", "ws://127.0.0.1:" + server.httpPort(), "--rooms", "1", "--participants", "2",
                "--ramp-seconds", "0", "--warmup", "1", "--duration", "3", "--no-floor",
                "--server-pid", Long.toString(ProcessHandle.current().pid()), "--json", json.toString()});
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LoadGen.Result r = new LoadGen(o, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        Report.print(r, o, new PrintStream(console, true, StandardCharsets.UTF_8));
        Report.writeJson(r, o, json);
        String out = console.toString(StandardCharsets.UTF_8);
        System.out.print(out);

        assertThat(r.steps()).as(out).hasSize(1);
        Measurement m = r.steps().get(0);
        // Each of the two subscribers receives the other's audio and video.
        assertThat(m.rows).as(out).hasSize(4);
        assertThat(m.rows).extracting(Measurement.TrackRow::kind).containsExactlyInAnyOrder("audio", "audio", "video", "video");
        for (Measurement.TrackRow row : m.rows) {
            TrackReceiver.Snapshot w = row.window();
            if (row.kind().equals("audio")) {
                // 50 packets/s for ~3 s
                assertThat(w.packets()).as(out).isBetween(100L, 200L);
            } else {
                // at least one frame per 1/30 s of some layer
                assertThat(w.packets()).as(out).isGreaterThan(80L);
            }
            assertThat(w.stamped()).as("every packet carries the stamp: " + out).isEqualTo(w.packets());
            assertThat(w.lossPercent()).as(out).isLessThan(2.0);
            assertThat(w.latency().percentileMicros(0.5)).as("plausible one-way latency: " + out).isBetween(1L, 100_000L);
        }
        assertThat(m.packetsSent).isGreaterThan(m.packetsReceived() / 2);
        assertThat(r.errors()).as(out).isEmpty();
        assertThat(Files.readString(json)).contains("\"tracks\"").contains("\"latencyMs\"");
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
