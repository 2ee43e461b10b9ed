package org.nabla.distributed;

import org.nabla.distributed.strategy.ParameterServerStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.nabla.nn.optimizers.Adam;
import org.nabla.nn.optimizers.SGD;

/**
 * A small MLP trained for a few steps on fixed data with a fixed seed, in a custom loop (SGD with momentum) or with
 * {@code Model.fit} (Adam, so the ps holds two slots per variable): by one process on the global batches, or by one
 * replica of a {@link ParameterServerStrategy} on its shards. {@link #main} is one replica process of
 * {@code ParameterServerTrainingTest}: {@code main CLUSTER_FILE JOB TASK OUT} trains both ways (SYNC) and writes the
 * final weights to OUT.loop and OUT.fit.
 */
final class PsTraining {
    static final int EXAMPLES = 60;
    static final int GLOBAL_BATCH = 14;    // 3 replicas: shards of 4, 5 and 5 rows; the last batch has 4 rows
    static final int EPOCHS = 2;
    static final Tensor X;
    static final Tensor Y;

    private PsTraining() {}

    static {
        Random rnd = new Random(5);
        float[] xs = new float[EXAMPLES * 4];
        int[] ys = new int[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            for (int j = 0; j < 4; j++) xs[i * 4 + j] = (float) rnd.nextGaussian();
            ys[i] = (xs[i * 4] - xs[i * 4 + 1] > 0 ? 1 : 0) + (xs[i * 4 + 3] > 0.3 ? 1 : 0);
        }
        X = Tensors.of(xs, EXAMPLES, 4);
        Y = Tensors.of(ys, EXAMPLES);
    }

    static Sequential model() { return model(8); }

    static Sequential model(int hidden) {
        Sequential m = new Sequential(new Dense(hidden, "relu"), new Dense(3));
        m.seed(11);
        m.input(4);
        return m;
    }

    /** The final weights of a custom loop over the batches in order; {@code strategy} null: one process. */
    static List<float[]> train(ParameterServerStrategy strategy) { return train(strategy, 8); }

    /** {@link #train(ParameterServerStrategy)} with {@code hidden} units in the hidden layer. */
    static List<float[]> train(ParameterServerStrategy strategy, int hidden) {
        Sequential m = model(hidden);
        SGD opt = new SGD(0.1, 0.9, false);
        Loss loss = Losses.sparseCategoricalCrossentropy(true);
        List<Variable> vars = m.trainableWeights();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int b = 0; b < EXAMPLES; b += GLOBAL_BATCH) {
                try (TensorScope scope = TensorScope.open()) {
                    int n = Math.min(GLOBAL_BATCH, EXAMPLES - b);
                    Tensor x = org.nabla.Ops.slice(X, new int[] {b, 0}, new int[] {n, 4});
                    Tensor y = org.nabla.Ops.slice(Y, new int[] {b}, new int[] {n});
                    if (strategy != null) {
                        Tensor[] mine = strategy.shard(x, y);
                        x = mine[0];
                        y = mine[1];
                        strategy.pull(vars);
                    }
                    List<Tensor> grads;
                    try (GradientTape tape = new GradientTape()) {
                        grads = tape.gradient(loss.call(y, m.call(new Tensor[] {x}, true)[0]), vars);
                    }
                    if (strategy == null) opt.applyGradients(grads, vars);
                    else strategy.push(opt, grads, vars, x.shape().dim(0));
                }
            }
        }
        if (strategy != null) strategy.pull(vars);
        return weights(vars);
    }

    /** The final weights of {@code Model.fit} with Adam (shuffled batches); {@code strategy} null: one process. */
    static List<float[]> fit(ParameterServerStrategy strategy) {
        Sequential m = model();
        m.compile(new Adam(0.01), Losses.sparseCategoricalCrossentropy(true));
        m.distribute(strategy);
        m.fit(X, Y, FitOptions.epochs(EPOCHS).batchSize(GLOBAL_BATCH).seed(3).verbose(0));
        return weights(m.trainableWeights());
    }

    static List<float[]> weights(List<Variable> vars) {
        List<float[]> out = new ArrayList<>();
        for (Variable v : vars) out.add(v.read().toFloatArray());
        return out;
    }

    /** main CLUSTER_FILE JOB TASK OUT: one replica process (SYNC), custom loop then fit. */
    public static void main(String[] args) throws Exception {
        ClusterSpec cluster = TfConfig.parseCluster(Files.readString(Path.of(args[0])), args[0]);
        DistributedOptions options = DistributedOptions.defaults().rpcTimeout(Duration.ofSeconds(5))
                .stepTimeout(Duration.ofSeconds(40));
        try (Server server = Server.start(new Server.Config(cluster, args[1], Integer.parseInt(args[2]), -1, 1,
                options))) {
            ServerMain.announce(server, System.out);
            var mode = ParameterServerStrategy.Mode.SYNCHRONOUS;
            write(Path.of(args[3] + ".loop"), train(ParameterServerStrategy.of(server, mode).withGroup("loop")));
            write(Path.of(args[3] + ".fit"), fit(ParameterServerStrategy.of(server, mode).withGroup("fit")));
        }
    }

    static void write(Path file, List<float[]> weights) throws java.io.IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, weights.stream()
                .map(w -> IntStream.range(0, w.length).mapToObj(i -> Float.toString(w[i])).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n")) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static List<float[]> read(Path file) throws java.io.IOException {
        List<float[]> got = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            float[] w = new float[0];
            if (!line.isBlank()) {
                String[] parts = line.trim().split(" ");
                w = new float[parts.length];
                for (int j = 0; j < w.length; j++) w[j] = Float.parseFloat(parts[j]);
            }
            got.add(w);
        }
        return got;
    }

    static String describe(List<float[]> ws) {
        return ws.stream().map(Arrays::toString).collect(Collectors.joining("; "));
    }
}
