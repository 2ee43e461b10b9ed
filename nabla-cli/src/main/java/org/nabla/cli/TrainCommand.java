package org.nabla.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import org.nabla.Tensor;
import org.nabla.nn.FitOptions;
import org.nabla.nn.History;
import org.nabla.nn.Model;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.TextModels;
import org.nabla.nn.callbacks.Callback;
import org.nabla.nn.callbacks.ProfileSteps;
import org.nabla.nn.callbacks.TerminateOnNaN;
import org.nabla.nn.callbacks.TensorBoard;
import org.nabla.nn.saving.Checkpoint;
import org.nabla.nn.saving.CheckpointManager;
import org.nabla.nn.saving.HistoryCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla train}: trains a reference model (mlp or cnn) on MNIST or Fashion-MNIST with a progress bar and
 * validation on the test split each epoch, and writes the run's folder: the saved model, checkpoints, history.csv,
 * curves.png, metrics.json and TensorBoard logs.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Train a reference model (mlp or cnn) on MNIST digits or Fashion-MNIST, or a text model (lstm "
        + "or transformer) on the SpamAssassin corpus; with no options, the cnn on MNIST.")
public final class TrainCommand implements Callable<Integer> {
    /** The run folder's TensorBoard log folder, unless --tensorboard names another. */
    static final String TENSORBOARD_DIR = "tensorboard";

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
            description = "mnist, fashion-mnist, spam or names (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "cnn",
            description = "mlp or cnn for images, lstm or transformer for spam, gru for names (default: "
                    + "${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: mnist cnn 10, mnist mlp 10, fashion-mnist mlp 5, fashion-mnist cnn 3, "
                    + "spam 3, names 10).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B",
            description = "Batch size (default: mlp 32, cnn 128, lstm and transformer 32).")
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

    @Option(names = "--resume", description = "--out holds an earlier run: continue it from its last checkpoint "
            + "(same dataset, model and options).")
    boolean resume;

    @Option(names = "--overwrite", description = "--out holds an earlier run: delete its files and start again.")
    boolean overwrite;

    @Option(names = "--metrics-json", paramLabel = "FILE",
            description = "Also write the final metrics (test_accuracy, test_loss, train_samples_per_second, epochs, "
                    + "seconds) to this JSON file.")
    Path metricsJson;

    @Option(names = "--tensorboard", paramLabel = "DIR",
            description = "Write TensorBoard logs here (default: the run folder's tensorboard/; view them with "
                    + "`tensorboard --logdir DIR`).")
    Path tensorboard;

    @Option(names = "--no-tensorboard", description = "Write no TensorBoard logs.")
    boolean noTensorboard;

    @Option(names = "--profile", paramLabel = "STEPS",
            description = "Profile STEPS training steps (from the second epoch's first, or step 10 of a one-epoch "
                    + "run) into the run folder's profile/: trace.json (Chrome trace: Perfetto, chrome://tracing) "
                    + "and summary.txt (ops by self time).")
    Integer profileSteps;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the dataset files (default: ~/.nabla/datasets/<dataset>, then system "
                    + "folders).")
    Path dataDir;

    @Option(names = "--limit", hidden = true, paramLabel = "N",
            description = "Use only the first N train and N test examples (tests, smoke runs).")
    Integer limit;

    @Option(names = "--quiet", description = "One line per epoch instead of the progress bar.")
    boolean quiet;

    @Option(names = "--cluster", paramLabel = "FILE",
            description = "Train data-parallel on the worker tasks of this cluster (a TF_CONFIG or cluster JSON file, "
                    + "e.g. written by `nabla cluster-local`): each worker is one replica, worker 0 the chief that "
                    + "validates and writes the run folder (which must be on storage every worker sees).")
    Path cluster;

    @Option(names = "--tf-config", description = "Take the cluster and this task from the TF_CONFIG variable (as a "
            + "TFJob sets it): the chief (or worker 0 when there is no chief) coordinates, every task serves.")
    boolean tfConfig;

    @Option(names = "--max-restarts", paramLabel = "N", defaultValue = "0",
            description = "With --cluster: after a task fails, wait for every task to answer again and resume from the "
                    + "last checkpoint, at most N times (default: ${DEFAULT-VALUE}).")
    int maxRestarts;

    @Mixin
    ClusterSecurityOptions security = new ClusterSecurityOptions();

    @Option(names = "--restart-wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "With --max-restarts: how long to wait for a lost task to come back (default: "
                    + "${DEFAULT-VALUE}).")
    int restartWaitSeconds;

    /** The default epoch counts: enough for the targets of docs/mnist.md. */
    static int defaultEpochs(String dataset, String model) {
        if (dataset.equals("fashion-mnist")) return model.equals("mlp") ? 5 : 3;
        if (dataset.equals("names")) return 10;
        if (TrainingData.isText(dataset)) return 3;
        return 10;
    }

    @Override
    public Integer call() throws Exception {
        if (cluster != null || tfConfig) return ClusterTraining.coordinate(this);
        return train(Replica.SINGLE);
    }

    /** Checks the options that do not need the data; the cluster coordinator runs it before contacting anyone. */
    void checkOptions() {
        CliSupport.requireOneOf("dataset", dataset, CliSupport.DATASETS);
        if (TrainingData.isText(dataset)) {
            CliSupport.requireOneOf("model", model, TrainingData.TEXT_MODELS.get(dataset));
        } else {
            CliSupport.requireOneOf("model", model, CliSupport.MODELS);
        }
        CliSupport.requireOneOf("mode", mode, List.of("graph", "eager"));
        if (epochs != null && epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        if (batchSize != null && batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        }
        if (limit != null && limit <= 0) throw new IllegalArgumentException("--limit must be positive, got " + limit);
        if (maxRestarts < 0) throw new IllegalArgumentException("--max-restarts must be >= 0, got " + maxRestarts);
        if (profileSteps != null && profileSteps < 1) {
            throw new IllegalArgumentException("--profile needs a number of steps >= 1, got " + profileSteps);
        }
        if (tensorboard != null && noTensorboard) {
            throw new IllegalArgumentException("give --tensorboard DIR or --no-tensorboard, not both");
        }
        RunFolder.checkOptions(resume, overwrite);
        if (metricsJson != null) CliSupport.checkOutputFile("--metrics-json", metricsJson);
    }

    /** The run folder: --out, or runs/<dataset>-<model>-<date>-<time>. */
    Path runFolder() {
        return out != null ? out : Path.of("runs", dataset + "-" + model + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The arguments a replica of this run gets: the training options, with the run folder {@code dir}. */
    List<String> replicaArguments(Path dir) {
        List<String> a = new ArrayList<>(List.of("--dataset", dataset, "--model", model, "--seed", Long.toString(seed),
                "--mode", mode, "--out", dir.toString()));
        if (epochs != null) a.addAll(List.of("--epochs", epochs.toString()));
        if (batchSize != null) a.addAll(List.of("--batch-size", batchSize.toString()));
        if (dataDir != null) a.addAll(List.of("--data-dir", dataDir.toString()));
        if (limit != null) a.addAll(List.of("--limit", limit.toString()));
        if (tensorboard != null) a.addAll(List.of("--tensorboard", tensorboard.toString()));
        if (noTensorboard) a.add("--no-tensorboard");
        return a;
    }

    /**
     * Trains as {@code replica}: alone ({@link Replica#SINGLE}), or as one replica of a data-parallel job, where
     * only the chief validates, writes the run folder and reports, and every replica resumes from the folder's last
     * checkpoint.
     */
    int train(Replica replica) throws IOException {
        checkOptions();
        int nEpochs = epochs != null ? epochs : defaultEpochs(dataset, model);
        int batch = batchSize != null ? batchSize
                : TrainingData.isText(dataset) ? TrainingData.textBatch(dataset) : ReferenceModels.batchSize(model);

        // Everything that can fail on bad input happens before the output folder is made.
        TrainingData data = TrainingData.load(dataset, dataDir, limit);
        Tensor xTrain = data.xTrain(), trainLabels = data.yTrain(), xTest = data.xTest(), testLabels = data.yTest();
        if (batch > xTrain.shape().dim(0)) {
            throw new IllegalArgumentException("--batch-size " + batch + " is larger than the "
                    + xTrain.shape().dim(0) + " training examples; give at most " + xTrain.shape().dim(0));
        }
        Model m = data.model(model, seed);
        m.runEagerly(mode.equals("eager"));

        Path dir = runFolder();
        // the coordinator of a cluster run prepared the folder; its replicas share it and resume from it
        if (replica.strategy() == null) RunFolder.prepare(dir, resume, overwrite);
        Files.createDirectories(dir);
        if (replica.isChief()) {
            replica.report("nabla train: " + model + " on " + data + ", " + nEpochs + " epochs, batch " + batch
                    + ", " + mode + " mode, seed " + seed + replica.describe() + "; output in " + dir);
        }

        CheckpointManager checkpoints = new CheckpointManager(dir.resolve(CliSupport.CHECKPOINT_DIR), 2);
        TrainTimer timer = new TrainTimer();
        Path curves = dir.resolve("curves.png");
        // with TensorBoard on, its callback shows the chart right after each epoch: drawn before it, not beside
        CurvesChart chart = new CurvesChart(curves, noTensorboard || !replica.isChief());
        Path csv = dir.resolve("history.csv");
        History history = new History();
        int initialEpoch = 0;
        if (replica.strategy() != null) m.distribute(replica.strategy());
        if (replica.strategy() != null || resume) {
            // every replica resumes from the chief's last checkpoint (on shared storage), so a restarted job goes on;
            // alone, --resume continues the run in --out the same way
            initialEpoch = (int) (long) checkpoints.restoreLatest(CliSupport.trainingState(m)).orElse(0L);
            if (initialEpoch >= nEpochs) {
                throw new IllegalStateException("the run folder " + dir + " already holds a checkpoint of epoch "
                        + initialEpoch + " of " + nEpochs + ": use another --out or more --epochs");
            }
            if (initialEpoch > 0 && replica.isChief()) {
                replica.report("nabla train: resuming after epoch " + initialEpoch + " from "
                        + checkpoints.latest().orElseThrow());
                if (Files.exists(csv)) replayHistory(history, HistoryCsv.read(csv), initialEpoch);
            }
        }
        // A diverging run stops at its first NaN/Inf loss, and its weights are never checkpointed or saved. Alone
        // only: replicas of a cluster must take the same number of steps (each step's all-reduce waits for all).
        TerminateOnNaN nan = new TerminateOnNaN();
        Callback artifacts = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                history.onEpochEnd(epoch, logs);
                if (replica.strategy() != null) replica.report(epochLine(epoch, nEpochs, logs));
                try {
                    // the history first: a run killed after the checkpoint then still has the epoch's row to resume
                    // with (a resumed run replays only as many rows as its checkpoint has epochs)
                    // HistoryCsv (not CsvLogger, whose file gets mode 0600): epochs from 1, like the chart
                    HistoryCsv.write(csv, perEpoch(history));
                    chart.epochEnded(perEpoch(history), history.epochs().size(), epoch + 1 == nEpochs);
                    if (!nan.terminated()) checkpoints.save(Checkpoint.values(CliSupport.trainingState(m)), epoch + 1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }
        };
        Callback cancellation = new Callback() {
            @Override
            public void onBatchEnd(int b, Map<String, Double> logs) {
                // a cancelled replica stops at once: it must not write into a run folder a new run is using
                if (replica.cancelled().getAsBoolean()) throw new CancellationException("train: cancelled");
            }
        };
        long start = System.nanoTime();
        FitOptions fit = FitOptions.epochs(nEpochs).batchSize(batch).seed(seed).initialEpoch(initialEpoch);
        if (replica.isChief()) {
            fit.verbose(replica.strategy() != null ? 0 : quiet ? 2 : 1).validationData(xTest, testLabels)
                    .callbacks(cancellation, timer);
            if (replica.strategy() == null) fit.callbacks(nan);
            fit.callbacks(artifacts);
            if (profileSteps != null) {
                int perEpoch = (xTrain.shape().dim(0) + batch - 1) / batch;
                int first = nEpochs - initialEpoch > 1 ? perEpoch : Math.min(10, perEpoch - 1);
                fit.callbacks(new ProfileSteps(dir.resolve("profile"), first, profileSteps));
            }
            if (!noTensorboard) {
                fit.callbacks(tensorBoard(tensorboard != null ? tensorboard : dir.resolve(TENSORBOARD_DIR),
                        data.rawTrainImages(), xTrain, trainLabels, nEpochs, batch)
                        .pngEachEpoch("training_curves", curves));
            }
        } else {
            fit.verbose(0).callbacks(cancellation, timer);
        }
        m.fit(xTrain, trainLabels, fit);
        if (nan.terminated()) {
            chart.finish(perEpoch(history), history.epochs().size());
            throw new IllegalStateException("training diverged: the loss became NaN or infinite in epoch "
                    + (nan.stoppedEpoch() + 1) + ", batch " + (nan.stoppedBatch() + 1) + "; no model was saved and "
                    + "no checkpoint written after it (" + dir + " keeps the earlier epochs' checkpoints and the "
                    + "history). Check the data for NaN values, or train with a lower learning rate");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!replica.isChief()) return 0;
        data.save(m, dir);
        chart.finish(perEpoch(history), history.epochs().size());   // drawn beside the save (or after an early stop)

        double testAccuracy = history.last("val_accuracy");
        double testLoss = history.last("val_loss");
        long trainSamples = (long) xTrain.shape().dim(0) * history.epochs().size();
        double samplesPerSecond = trainSamples / timer.trainSeconds;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", testAccuracy);
        metrics.put("test_loss", testLoss);
        metrics.put("train_samples_per_second", samplesPerSecond);
        // the first epoch also traces the step and warms up the JIT; this is the speed bench-train's steady step gives
        double steady = timer.steadySamplesPerSecond(xTrain.shape().dim(0));
        if (!Double.isNaN(steady)) metrics.put("steady_train_samples_per_second", steady);
        metrics.put("epochs", history.epochs().size());
        metrics.put("seconds", seconds);
        metrics.put("dataset", dataset);
        metrics.put("model", model);
        metrics.put("batch_size", batch);
        metrics.put("mode", mode);
        metrics.put("seed", seed);
        metrics.put("train_examples", xTrain.shape().dim(0));
        metrics.put("test_examples", xTest.shape().dim(0));
        metrics.put("replicas", replica.strategy() == null ? 1 : replica.strategy().replicas());
        CliSupport.writeJson(dir.resolve("metrics.json"), metrics);
        if (metricsJson != null) CliSupport.writeJson(metricsJson, metrics);
        replica.report(String.format(Locale.ROOT,
                "nabla train: %s on %s: test accuracy %.2f%%, test loss %.4f after %d epochs in %.1f s "
                        + "(%.0f train samples/s); saved model in %s", model, dataset, 100 * testAccuracy, testLoss,
                history.epochs().size(), seconds, samplesPerSecond, dir.resolve(CliSupport.MODEL_DIR)));
        return 0;
    }

    /**
     * The TensorBoard callback of a run: scalars every 50 batches and per epoch, weight histograms and gradient
     * histograms (on the first 256 training examples) per epoch, the model summary and graph, three training images,
     * curves.png each epoch and the run's options as hyperparameters.
     */
    private TensorBoard tensorBoard(Path logDir, Tensor trainImages, Tensor xTrain, Tensor trainLabels, int nEpochs,
                                    int batch) {
        Map<String, Object> hparams = new LinkedHashMap<>();
        hparams.put("dataset", dataset);
        hparams.put("model", model);
        hparams.put("epochs", nEpochs);
        hparams.put("batch_size", batch);
        hparams.put("seed", seed);
        hparams.put("mode", mode);
        int sample = Math.min(256, xTrain.shape().dim(0));
        TensorBoard tb = new TensorBoard(logDir).updateFreq(50).hparams(hparams);
        if (trainImages != null) tb.images(CliSupport.firstRows(trainImages, 3));
        return tb.gradientHistograms(CliSupport.firstRows(xTrain, sample), CliSupport.firstRows(trainLabels, sample));
    }

    /** One line of an epoch's logs, as the progress bar's epoch mode prints them. */
    static String epochLine(int epoch, int epochs, Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder("epoch " + (epoch + 1) + "/" + epochs);
        logs.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " - %s: %.4f", k, v)));
        return sb.toString();
    }

    /** Puts the first {@code epochs} epochs of a history.csv back into {@code h} (a resumed run keeps its curve). */
    static void replayHistory(History h, Map<String, double[]> csv, int epochs) {
        for (int e = 0; e < epochs; e++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> c : csv.entrySet()) {
                if (!c.getKey().equals("epoch") && e < c.getValue().length) logs.put(c.getKey(), c.getValue()[e]);
            }
            h.onEpochEnd(e, logs);
        }
    }

    static Map<String, double[]> perEpoch(History h) {
        Map<String, double[]> m = new LinkedHashMap<>();
        h.asMap().forEach((k, v) -> m.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return m;
    }

    /** Seconds spent in training steps (from each epoch's start to its last batch; validation excluded). */
    static final class TrainTimer implements Callback {
        double trainSeconds;
        /** Seconds of each epoch run here, in order (the first one pays for tracing and JIT warm-up). */
        final List<Double> epochSeconds = new ArrayList<>();
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
            double secs = (lastBatchEnd - epochStart) / 1e9;
            trainSeconds += secs;
            epochSeconds.add(secs);
        }

        /** Examples per second over the epochs after the first (NaN with one epoch): the warmed-up speed. */
        double steadySamplesPerSecond(long examplesPerEpoch) {
            if (epochSeconds.size() < 2) return Double.NaN;
            double secs = trainSeconds - epochSeconds.get(0);
            return secs > 0 ? examplesPerEpoch * (epochSeconds.size() - 1) / secs : Double.NaN;
        }
    }
}
