package org.medibridge.signaling.negotiation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the harness page on 127.0.0.1 (a secure context, so getUserMedia works) and, for pages
 * opened with {@code ?poll}, relays calls: the page long-polls {@code /rpc/next} and posts
 * {@code /rpc/result}.
 */
final class HarnessServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final BlockingQueue<Map<String, Object>> commands = new LinkedBlockingQueue<>();
    private final Map<Integer, CompletableFuture<BrowserPage.Result>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    HarnessServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/rpc/next", this::next);
        server.createContext("/rpc/result", this::result);
        server.createContext("/", this::file);
        server.setExecutor(executor);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** Queues a call for a polling page and waits for its result. */
    BrowserPage.Result call(String function, long timeoutSeconds, String... args) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<BrowserPage.Result> f = new CompletableFuture<>();
        pending.put(id, f);
        commands.add(Map.of("id", id, "fn", function, "args", List.of(args)));
        try {
            return f.get(timeoutSeconds, TimeUnit.SECONDS);
        } finally {
            pending.remove(id);
        }
    }

    void quitPage() {
        commands.add(Map.of("id", 0, "fn", "quit", "args", List.of()));
    }

    private void next(HttpExchange ex) throws IOException {
        Map<String, Object> cmd;
        try {
            cmd = commands.poll(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cmd = null;
        }
        if (cmd == null) {
            ex.sendResponseHeaders(204, -1);
            ex.close();
            return;
        }
        send(ex, 200, "application/json", JSON.writeValueAsBytes(cmd));
    }

    private void result(HttpExchange ex) throws IOException {
        Map<?, ?> r = JSON.readValue(ex.getRequestBody(), Map.class);
        CompletableFuture<BrowserPage.Result> f = pending.get(((Number) r.get("id")).intValue());
        if (f != null) {
            f.complete(new BrowserPage.Result(Boolean.TRUE.equals(r.get("ok")), String.valueOf(r.get("value"))));
        }
        send(ex, 200, "text/plain", new byte[0]);
    }

    private void file(HttpExchange ex) throws IOException {
        String name = ex.getRequestURI().getPath().substring(1);
        if (!name.matches("[a-z]+\\.(html|js)")) {
            send(ex, 404, "text/plain", new byte[0]);
            return;
        }
        try (InputStream in = HarnessServer.class.getResourceAsStream("/sdp/browser/" + name)) {
            if (in == null) {
                send(ex, 404, "text/plain", new byte[0]);
                return;
            }
            send(ex, 200, name.endsWith(".js") ? "text/javascript" : "text/html", in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
