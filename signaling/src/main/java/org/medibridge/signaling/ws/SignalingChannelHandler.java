package org.medibridge.signaling.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns WebSocket frames into signaling messages for one connection's {@link SignalingSession};
 * anything that is not a WebSocket frame (plain HTTP) passes on to the next handler.
 */
public final class SignalingChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SignalingChannelHandler.class);
    private static final long LINGER_MILLIS = 2_000;
    private final SignalingSessionFactory factory;
    private SignalingConnection connection;
    private SignalingSession session;
    /** A frame was refused and the close frame sent: whatever still arrives is discarded. */
    private boolean refused;

    public SignalingChannelHandler(SignalingSessionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            connection = new SignalingConnection(ctx.channel());
            session = factory.open(connection);
        } else if (evt instanceof IdleStateEvent) {
            // No frame at all for the idle period (browsers ping through the app's own "ping").
            if (connection != null) {
                connection.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "idle");
            } else {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (session == null || refused) {
                return;
            }
            if (frame instanceof TextWebSocketFrame text) {
                session.onMessage(text.text());
            } else if (frame instanceof BinaryWebSocketFrame) {
                session.onProtocolError("bad_json", "Binary frames are not part of the protocol; send JSON text");
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (refused) {
            return; // the rest of the refused frame, or later ones, while the close lingers
        }
        if (session != null && (cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException c
                && c.closeStatus() != null && c.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code())) {
            refused = true;
            session.onProtocolError("message_too_large", "A message may be at most 64 KiB");
            // The client may still be writing the frame: closing at once would reset the
            // connection and lose the error and the close frame on the client's side.
            connection.closeLingering(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too large", LINGER_MILLIS);
            return;
        }
        if (cause instanceof CorruptedWebSocketFrameException) {
            if (connection != null) {
                connection.close(WebSocketCloseStatus.PROTOCOL_ERROR.code(), "protocol error");
            } else {
                ctx.close();
            }
            return;
        }
        LOG.debug("signaling connection error: {}", cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            SignalingSession s = session;
            session = null;
            s.onClose();
        }
        super.channelInactive(ctx);
    }
}
