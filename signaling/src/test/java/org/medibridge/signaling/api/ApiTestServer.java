package org.medibridge.signaling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.medibridge.appointment.Appointment;
import org.medibridge.appointment.AppointmentBodies;
import org.medibridge.appointment.InMemoryAppointmentStore;
import org.medibridge.appointment.Person;
import org.medibridge.audit.AuditLog;
import org.medibridge.token.JoinClaims;
import org.medibridge.token.JoinTokens;

/**
 * A tiny Netty server on 127.0.0.1:0 with the pipeline the real server uses around the API
 * (codec → aggregator → ApiHandler → a stand-in for the static-file handler), fakes for tokens,
 * audit and rooms, and an HTTP client.
 */
final class ApiTestServer implements AutoCloseable {
    static final String KEY = "test-api-key-0123456789";
    static final String BASE_URL = "https://video.clinic.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Tokens that show what they were minted for: "tok.<appointment>.<participant>". */
    static final class FakeTokens implements JoinTokens {
        @Override
        public String mint(Appointment a, Person p) {
            return "tok." + a.id() + "." + p.id();
        }

        @Override
        public JoinClaims verify(String token, java.time.Instant now) {
            throw new UnsupportedOperationException();
        }
    }

    record Event(String event, String appointmentId, Map<String, String> fields) {}

    static final class FakeAudit implements AuditLog {
        final List<Event> events = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void append(String event, String appointmentId, Map<String, String> fields) {
            if (failing) {
                throw new IllegalStateException("disk full");
            }
            events.add(new Event(event, appointmentId, Map.copyOf(fields)));
        }

        @Override
        public void close() {
        }
    }

    final InMemoryAppointmentStore store = new InMemoryAppointmentStore();
    final FakeAudit audit = new FakeAudit();
    final FakeBackend backend = new FakeBackend();
    private final ExecutorService apiPool = AppointmentsApi.newExecutor();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Channel channel;

    ApiTestServer(String apiKey, Duration backendTimeout) throws InterruptedException {
        this(apiKey, backendTimeout, null, null);
    }

    /** With recording: the rooms' recording side and the catalog (either may be null). */
    ApiTestServer(String apiKey, Duration backendTimeout, RecordingApiBackend recordingBackend,
                  org.medibridge.recordings.RecordingCatalog recordings) throws InterruptedException {
        AppointmentsApi api = new AppointmentsApi(new ApiConfig(apiKey, BASE_URL + "/", backendTimeout), store,
                new FakeTokens(), audit, backend, recordingBackend, recordings,
                Clock.fixed(AppointmentBodies.NOW, ZoneOffset.UTC), apiPool);
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(128 * 1024))
                                .addLast(new ApiHandler(api))
                                .addLast(new StaticStandIn());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    static ApiTestServer start() throws InterruptedException {
        return new ApiTestServer(KEY, Duration.ofSeconds(5));
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    HttpResponse<String> send(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With the right key. */
    HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, "Bearer " + KEY);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        apiPool.shutdownNow();
        backend.close();
    }

    /** Answers every non-API request with 200 "static", as the static-file handler would. */
    private static final class StaticStandIn extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            byte[] body = ("static " + req.uri()).getBytes(StandardCharsets.UTF_8);
            var res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            var f = ctx.writeAndFlush(res);
            if (!io.netty.handler.codec.http.HttpUtil.isKeepAlive(req)) {
                f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }
    }
}
