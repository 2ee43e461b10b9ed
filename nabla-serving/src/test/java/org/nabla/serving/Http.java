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

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() { }

    static Answer get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    static Answer post(int port, String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Answer send(HttpRequest r) throws IOException, InterruptedException {
        HttpResponse<String> resp = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.body());
    }
}
