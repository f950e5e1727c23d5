package org.medibridge.signaling.api;

import java.time.Duration;

/**
 * Settings of the REST API.
 *
 * @param apiKey the bearer key ({@code MEDIBRIDGE_API_KEY} / {@code --api-key}); null or blank
 *               closes the API (every request 401 {@code api_closed})
 * @param publicBaseUrl where browsers reach the demo app, e.g. {@code https://video.clinic.example};
 *                      join links are {@code <publicBaseUrl>/?token=<jwt>}
 * @param backendTimeout how long a request waits for the rooms before 503 {@code rooms_unavailable}
 */
public record ApiConfig(String apiKey, String publicBaseUrl, Duration backendTimeout) {

    public ApiConfig {
        if (publicBaseUrl == null || !publicBaseUrl.matches("https?://[^\\s?#]+")) {
            throw new IllegalArgumentException("public base URL must be an http(s) URL without query or fragment");
        }
        while (publicBaseUrl.endsWith("/")) {
            publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
        }
        if (backendTimeout == null || backendTimeout.isNegative() || backendTimeout.isZero()) {
            throw new IllegalArgumentException("backend timeout must be positive");
        }
    }

    public ApiConfig(String apiKey, String publicBaseUrl) {
        this(apiKey, publicBaseUrl, Duration.ofSeconds(10));
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ApiConfig[apiKey=" + (apiKey == null || apiKey.isBlank() ? "none" : "set")
                + ", publicBaseUrl=" + publicBaseUrl + ", backendTimeout=" + backendTimeout + "]";
    }
}
