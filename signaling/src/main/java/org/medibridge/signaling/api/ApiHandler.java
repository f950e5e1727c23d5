package org.medibridge.signaling.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Netty glue for {@link AppointmentsApi}: one instance per connection, placed after the HTTP
 * codec and aggregator and before the plain-HTTP handler. It takes requests whose path is
 * {@code /api} or starts with {@code /api/} and passes everything else on untouched.
 * <p>
 * The event loop only copies the request and writes the response: the API completes its future
 * on its executor, and the response is written back on this channel's event loop. Responses go out
 * in request order: while an API request is in flight, reading pauses and any request already
 * decoded (HTTP pipelining) waits in a short queue, whichever handler it is for. Downloads
 * ({@link ApiResponse#file()}) are streamed from disk as a FileRegion.
 */
public final class ApiHandler extends ChannelInboundHandlerAdapter {
    /** More pipelined requests than this while one is in flight closes the connection. */
    private static final int MAX_QUEUED = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppointmentsApi api;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean busy;

    public ApiHandler(AppointmentsApi api) {
        this.api = api;
    }

    /** Whether a request path belongs to the API. */
    public static boolean isApiPath(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (busy) {
            if (queued.size() >= MAX_QUEUED) {
                ReferenceCountUtil.release(req);
                ctx.close();
                return;
            }
            queued.add(req);
            return;
        }
        dispatch(ctx, req);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).rawPath();
        if (!isApiPath(path)) {
            ctx.fireChannelRead(req);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        ApiRequest r;
        try {
            if (!req.decoderResult().isSuccess()) {
                write(ctx, ApiResponse.error(400, "bad_request", "the HTTP request could not be decoded", Map.of()),
                        false);
                return;
            }
            r = new ApiRequest(req.method().name(), path, req.headers().get(HttpHeaderNames.AUTHORIZATION),
                    ByteBufUtil.getBytes(req.content()));
        } finally {
            req.release();
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        api.handle(r).whenComplete((res, err) -> ctx.executor().execute(() -> {
            ApiResponse out = err == null ? res : AppointmentsApi.toError(err);
            write(ctx, out, keepAlive);
            busy = false;
            if (keepAlive && ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
                ctx.read();
                drain(ctx);
            } else {
                releaseQueued();
            }
        }));
    }

    private void drain(ChannelHandlerContext ctx) {
        while (!busy && !queued.isEmpty()) {
            dispatch(ctx, queued.poll());
        }
    }

    private static void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        if (r.file() != null) {
            writeFile(ctx, r, keepAlive);
            return;
        }
        byte[] body = bytes(r);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(body));
        if (r.body() != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        }
        if (r.status() != 204) {
            // RFC 9110 section 8.6: no Content-Length in a 204.
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        // Bodies carry join links (bearer tokens): no cache may keep them.
        commonHeaders(res, r, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void commonHeaders(HttpResponse res, ApiResponse r, boolean keepAlive) {
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("X-Content-Type-Options", "nosniff");
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /**
     * A download: the headers, then the file as a FileRegion (zero-copy from the page cache; Netty
     * writes it as the socket drains, so a large file never sits in memory), then the last chunk.
     * The file is opened here, so its length is that of what is sent; a file gone meanwhile is a 404.
     */
    private static void writeFile(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FileChannel ch;
        long length;
        try {
            ch = FileChannel.open(r.file().path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            length = ch.size();
        } catch (IOException e) {
            write(ctx, ApiResponse.error(404, "file_not_found", "the file is no longer there", Map.of()), keepAlive);
            return;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.file().contentType());
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        commonHeaders(res, r, keepAlive);
        ctx.write(res);
        ctx.write(new DefaultFileRegion(ch, 0, length)); // closes the channel when released
        var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] bytes(ApiResponse r) {
        if (r.body() == null) {
            return new byte[0];
        }
        try {
            return JSON.writeValueAsBytes(r.body());
        } catch (JsonProcessingException e) {
            return "{\"status\":500,\"code\":\"internal_error\",\"message\":\"internal error\"}"
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private void releaseQueued() {
        FullHttpRequest q;
        while ((q = queued.poll()) != null) {
            q.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseQueued();
        ctx.fireChannelInactive();
    }
}
