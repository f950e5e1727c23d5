package org.medibridge.dtls;

import java.io.IOException;

/** Sends one datagram to the peer (in production: the ICE component's selected pair). */
@FunctionalInterface
public interface DatagramSender {
    void send(byte[] buf, int off, int len) throws IOException;
}
