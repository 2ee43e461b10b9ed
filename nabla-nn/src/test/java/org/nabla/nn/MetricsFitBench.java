package org.nabla.nn;

import java.util.Arrays;
import java.util.Locale;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.optimizers.Adam;

/**
 * Training throughput of the MLP reference model in {@code fit} with given metrics (samples/s per epoch on random
 * data, traced steps): what the metric statistics cost in the step and on the host. Not a test; run it directly:
 * {@code java -cp ... org.nabla.nn.MetricsFitBench [rounds] [set...]}, a set being metric names joined by "+" ("none"
 * for none), prefixed by "onehot:" for one-hot targets and categorical cross-entropy (what precision, recall and AUC
 * need), e.g. {@code accuracy onehot:accuracy+auc+precision+recall}.
 * Uses only API that predates the stateful metrics, so the same file measures an older build too.
 */
public final class MetricsFitBench {
    private MetricsFitBench() {}

    /** Prints the median and range of epoch throughputs for each metric set, rounds interleaved. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[] sets = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[] {"accuracy"};
        int n = 32 * Integer.getInteger("bench.batches", 500);
        Tensor x = Ops.randomUniform(new int[] {n, 28, 28, 1}, DType.FLOAT32, 0, 1, 1);
        Tensor y = Ops.randomUniform(new int[] {n}, DType.INT32, 0, 10, 2);
        Tensor yOneHot = Ops.oneHot(y, 10);
        double[][] rates = new double[sets.length][rounds];
        Sequential[] models = new Sequential[sets.length];
        Tensor[] targets = new Tensor[sets.length];
        for (int s = 0; s < sets.length; s++) {
            models[s] = ReferenceModels.mlp(1);
            boolean oneHot = sets[s].startsWith("onehot:");
            String set = oneHot ? sets[s].substring(7) : sets[s];
            String[] names = set.equals("none") ? new String[0] : set.split("\\+");
            models[s].compile(new Adam(1e-3), oneHot ? Losses.categoricalCrossentropy(true)
                    : Losses.sparseCategoricalCrossentropy(true), names);
            targets[s] = oneHot ? yOneHot : y;
            models[s].fit(x, targets[s], FitOptions.epochs(1).batchSize(32).verbose(0));   // trace and warm up
        }
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < sets.length; s++) {
                long t0 = System.nanoTime();
                models[s].fit(x, targets[s], FitOptions.epochs(1).batchSize(32).verbose(0).seed(r));
                rates[s][r] = n / ((System.nanoTime() - t0) / 1e9);
            }
        }
        for (int s = 0; s < sets.length; s++) {
            double[] v = rates[s].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "%-38s median %6.0f samples/s (range %.0f-%.0f), %d epochs%n", sets[s],
                    v[v.length / 2], v[0], v[v.length - 1], rounds);
        }
    }
}
