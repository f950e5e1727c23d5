package org.medibridge.router;

/** Where an endpoint's protected datagrams go (the ICE transport). Called on the worker thread. */
@FunctionalInterface
public interface DatagramSink {
    void send(byte[] buf, int off, int len);
}
