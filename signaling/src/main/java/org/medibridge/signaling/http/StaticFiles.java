package org.medibridge.signaling.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser client and demo app, served from the classpath folder {@code /web}. Files are
 * read once and kept in memory (they are a few KiB). Only known names are served: a request
 * path never reaches the file system.
 */
public final class StaticFiles {
    public record File(byte[] content, String contentType) {}

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "ico", "image/x-icon",
            "json", "application/json");

    private final Map<String, File> cache = new ConcurrentHashMap<>();

    /** The file for a request path such as {@code /app.js}, or null. */
    public File get(String path) {
        if (path.equals("/")) {
            path = "/index.html";
        }
        if (!path.matches("/[A-Za-z0-9_-]+(\\.[A-Za-z0-9]+)+")) {
            return null;
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        if (type == null) {
            return null;
        }
        return cache.computeIfAbsent(path, p -> load(p, type));
    }

    private static File load(String path, String type) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("/web" + path)) {
            return in == null ? null : new File(in.readAllBytes(), type);
        } catch (IOException e) {
            return null;
        }
    }
}
