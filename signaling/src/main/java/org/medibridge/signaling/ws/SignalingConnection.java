package org.medibridge.signaling.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.TimeUnit;

/** Sending side of one signaling WebSocket. Thread-safe: Netty queues writes onto the channel's loop. */
public final class SignalingConnection {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final Channel channel;

    /** The sending side of a WebSocket channel (also used by tests with an EmbeddedChannel). */
    public static SignalingConnection of(Channel channel) {
        return new SignalingConnection(channel);
    }

    SignalingConnection(Channel channel) {
        this.channel = channel;
    }

    public void send(ObjectNode message) {
        if (!channel.isActive()) {
            return;
        }
        try {
            channel.writeAndFlush(new TextWebSocketFrame(JSON.writeValueAsString(message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a close frame with {@code status} and closes the connection. */
    public void close(int status, String reason) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Sends a close frame, then half-closes: the peer reads the close frame (not a TCP reset
     * caused by the bytes it is still sending) while incoming bytes are discarded, until the peer
     * closes or {@code lingerMillis} pass.
     */
    public void closeLingering(int status, String reason, long lingerMillis) {
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(f -> {
            if (channel instanceof SocketChannel s && f.isSuccess()) {
                s.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), lingerMillis, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }
}
