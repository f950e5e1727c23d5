package org.medibridge.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.medibridge.signaling.MediBridgeServer;
import org.medibridge.signaling.ServerConfig;

/**
 * Starts ONE MediBridge server in-process for a test class (dev mode, HTTP on an ephemeral port,
 * media on a free UDP port, everything on 127.0.0.1) and closes it after the class.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final MediBridgeServerExtension SERVER = new MediBridgeServerExtension();
 * ... SERVER.baseUrl() ...
 * </pre>
 */
public final class MediBridgeServerExtension implements BeforeAllCallback, AfterAllCallback {

    private MediBridgeServer server;
    private int mediaPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Exception last = null;
        // The UDP port is probed and released before the server binds it; retry on the rare race.
        for (int attempt = 0; attempt < 3 && server == null; attempt++) {
            int udp = freeUdpPort();
            try {
                server = MediBridgeServer.start(new ServerConfig(0, udp, "127.0.0.1", "127.0.0.1", true));
                mediaPort = udp;
            } catch (Exception e) {
                last = e;
            }
        }
        if (server == null) {
            throw new IllegalStateException("MediBridge server did not start", last);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }

    public int httpPort() {
        return server.httpPort();
    }

    public int mediaPort() {
        return mediaPort;
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort();
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
