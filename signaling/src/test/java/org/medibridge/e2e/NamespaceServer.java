package org.medibridge.e2e;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.medibridge.signaling.MediBridgeServer;
import org.medibridge.signaling.ServerConfig;

/**
 * A {@link TestNetNamespace} with a `--dev` MediBridge server bound to, and advertising, its
 * host-side veth address: the setup of every test whose browsers (or one of them) run in a
 * namespace. {@link #close} stops the server, then deletes the namespace with whatever impairment
 * the test put on it.
 */
final class NamespaceServer implements AutoCloseable {
    private final TestNetNamespace net;
    private final MediBridgeServer server;

    private NamespaceServer(TestNetNamespace net, MediBridgeServer server) {
        this.net = net;
        this.server = server;
    }

    /**
     * Checks what the test needs (skipped without it, a failure under {@code CI=true}), then
     * creates the namespace and starts the server.
     *
     * @param impairments whether the test shapes or drops traffic ({@code tc}, {@code nft})
     */
    static NamespaceServer start(boolean impairments) {
        String missing = TestNetNamespace.missingPrerequisite();
        BrowserRequirement.require(missing == null, missing);
        if (impairments) {
            String noTools = TestNetNamespace.missingImpairmentTools();
            BrowserRequirement.require(noTools == null, noTools);
        }
        TestNetNamespace net = null;
        try {
            net = TestNetNamespace.create();
        } catch (TestNetNamespace.Unavailable e) {
            BrowserRequirement.require(false, e.getMessage());
        }
        try {
            return new NamespaceServer(net, startOn(net));
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    TestNetNamespace net() {
        return net;
    }

    MediBridgeServer server() {
        return server;
    }

    /** The base URL of the demo page, as a browser in the namespace reaches it. */
    String baseUrl() {
        return "http://" + net.hostAddress() + ":" + server.httpPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            net.close(); // also removes loss rules, NAT and outage tables
        }
    }

    private static MediBridgeServer startOn(TestNetNamespace net) {
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

    private static int freeUdpPort(String address) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            return s.getLocalPort();
        }
    }
}
