package org.nabla.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * A server answering TensorFlow Serving's REST API for one or several models: {@code GET /v1/models/NAME}
 * (version status), {@code GET /v1/models/NAME/metadata} (signature), {@code POST /v1/models/NAME:predict} (row or
 * columnar format), {@code :classify} and {@code :regress} (tf.Example-style features), each also under
 * {@code /versions/N} or {@code /labels/LABEL}, plus {@code GET /healthz} and Prometheus {@code GET /metrics}; and,
 * when {@link ServingOptions#grpcPort} is set, TensorFlow Serving's gRPC API (PredictionService and ModelService) on
 * that port, over the same request path. Requests run on virtual threads;
 * predict requests meet in a {@link Batcher} per model version when batching is on. Models configured with a folder
 * of numbered versions are polled: a new version is loaded, then serves, then the old one unloads after answering
 * what it holds. {@link #close} stops taking connections, finishes the requests in flight, then the queued batches.
 */
public final class ModelServer implements AutoCloseable {
    /** {@code /v1/models/NAME[/versions/N|/labels/LABEL][/metadata|:predict|:classify|:regress]}. */
    private static final Pattern MODEL_PATH = Pattern.compile("/v1/models/([^/:]+)(?:/versions/(\\d{1,18})"
            + "|/labels/([^/:]+))?(/metadata|:predict|:classify|:regress)?/?");

    private final ModelRegistry registry;
    private final ServingOptions options;
    private final ServingMetrics metrics;
    private final Server server;
    private final GrpcEndpoint grpc;
    private final ScheduledExecutorService poller;
    private volatile boolean stopping;

    private ModelServer(Map<String, ModelVersions> models, ServingOptions options, ServingMetrics metrics) {
        this.registry = new ModelRegistry(models, options, metrics);
        this.options = options;
        this.metrics = metrics;
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("nabla-serving");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Routes()));
        server.setStopTimeout(10_000);
        this.grpc = options.grpcPort() < 0 ? null : new GrpcEndpoint(registry, options.grpcPort());
        boolean watch = !options.pollInterval().isZero() && models.values().stream().anyMatch(ModelVersions::versioned);
        this.poller = watch ? Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                .name("nabla-serving-versions").daemon().unstarted(r)) : null;
    }

    /** Starts serving {@code model} as version 1; the returned server listens on {@link #port()}. */
    public static ModelServer start(ServedModel model, ServingOptions options) throws IOException {
        ServingMetrics metrics = new ServingMetrics();
        Map<String, ModelVersions> one = Map.of(model.name(), ModelVersions.fixed(model, options, metrics));
        return start(new ModelServer(one, options, metrics));
    }

    /**
     * Loads the configured models (the versions their policies want) and starts serving them; the server owns and
     * closes them. Models whose base path holds numbered versions are watched every {@link ServingOptions#pollInterval}.
     */
    public static ModelServer start(List<ModelConfig> configs, ServingOptions options) throws IOException {
        if (configs.isEmpty()) throw new IllegalArgumentException("no model to serve");
        ServingMetrics metrics = new ServingMetrics();
        Map<String, ModelVersions> models = new LinkedHashMap<>();
        try {
            for (ModelConfig c : configs) {
                if (models.containsKey(c.name())) throw new IllegalArgumentException("model '" + c.name()
                        + "' is configured twice");
                models.put(c.name(), ModelVersions.open(c, options, metrics));
            }
        } catch (IOException | RuntimeException e) {
            models.values().forEach(ModelVersions::close);
            throw e;
        }
        return start(new ModelServer(Collections.unmodifiableMap(models), options, metrics));
    }

    private static ModelServer start(ModelServer s) throws IOException {
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            throw new IOException("cannot start the model server on port " + s.options.port() + ": "
                    + e.getMessage(), e);
        }
        if (s.grpc != null) {
            try {
                s.grpc.start();
            } catch (IOException e) {
                s.close();
                throw new IOException("cannot start the gRPC server on port " + s.options.grpcPort() + ": "
                        + e.getMessage(), e);
            }
        }
        if (s.poller != null) {
            long every = s.options.pollInterval().toNanos();
            s.poller.scheduleWithFixedDelay(s::pollVersions, every, every, TimeUnit.NANOSECONDS);
        }
        return s;
    }

    /** Looks for new and removed versions of every watched model now (the poller does it on its own too). */
    public void pollVersions() { registry.pollVersions(); }

    /** What model {@code name} serves now: its newest version, where it was loaded from, its signature. */
    public String describe(String name) { return registry.model(name).describe(); }

    /** The names of the served models, in configuration order. */
    public List<String> modelNames() { return List.copyOf(registry.models().keySet()); }

    /** The port it listens on (the one chosen when the options asked for 0). */
    public int port() { return ((ServerConnector) server.getConnectors()[0]).getLocalPort(); }

    /** The gRPC port (the one chosen when the options asked for 0); -1 when gRPC is off. */
    public int grpcPort() { return grpc == null ? -1 : grpc.port(); }

    /** The request, latency and batch counters. */
    public ServingMetrics metrics() { return metrics; }

    /** Whether concurrent predict requests are batched (on, and the first model's newest version takes any batch). */
    public boolean batching() { return registry.models().values().iterator().next().batching(); }

    /** Waits until the server stops (another thread's {@link #close}, or a shutdown hook). */
    public void join() throws InterruptedException { server.join(); }

    /** Graceful shutdown: refuses new connections and calls, lets those in flight (and their batches) finish. */
    @Override
    public void close() {
        stopping = true;
        if (poller != null) poller.shutdownNow();
        if (grpc != null) grpc.shutdown();
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort; the batchers below still refuse or finish what is queued.
        }
        if (grpc != null) grpc.awaitTermination();
        registry.close();
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
                            + "answers /v1/models/NAME[/versions/N|/labels/LABEL][/metadata|:predict|:classify|"
                            + ":regress], /healthz, /metrics)");
                    String action = m.group(4) == null ? "" : m.group(4).replace("/", "");
                    endpoint = action.isEmpty() ? "status" : action.replace(":", "");
                    String name = m.group(1);
                    Long version = m.group(2) == null ? null : Long.valueOf(m.group(2));
                    String label = m.group(3);
                    if (action.isEmpty()) {
                        requireMethod(request, "GET");
                        body = RestDocuments.status(registry.states(name, version, label));
                    } else {
                        requireMethod(request, action.equals("metadata") ? "GET" : "POST");
                        ServedVersion v = registry.acquire(name, version, label);
                        try {
                            body = switch (action) {
                                case "metadata" -> RestDocuments.metadata(v.model, v.version);
                                case ":predict" -> predict(v, request);
                                case ":classify" -> classify(v, request);
                                default -> regress(v, request);
                            };
                        } finally {
                            v.release();
                        }
                    }
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

    private String predict(ServedVersion v, Request request) {
        PredictRequest req;
        Rows out;
        if (v.batcher == null) {
            req = PredictRequest.parse(readBody(request), v.model.inputs(), options.maxBatchSize());
            out = registry.runAlone(v, req.rows());
        } else {
            // Announced before the body is read, so that the batcher waits for this request's rows.
            v.batcher.announce();
            try {
                req = PredictRequest.parse(readBody(request), v.model.inputs(), options.maxBatchSize());
            } catch (RuntimeException e) {
                v.batcher.withdraw();
                throw e;
            }
            out = ModelRegistry.runAnnounced(v, req.rows());
        }
        return req.columnar() ? JsonText.outputs(out, v.model.outputs())
                : JsonText.predictions(out, v.model.outputs());
    }

    private String classify(ServedVersion v, Request request) {
        int scores = ExampleRequests.scoresOutput(v.model);
        Rows in = ExampleRequests.parse(readBody(request), v.model.inputs(), options.maxBatchSize());
        return ExampleRequests.classification(registry.run(v, in), v.model, scores);
    }

    private String regress(ServedVersion v, Request request) {
        int t = ExampleRequests.regressionOutput(v.model);
        Rows in = ExampleRequests.parse(readBody(request), v.model.inputs(), options.maxBatchSize());
        return ExampleRequests.regression(registry.run(v, in), v.model, t);
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
