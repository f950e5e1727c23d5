package org.medibridge.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.medibridge.signaling.MediBridgeServer;
import org.medibridge.signaling.ServerConfig;

/**
 * A `--dev` MediBridge server bound to, and advertising, a test namespace's host-side veth
 * address, for tests whose browsers run in a {@link TestNetNamespace}.
 */
final class NamespaceServer {
    private NamespaceServer() {
    }

    /** Starts the server on {@code net}'s host side; the caller closes it. */
    static MediBridgeServer startOn(TestNetNamespace net) {
        String address = net.hostAddress();
        Exception last = null;
        // The UDP port is probed and released before the server binds it; retry on the rare race.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return MediBridgeServer.start(new ServerConfig(0, freeUdpPort(address), address, address, true));
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("MediBridge server did not start on " + net, last);
    }

    /** The base URL of the demo page on {@code server}, as a browser in the namespace reaches it. */
    static String baseUrl(TestNetNamespace net, MediBridgeServer server) {
        return "http://" + net.hostAddress() + ":" + server.httpPort();
    }

    private static int freeUdpPort(String address) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            return s.getLocalPort();
        }
    }
}
