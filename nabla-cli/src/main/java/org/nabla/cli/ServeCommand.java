package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.nabla.serving.ModelServer;
import org.nabla.serving.ServedModel;
import org.nabla.serving.ServingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla serve}: a saved model (or ONNX file) behind TensorFlow Serving's REST API until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Serve a saved model (a run folder, or an .onnx file) over TensorFlow Serving's REST API: "
                + "GET /v1/models/NAME, GET /v1/models/NAME/metadata, POST /v1/models/NAME:predict, "
                + "GET /healthz, GET /metrics (Prometheus).")
public final class ServeCommand implements Callable<Integer> {
    private static final ServingOptions DEFAULTS = ServingOptions.defaults();

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "A saved model directory, a run folder written by nabla train, or an .onnx file.")
    Path model;

    @Option(names = "--port", paramLabel = "P", description = "The HTTP port (default: ${DEFAULT-VALUE}; 0: any free).")
    int port = DEFAULTS.port();

    @Option(names = "--name", paramLabel = "NAME",
            description = "The model's name in the URLs (default: the folder's or file's name).")
    String name;

    @Option(names = "--max-batch-size", paramLabel = "N",
            description = "Most examples in one model run and in one request (default: ${DEFAULT-VALUE}).")
    int maxBatchSize = DEFAULTS.maxBatchSize();

    @Option(names = "--batch-timeout-ms", paramLabel = "MS",
            description = "How long a batch waits for more requests (default: ${DEFAULT-VALUE}).")
    double batchTimeoutMs = DEFAULTS.batchTimeout().toNanos() / 1e6;

    @Option(names = "--no-batching", description = "Run every request on its own.")
    boolean noBatching;

    @Option(names = "--max-body-bytes", paramLabel = "B",
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes = DEFAULTS.maxBodyBytes();

    @Override
    public Integer call() throws IOException, InterruptedException {
        String modelName = name != null ? name : defaultName(model);
        ServingOptions options = new ServingOptions(port, !noBatching, maxBatchSize,
                Duration.ofNanos(Math.round(batchTimeoutMs * 1e6)), maxBodyBytes);
        try (ServedModel served = ServedModel.open(modelName, model);
             ModelServer server = ModelServer.start(served, options)) {
            Thread hook = new Thread(server::close, "nabla-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.printf("serving %s on http://localhost:%d/v1/models/%s (batching %s); Ctrl-C stops%n",
                    served, server.port(), modelName, server.batching()
                            ? "up to " + maxBatchSize + " examples, " + batchTimeoutMs + " ms wait" : "off");
            System.out.flush();
            server.join();
        }
        return 0;
    }

    /** The saved model's folder name ({@code run/model} -> the run's), or the ONNX file's name without extension. */
    static String defaultName(Path model) {
        Path p = model.toAbsolutePath().normalize();
        String n = p.getFileName() == null ? "model" : p.getFileName().toString();
        if (Files.isRegularFile(p) && n.contains(".")) n = n.substring(0, n.lastIndexOf('.'));
        if (n.equals("model") && p.getParent() != null && p.getParent().getFileName() != null) {
            n = p.getParent().getFileName().toString();
        }
        return n.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
