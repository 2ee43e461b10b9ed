package org.nabla.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nabla.Tensor;
import org.nabla.charts.TrainingCharts;
import org.nabla.data.datasets.LabeledImages;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Model;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.saving.Checkpoint;
import org.nabla.nn.saving.CheckpointManager;
import org.nabla.nn.saving.HistoryCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla train}: trains a reference model (mlp or cnn) on MNIST or Fashion-MNIST with a progress bar and
 * validation on the test split each epoch, and writes the run's folder: the saved model, checkpoints, history.csv,
 * curves.png and metrics.json.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Train a reference model (mlp or cnn) on MNIST digits or Fashion-MNIST; "
        + "with no options, the cnn on MNIST.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "cnn",
            description = "mlp or cnn (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: mnist cnn 10, mnist mlp 10, fashion-mnist mlp 5, fashion-mnist cnn 3).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (default: mlp 32, cnn 128).")
    Integer batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the initial weights, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "graph",
            description = "graph (each step one traced graph) or eager (op by op); same results (default: "
                    + "${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: runs/<dataset>-<model>-<date>-<time>).")
    Path out;

    @Option(names = "--metrics-json", paramLabel = "FILE",
            description = "Also write the final metrics (test_accuracy, test_loss, train_samples_per_second, epochs, "
                    + "seconds) to this JSON file.")
    Path metricsJson;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the dataset files (default: ~/.nabla/datasets/<dataset>, then system "
                    + "folders).")
    Path dataDir;

    @Option(names = "--limit", hidden = true, paramLabel = "N",
            description = "Use only the first N train and N test examples (tests, smoke runs).")
    Integer limit;

    @Option(names = "--quiet", description = "One line per epoch instead of the progress bar.")
    boolean quiet;

    /** The default epoch counts: enough for the targets of docs/mnist.md. */
    static int defaultEpochs(String dataset, String model) {
        if (dataset.equals("fashion-mnist")) return model.equals("mlp") ? 5 : 3;
        return 10;
    }

    @Override
    public Integer call() throws IOException {
        CliSupport.requireOneOf("dataset", dataset, CliSupport.DATASETS);
        CliSupport.requireOneOf("model", model, CliSupport.MODELS);
        CliSupport.requireOneOf("mode", mode, List.of("graph", "eager"));
        int nEpochs = epochs != null ? epochs : defaultEpochs(dataset, model);
        if (nEpochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + nEpochs);
        int batch = batchSize != null ? batchSize : ReferenceModels.batchSize(model);
        if (batch <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batch);
        if (limit != null && limit <= 0) throw new IllegalArgumentException("--limit must be positive, got " + limit);

        // Everything that can fail on bad input happens before the output folder is made.
        LabeledImages data = CliSupport.loadDataset(dataset, dataDir);
        Tensor trainImages = data.trainImages(), trainLabels = data.trainLabels();
        Tensor testImages = data.testImages(), testLabels = data.testLabels();
        if (limit != null) {
            trainImages = CliSupport.firstRows(trainImages, limit);
            trainLabels = CliSupport.firstRows(trainLabels, limit);
            testImages = CliSupport.firstRows(testImages, limit);
            testLabels = CliSupport.firstRows(testLabels, limit);
        }
        Tensor xTrain = LabeledImages.toFloat(trainImages), xTest = LabeledImages.toFloat(testImages);
        Sequential m = CliSupport.referenceModel(model, seed);
        m.runEagerly(mode.equals("eager"));

        Path dir = out != null ? out : Path.of("runs", dataset + "-" + model + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        System.out.println("nabla train: " + model + " on " + data + ", " + nEpochs + " epochs, batch " + batch
                + ", " + mode + " mode, seed " + seed + "; output in " + dir);

        CheckpointManager checkpoints = new CheckpointManager(dir.resolve(CliSupport.CHECKPOINT_DIR), 2);
        TrainTimer timer = new TrainTimer();
        Path curves = dir.resolve("curves.png");
        Path csv = dir.resolve("history.csv");
        History history = new History();
        Callback artifacts = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                history.onEpochEnd(epoch, logs);
                try {
                    checkpoints.save(Checkpoint.values(CliSupport.trainingState(m)), epoch + 1);
                    // HistoryCsv (not CsvLogger, whose file gets mode 0600): epochs from 1, like the chart
                    HistoryCsv.write(csv, perEpoch(history));
                    TrainingCharts.writePng(curves, perEpoch(history));
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }
        };
        long start = System.nanoTime();
        m.fit(xTrain, trainLabels, FitOptions.epochs(nEpochs).batchSize(batch).seed(seed).verbose(quiet ? 2 : 1)
                .validationData(xTest, testLabels)
                .callbacks(timer, artifacts));
        double seconds = (System.nanoTime() - start) / 1e9;
        CliSupport.saveModel(m, dir.resolve(CliSupport.MODEL_DIR));

        double testAccuracy = history.last("val_accuracy");
        double testLoss = history.last("val_loss");
        long trainSamples = (long) xTrain.shape().dim(0) * history.epochs().size();
        double samplesPerSecond = trainSamples / timer.trainSeconds;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", testAccuracy);
        metrics.put("test_loss", testLoss);
        metrics.put("train_samples_per_second", samplesPerSecond);
        metrics.put("epochs", history.epochs().size());
        metrics.put("seconds", seconds);
        metrics.put("dataset", dataset);
        metrics.put("model", model);
        metrics.put("batch_size", batch);
        metrics.put("mode", mode);
        metrics.put("seed", seed);
        metrics.put("train_examples", xTrain.shape().dim(0));
        metrics.put("test_examples", xTest.shape().dim(0));
        CliSupport.writeJson(dir.resolve("metrics.json"), metrics);
        if (metricsJson != null) CliSupport.writeJson(metricsJson, metrics);
        System.out.println(String.format(Locale.ROOT,
                "nabla train: %s on %s: test accuracy %.2f%%, test loss %.4f after %d epochs in %.1f s "
                        + "(%.0f train samples/s); saved model in %s", model, dataset, 100 * testAccuracy, testLoss,
                history.epochs().size(), seconds, samplesPerSecond, dir.resolve(CliSupport.MODEL_DIR)));
        return 0;
    }

    static Map<String, double[]> perEpoch(History h) {
        Map<String, double[]> m = new LinkedHashMap<>();
        h.asMap().forEach((k, v) -> m.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return m;
    }

    /** Seconds spent in training steps (from each epoch's start to its last batch; validation excluded). */
    static final class TrainTimer implements Callback {
        double trainSeconds;
        private long epochStart;
        private long lastBatchEnd;

        @Override
        public void onEpochBegin(int epoch, Map<String, Double> logs) {
            epochStart = System.nanoTime();
            lastBatchEnd = epochStart;
        }

        @Override
        public void onBatchEnd(int batch, Map<String, Double> logs) { lastBatchEnd = System.nanoTime(); }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            trainSeconds += (lastBatchEnd - epochStart) / 1e9;
        }
    }
}
