package org.nabla.distributed;

import org.nabla.distributed.strategy.MultiWorkerMirroredStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.nabla.Tensor;
import org.nabla.TensorScope;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.FitOptions;
import org.nabla.nn.Sequential;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.losses.Loss;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.SGD;

/**
 * A small MLP trained for a few steps on fixed data with a fixed seed, in a custom loop or with {@code Model.fit}: by
 * one process on the global batches, or by one replica of a {@link MultiWorkerMirroredStrategy} on its shards. {@link #main} is one worker process of
 * {@code MirroredTrainingTest}: {@code main CLUSTER_FILE TASK OUT} trains both ways (fit traced) and writes the final
 * weights to OUT.loop and OUT.fit.
 */
final class MirroredTraining {
    static final int EXAMPLES = 60;
    static final int GLOBAL_BATCH = 15;    // uneven shards on 2 replicas (7 and 8 rows)
    static final int EPOCHS = 2;

    private MirroredTraining() {}

    private static final float[] XS = new float[EXAMPLES * 4];
    private static final int[] YS = new int[EXAMPLES];

    static {
        Random rnd = new Random(1);
        for (int i = 0; i < EXAMPLES; i++) {
            for (int j = 0; j < 4; j++) XS[i * 4 + j] = (float) rnd.nextGaussian();
            YS[i] = (XS[i * 4] + XS[i * 4 + 1] > 0 ? 1 : 0) + (XS[i * 4 + 2] > 0.5 ? 1 : 0);
        }
    }

    private static Sequential model() {
        Sequential m = new Sequential(new Dense(16, "relu"), new Dense(3));
        m.seed(7);
        m.input(4);
        return m;
    }

    /**
     * The final weights of {@code Model.fit} (shuffled batches), each flattened; {@code strategy} null: one process,
     * else the replica's shards; each step traced, or run eagerly when {@code eager}.
     */
    static List<float[]> fit(MultiWorkerMirroredStrategy strategy, boolean eager) {
        Sequential m = model();
        m.compile(new SGD(0.1, 0.9, false), Losses.sparseCategoricalCrossentropy(true));
        m.distribute(strategy);
        m.runEagerly(eager);
        m.fit(Tensors.of(XS, EXAMPLES, 4), Tensors.of(YS, EXAMPLES),
                FitOptions.epochs(EPOCHS).batchSize(GLOBAL_BATCH).seed(3).verbose(0));
        if (eager != (m.trainTraceCount() == 0)) {
            throw new AssertionError("fit " + (eager ? "eager" : "traced") + " made " + m.trainTraceCount()
                    + " traces");
        }
        return weights(m.trainableWeights());
    }

    private static List<float[]> weights(List<Variable> vars) {
        List<float[]> out = new ArrayList<>();
        for (Variable v : vars) out.add(v.read().toFloatArray());
        return out;
    }

    /** The final weights of a custom loop, each flattened; {@code strategy} null: one process on the global batches. */
    static List<float[]> train(MultiWorkerMirroredStrategy strategy) {
        float[] xs = XS;
        int[] ys = YS;
        Sequential m = model();
        SGD opt = new SGD(0.1, 0.9, false);
        Loss loss = Losses.sparseCategoricalCrossentropy(true);
        List<Variable> vars = m.trainableWeights();
        if (strategy != null) strategy.syncVariables(vars);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int b = 0; b < EXAMPLES; b += GLOBAL_BATCH) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor x = Tensors.of(java.util.Arrays.copyOfRange(xs, b * 4, (b + GLOBAL_BATCH) * 4),
                            GLOBAL_BATCH, 4);
                    Tensor y = Tensors.of(java.util.Arrays.copyOfRange(ys, b, b + GLOBAL_BATCH), GLOBAL_BATCH);
                    if (strategy != null) {
                        Tensor[] mine = strategy.shard(x, y);
                        x = mine[0];
                        y = mine[1];
                    }
                    List<Tensor> grads;
                    try (GradientTape tape = new GradientTape()) {
                        grads = tape.gradient(loss.call(y, m.call(new Tensor[] {x}, true)[0]), vars);
                    }
                    if (strategy == null) opt.applyGradients(grads, vars);
                    else strategy.applyGradients(opt, grads, vars, x.shape().dim(0));
                }
            }
        }
        return weights(vars);
    }

    public static void main(String[] args) throws Exception {
        ClusterSpec cluster = TfConfig.parseCluster(Files.readString(Path.of(args[0])), args[0]);
        int task = Integer.parseInt(args[1]);
        DistributedOptions options = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
                .stepTimeout(Duration.ofSeconds(30));
        try (Server server = Server.start(new Server.Config(cluster, "worker", task, -1, 1, options))) {
            ServerMain.announce(server, System.out);
            MultiWorkerMirroredStrategy strategy = MultiWorkerMirroredStrategy.of(server);
            write(Path.of(args[2] + ".loop"), train(strategy));
            write(Path.of(args[2] + ".fit"), fit(strategy, false));
        }
    }

    private static void write(Path file, List<float[]> weights) throws java.io.IOException {
        Files.writeString(file, weights.stream()
                .map(w -> IntStream.range(0, w.length).mapToObj(i -> Float.toString(w[i])).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n")) + "\n");
    }
}
