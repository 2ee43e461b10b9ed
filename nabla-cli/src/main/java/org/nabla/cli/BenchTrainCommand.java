package org.nabla.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.cli.bench.Benchmarks;
import org.nabla.nn.ReferenceModels;
import org.nabla.nn.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench-train}: training and inference throughput (samples/s) of the reference models on random data:
 * a fixed number of steps after a warm-up, the same measurement scripts/torch_reference.py makes in PyTorch.
 * scripts/compare-peers.sh also reads its inference rows at other batch sizes and saves the measured model for
 * {@code nabla export}, so ONNX Runtime runs exactly the model Nabla ran.
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Measure training and inference throughput (samples/s) of the "
        + "reference models on random data.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME", split = ",", defaultValue = "mlp,cnn",
            description = "Models to measure, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200",
            description = "At least this many timed training steps, then as many inference calls (default: "
                    + "${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20",
            description = "At least this many untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3",
            description = "Warm up and time each phase for at least this long too, so the JIT has compiled the hot "
                    + "paths and short steps are timed over enough calls (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (default: mlp 32, cnn 128).")
    Integer batchSize;

    @Option(names = "--infer-batch-size", paramLabel = "B", split = ",",
            description = "Measure inference at these batch sizes, comma-separated (default: the training batch); "
                    + "each adds infer_b<B>_samples_per_second and infer_b<B>_seconds_per_call.")
    List<Integer> inferBatchSizes;

    @Option(names = "--no-train", description = "Skip the training phase (inference only, initial weights).")
    boolean noTrain;

    @Option(names = "--save-model", paramLabel = "DIR",
            description = "Save each measured model as a saved model in DIR/<model> (for nabla export).")
    Path saveModel;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "graph", description = "graph or eager.")
    String mode;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        CliSupport.requireOneOf("mode", mode, List.of("graph", "eager"));
        if (steps <= 0 || warmup < 0) throw new IllegalArgumentException("--steps must be positive and --warmup >= 0");
        if (batchSize != null && batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        }
        if (inferBatchSizes != null && inferBatchSizes.stream().anyMatch(b -> b <= 0)) {
            throw new IllegalArgumentException("--infer-batch-size must be positive, got " + inferBatchSizes);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : models) {
            CliSupport.requireOneOf("model", name, CliSupport.MODELS);
            rows.add(measure(name, batchSize != null ? batchSize : ReferenceModels.batchSize(name)));
        }
        if (json) {
            StringBuilder b = new StringBuilder("[\n");
            for (int i = 0; i < rows.size(); i++) {
                b.append(CliSupport.json(rows.get(i)).strip().indent(2).stripTrailing());
                b.append(i < rows.size() - 1 ? ",\n" : "\n");
            }
            System.out.print(b.append("]\n"));
        } else {
            System.out.printf(Locale.ROOT, "%-5s %6s %8s %18s %18s %16s%n", "model", "batch", "threads",
                    "train samples/s", "infer samples/s", "train bytes/step");
            for (Map<String, Object> r : rows) {
                System.out.printf(Locale.ROOT, "%-5s %6d %8d %18.0f %18.0f %16.0f%n", r.get("model"),
                        r.get("batch_size"), r.get("threads"), r.get("train_samples_per_second"),
                        r.get("infer_samples_per_second"), r.get("train_bytes_allocated_per_step"));
            }
        }
        return 0;
    }

    private Map<String, Object> measure(String name, int batch) {
        Sequential m = CliSupport.referenceModel(name, 42);
        m.runEagerly(mode.equals("eager"));
        SplittableRandom rnd = new SplittableRandom(1);
        Tensor[] xs = images(rnd, batch);
        Tensor[] ys = new Tensor[xs.length];
        for (int v = 0; v < ys.length; v++) {
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = rnd.nextInt(CliSupport.CLASSES);
            ys[v] = Tensor.wrap(DType.INT32, Shape.of(batch), y);
        }
        long limit = (long) (seconds * 1e9);
        int trainSteps = 0;
        double trainSecs = Double.NaN;
        double trainAllocated = Double.NaN;
        if (!noTrain) {
            long w0 = System.nanoTime();
            for (int s = 0; s < warmup || System.nanoTime() - w0 < limit; s++) {
                m.trainOnBatch(xs[s % xs.length], ys[s % ys.length]);
            }
            long a0 = allocatedBytes();
            long t0 = System.nanoTime();
            while (trainSteps < steps || System.nanoTime() - t0 < limit) {
                m.trainOnBatch(xs[trainSteps % xs.length], ys[trainSteps % ys.length]);
                trainSteps++;
            }
            trainSecs = (System.nanoTime() - t0) / 1e9;
            trainAllocated = (allocatedBytes() - a0) / (double) trainSteps;
        }

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", name);
        r.put("batch_size", batch);
        r.put("threads", Benchmarks.kernelThreads());
        r.put("mode", mode);
        r.put("parameters", m.weights().stream().mapToLong(v -> v.shape().size()).sum());
        r.put("train_steps", trainSteps);
        r.put("train_samples_per_second", trainSteps * batch / trainSecs);
        r.put("train_bytes_allocated_per_step", trainAllocated);
        TracedFunction predict = TracedFunction.of(name + "_infer", a -> new Tensor[] {m.call(a[0])});
        List<Integer> inferBatches = inferBatchSizes != null ? inferBatchSizes : List.of(batch);
        for (int b : inferBatches) {
            Tensor[] in = b == batch ? xs : images(rnd, b);
            double[] stepsAndSecs = timeInference(m, predict, in, limit);
            double perSecond = stepsAndSecs[0] * b / stepsAndSecs[1];
            if (b == inferBatches.get(0)) {
                r.put("infer_steps", (int) stepsAndSecs[0]);
                r.put("infer_samples_per_second", perSecond);
            }
            if (inferBatchSizes != null) {
                r.put("infer_b" + b + "_samples_per_second", perSecond);
                r.put("infer_b" + b + "_seconds_per_call", stepsAndSecs[1] / stepsAndSecs[0]);
            }
        }
        if (saveModel != null) {
            try {
                CliSupport.saveModel(m, saveModel.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save " + name + " to " + saveModel.resolve(name), e);
            }
        }
        return r;
    }

    /** Heap bytes allocated by all threads so far (the JVM's counter; -1 where it is not supported). */
    private static long allocatedBytes() {
        if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            return t.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /** Four random image batches [b, 28, 28, 1] in [0, 1), cycled so no single input stays in cache. */
    private static Tensor[] images(SplittableRandom rnd, int b) {
        Tensor[] xs = new Tensor[4];
        for (int v = 0; v < xs.length; v++) {
            float[] x = new float[b * CliSupport.SIDE * CliSupport.SIDE];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
            xs[v] = Tensor.wrap(DType.FLOAT32, Shape.of(b, CliSupport.SIDE, CliSupport.SIDE, 1), x);
        }
        return xs;
    }

    /** Timed inference calls and their seconds, after the same warm-up rule as training. */
    private double[] timeInference(Sequential m, TracedFunction predict, Tensor[] xs, long limit) {
        double sink = 0;
        long w1 = System.nanoTime();
        for (int s = 0; s < warmup || System.nanoTime() - w1 < limit; s++) {
            sink += predict(m, predict, xs[s % xs.length]);
        }
        long t1 = System.nanoTime();
        int inferSteps = 0;
        while (inferSteps < steps || System.nanoTime() - t1 < limit) {
            sink += predict(m, predict, xs[inferSteps % xs.length]);
            inferSteps++;
        }
        double inferSecs = (System.nanoTime() - t1) / 1e9;
        if (Double.isNaN(sink)) System.err.println("nabla bench-train: NaN outputs");
        return new double[] {inferSteps, inferSecs};
    }

    private double predict(Sequential m, TracedFunction f, Tensor x) {
        Tensor out = mode.equals("eager") ? m.call(x) : f.call(x)[0];
        return out.toFloatArray()[0];
    }
}
