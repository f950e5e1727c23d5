package org.medibridge.signaling.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.medibridge.signaling.api.ApiHandler;
import org.medibridge.signaling.api.AppointmentsApi;
import org.medibridge.signaling.ws.SignalingChannelHandler;
import org.medibridge.signaling.ws.SignalingSessionFactory;

/**
 * HTTP + WebSocket on one TCP port. The pipeline of each connection, one handler per line:
 * HTTP codec → request aggregator (64 KiB) → WebSocket upgrade on {@code /ws} (frames up to
 * 64 KiB) → fragment aggregator → idle timeout → signaling (WebSocket) or plain HTTP.
 */
public final class HttpServer implements AutoCloseable {
    /** Largest signaling message; larger frames get {@code message_too_large}. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final int IDLE_SECONDS = 90;

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final Channel channel;

    public HttpServer(String bindAddress, int port, StaticFiles files, SignalingSessionFactory sessions,
                      Supplier<String> health, Supplier<String> metrics) throws InterruptedException {
        this(bindAddress, port, files, sessions, health, metrics, null);
    }

    /**
     * @param api the REST API of appointments, or null for none; read per connection, since the
     *            API's join links need the port this server binds
     */
    public HttpServer(String bindAddress, int port, StaticFiles files, SignalingSessionFactory sessions,
                      Supplier<String> health, Supplier<String> metrics, Supplier<AppointmentsApi> api)
            throws InterruptedException {
        WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                        // We answer the violation ourselves, with a JSON error before the close frame.
                        .closeOnProtocolViolation(false)
                        .allowExtensions(false)
                        .build())
                .build();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("http-codec", new HttpServerCodec());
                        // Twice the message limit, so that the API answers an oversized body with its
                        // own JSON 413 rather than Netty's bare one.
                        p.addLast("http-aggregator", new HttpObjectAggregator(2 * MAX_MESSAGE_BYTES));
                        p.addLast("websocket", new WebSocketServerProtocolHandler(wsConfig) {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
                                if (cause instanceof CorruptedWebSocketFrameException) {
                                    // Netty would close at once, resetting a client still writing the
                                    // frame before it reads our error: SignalingChannelHandler closes.
                                    ctx.fireExceptionCaught(cause);
                                } else {
                                    super.exceptionCaught(ctx, cause);
                                }
                            }
                        });
                        p.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_MESSAGE_BYTES));
                        p.addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS));
                        p.addLast("signaling", new SignalingChannelHandler(sessions));
                        AppointmentsApi appointmentsApi = api == null ? null : api.get();
                        if (appointmentsApi != null) {
                            p.addLast("api", new ApiHandler(appointmentsApi));
                        }
                        p.addLast("http", new HttpRequestHandler(files, health, metrics));
                    }
                });
        channel = b.bind(bindAddress, port).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
