package org.medibridge.signaling.ws;

@FunctionalInterface
public interface SignalingSessionFactory {
    SignalingSession open(SignalingConnection connection);
}
