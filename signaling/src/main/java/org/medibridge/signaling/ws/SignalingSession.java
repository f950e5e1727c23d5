package org.medibridge.signaling.ws;

/** What the WebSocket layer delivers to the signaling logic of one connection (on its Netty loop). */
public interface SignalingSession {
    /** One complete text message (at most 64 KiB). */
    void onMessage(String text);

    /** The frame was refused before it became a message (e.g. too large, binary). */
    void onProtocolError(String code, String message);

    /** The WebSocket closed, for whatever reason. Called once. */
    void onClose();
}
