package org.nabla.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP server answering TensorFlow Serving's REST API for one {@link ServedModel}: {@code GET /v1/models/NAME}
 * (status), {@code GET /v1/models/NAME/metadata} (signature), {@code POST /v1/models/NAME:predict} (row or columnar
 * format), plus {@code GET /healthz} and Prometheus {@code GET /metrics}. Requests run on virtual threads; predict
 * requests meet in a {@link Batcher} when batching is on. {@link #close} stops taking connections, finishes the
 * requests in flight, then the queued batches. The caller keeps owning (and closes) the model.
 */
public final class ModelServer implements AutoCloseable {
    /** {@code /v1/models/NAME[/versions/N][/metadata|:predict]}. */
    private static final Pattern MODEL_PATH =
            Pattern.compile("/v1/models/([^/:]+)(?:/versions/(\\d+))?(/metadata|:predict|:classify|:regress)?/?");

    private final ServedModel model;
    private final ServingOptions options;
    private final ServingMetrics metrics = new ServingMetrics();
    private final Batcher batcher;
    private final Server server;
    private volatile boolean stopping;

    private ModelServer(ServedModel model, ServingOptions options) {
        this.model = model;
        this.options = options;
        this.batcher = options.batching() && model.batchable()
                ? new Batcher(model, options.maxBatchSize(), options.batchTimeout(), metrics) : null;
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("nabla-serving");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Routes()));
        server.setStopTimeout(10_000);
    }

    /** Starts serving {@code model}; the returned server listens on {@link #port()}. */
    public static ModelServer start(ServedModel model, ServingOptions options) throws IOException {
        ModelServer s = new ModelServer(model, options);
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            throw new IOException("cannot start the model server on port " + options.port() + ": " + e.getMessage(), e);
        }
        return s;
    }

    /** The port it listens on (the one chosen when the options asked for 0). */
    public int port() { return ((ServerConnector) server.getConnectors()[0]).getLocalPort(); }

    /** The request, latency and batch counters. */
    public ServingMetrics metrics() { return metrics; }

    /** Whether concurrent predict requests are batched (on, and the model takes any batch size). */
    public boolean batching() { return batcher != null; }

    /** Waits until the server stops (another thread's {@link #close}, or a shutdown hook). */
    public void join() throws InterruptedException { server.join(); }

    /** Graceful shutdown: refuses new connections, lets requests in flight (and their batches) finish. */
    @Override
    public void close() {
        stopping = true;
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort; the batcher below still refuses or finishes what is queued.
        }
        if (batcher != null) batcher.close();
    }

    /** The one handler: routes by path, answers JSON, counts every request. */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long start = System.nanoTime();
            String path = Request.getPathInContext(request);
            String endpoint = "other";
            int status;
            String body;
            String type = "application/json";
            try {
                if (path.equals("/healthz")) {
                    endpoint = "healthz";
                    requireMethod(request, "GET");
                    if (stopping) throw new ServingException(503, "shutting down");
                    body = "{\"status\": \"ok\"}";
                } else if (path.equals("/metrics")) {
                    endpoint = "metrics";
                    requireMethod(request, "GET");
                    body = metrics.prometheusText();
                    type = "text/plain; version=0.0.4; charset=utf-8";
                } else {
                    Matcher m = MODEL_PATH.matcher(path);
                    if (!m.matches()) throw ServingException.notFound("no such path: " + path + " (this server "
                            + "answers /v1/models/" + model.name() + "[/metadata|:predict], /healthz, /metrics)");
                    String action = m.group(3) == null ? "" : m.group(3).replace("/", "");
                    endpoint = action.isEmpty() ? "status" : action.replace(":", "");
                    checkModel(m.group(1), m.group(2));
                    body = switch (action) {
                        case "" -> { requireMethod(request, "GET"); yield RestDocuments.status(); }
                        case "metadata" -> { requireMethod(request, "GET"); yield RestDocuments.metadata(model); }
                        case ":predict" -> { requireMethod(request, "POST"); yield predict(request); }
                        default -> throw ServingException.badRequest(action + " is not served; this server answers "
                                + ":predict (the model has no classify or regress signature)");
                    };
                }
                status = 200;
            } catch (ServingException e) {
                status = e.status();
                body = JsonText.error(e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                body = JsonText.error("the model failed: " + e.getMessage());
            }
            metrics.request(endpoint, status, System.nanoTime() - start);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            Content.Sink.write(response, true, body, callback);
            return true;
        }
    }

    private void checkModel(String name, String version) {
        if (!name.equals(model.name())) throw ServingException.notFound("Servable not found for request: Latest("
                + name + "); this server serves '" + model.name() + "'");
        if (version != null && !version.equals(RestDocuments.VERSION)) throw ServingException.notFound("Servable not "
                + "found for request: Specific(" + name + ", " + version + "); the only version is "
                + RestDocuments.VERSION);
    }

    private String predict(Request request) {
        PredictRequest req;
        Rows out;
        if (batcher == null) {
            req = PredictRequest.parse(readBody(request), model.inputs(), options.maxBatchSize());
            out = model.predict(req.rows());
            metrics.batch(1, req.rows().count());
        } else {
            batcher.announce();
            try {
                req = PredictRequest.parse(readBody(request), model.inputs(), options.maxBatchSize());
            } catch (RuntimeException e) {
                batcher.withdraw();
                throw e;
            }
            try {
                out = batcher.submit(req.rows()).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServingException(503, "interrupted while waiting for the batch");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            }
        }
        return req.columnar() ? JsonText.outputs(out, model.outputs()) : JsonText.predictions(out, model.outputs());
    }

    private String readBody(Request request) {
        long declared = request.getLength();
        long limit = options.maxBodyBytes();
        if (declared > limit) throw tooLarge(declared);
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) throw tooLarge(bytes.length);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServingException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    private ServingException tooLarge(long bytes) {
        return new ServingException(413, "the request body has " + bytes + " bytes, more than the limit of "
                + options.maxBodyBytes() + " (--max-body-bytes)");
    }

    private static void requireMethod(Request request, String method) {
        if (!request.getMethod().equals(method)) throw new ServingException(405, request.getMethod()
                + " is not allowed here; use " + method);
    }
}
