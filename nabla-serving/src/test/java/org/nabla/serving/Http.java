package org.nabla.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.nabla.io.Json;

/** A tiny JSON client over java.net.http for the tests. */
final class Http {
    /** A status code and its body, parsed when it is JSON. */
    record Answer(int status, String body) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> json() { return (java.util.Map<String, Object>) Json.parse(body); }
    }

    private Http() { }

    static Answer get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    static Answer post(int port, String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /**
     * One client (and so one connection) per request: tests start and stop many servers on ephemeral ports, and a
     * shared client's pooled connection to a stopped server whose port a new server got again fails a POST with "header
     * parser received no bytes" (seen once in CI); the load tests exercise kept-alive connections instead.
     */
    private static Answer send(HttpRequest r) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
            return new Answer(resp.statusCode(), resp.body());
        }
    }
}
