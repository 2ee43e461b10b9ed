package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.nabla.serving.ModelConfig;
import org.nabla.serving.ModelConfigFile;
import org.nabla.serving.ModelServer;
import org.nabla.serving.ServingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla serve}: saved models (or ONNX files) behind TensorFlow Serving's REST API until Ctrl-C: one given by
 * {@code --model}, or several from a TensorFlow Serving config file; folders of numbered versions are reloaded.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Serve saved models (run folders, .onnx files, or folders of numbered versions) over "
                + "TensorFlow Serving's REST API (GET /v1/models/NAME, GET /v1/models/NAME/metadata, "
                + "POST /v1/models/NAME:predict|:classify|:regress, also under /versions/N or /labels/LABEL, "
                + "GET /healthz, GET /metrics) and its gRPC API (--grpc-port).")
public final class ServeCommand implements Callable<Integer> {
    private static final ServingOptions DEFAULTS = ServingOptions.defaults();

    @Option(names = "--model", paramLabel = "DIR",
            description = "A saved model directory, a run folder written by nabla train, an .onnx file, or a folder "
                    + "of numbered versions (1/, 2/, ...: the newest is served, new ones are loaded).")
    Path model;

    @Option(names = "--model-config-file", paramLabel = "FILE",
            description = "TensorFlow Serving's model config (text protobuf: model_config_list { config { name: "
                    + "'a' base_path: '...' } ... }) to serve several models; instead of --model.")
    Path configFile;

    @Option(names = "--poll-seconds", paramLabel = "S",
            description = "How often folders of numbered versions are checked for new versions "
                    + "(default: ${DEFAULT-VALUE}; 0: only at start).")
    double pollSeconds = DEFAULTS.pollInterval().toMillis() / 1000.0;

    @Option(names = "--port", paramLabel = "P", description = "The HTTP port (default: ${DEFAULT-VALUE}; 0: any free).")
    int port = DEFAULTS.port();

    @Option(names = "--grpc-port", paramLabel = "P",
            description = "The port of TensorFlow Serving's gRPC API, PredictionService and ModelService (default: "
                    + "${DEFAULT-VALUE}, TensorFlow Serving's; 0: any free; -1: no gRPC).")
    int grpcPort = 8500;

    @Option(names = "--allow-version-labels-for-unavailable-models",
            description = "Let a version label of the config file name a version that is not loaded yet (as "
                    + "TensorFlow Serving's flag of that name); without it such a label stops the server at start.")
    boolean labelsForUnavailable;

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
        if ((model == null) == (configFile == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give either --model DIR or --model-config-file FILE");
        }
        if (configFile != null && name != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--name names the --model; a config file names its models itself");
        }
        List<ModelConfig> configs = configFile != null ? ModelConfigFile.read(configFile)
                : List.of(ModelConfig.of(name != null ? name : defaultName(model), model));
        ServingOptions options = new ServingOptions(port, grpcPort, !noBatching, maxBatchSize,
                Duration.ofNanos(Math.round(batchTimeoutMs * 1e6)), maxBodyBytes,
                Duration.ofMillis(Math.round(pollSeconds * 1000)), labelsForUnavailable);
        try (ModelServer server = ModelServer.start(configs, options)) {
            Thread hook = new Thread(server::close, "nabla-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            for (String n : server.modelNames()) {
                System.out.printf("serving %s on http://localhost:%d/v1/models/%s: %s%n", n, server.port(), n,
                        server.describe(n));
            }
            if (server.grpcPort() >= 0) {
                System.out.printf("gRPC (TensorFlow Serving's PredictionService, ModelService) on localhost:%d%n",
                        server.grpcPort());
            }
            System.out.printf("batching %s; Ctrl-C stops%n", server.batching()
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
