package org.medibridge.signaling.api;

/**
 * One API request, copied out of Netty's buffers on the event loop.
 *
 * @param method upper-case HTTP method
 * @param path the decoded-free path without the query, e.g. {@code /api/v1/appointments/a1}
 * @param authorization the Authorization header, or null
 * @param body the request body (empty when none)
 */
public record ApiRequest(String method, String path, String authorization, byte[] body) {
}
