package org.nabla.nn.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.TracedFunction;

/**
 * What a metric costs per batch outside the model: its statistics as a traced function, the fetch and the host step.
 * Not a test; run it directly: {@code java -cp ... org.nabla.nn.metrics.MetricStatisticsBench set...}, a set being
 * metric names joined by "+", e.g. {@code categorical_accuracy auc precision+recall+auc}; "auc_onehot" is AUC with
 * its histogram made by ops (a one-hot [elements, thresholds] matrix times the weights), "precision_ops" precision
 * with its counts made by ops (a matmul of the thresholds' decisions by the weights): the first designs.
 */
public final class MetricStatisticsBench {
    private MetricStatisticsBench() {}

    /** Prints the microseconds per batch of each set, on softmax outputs [32, 10] and one-hot targets. */
    public static void main(String[] sets) {
        Tensor p = Ops.softmax(Ops.randomNormal(new int[] {32, 10}, DType.FLOAT32, 0, 1, 3), -1);
        Tensor t = Ops.oneHot(Ops.randomUniform(new int[] {32}, DType.INT32, 0, 10, 4), 10);
        TracedFunction[] fns = new TracedFunction[sets.length];
        @SuppressWarnings("unchecked")
        List<Metric>[] metricsOf = new List[sets.length];
        for (int s = 0; s < sets.length; s++) {
            List<Metric> ms = new ArrayList<>();
            for (String name : sets[s].split("\\+")) ms.add(name.equals("auc_onehot") ? new OneHotAuc()
                    : name.equals("precision_ops") ? new OpsPrecision() : Metrics.get(name, null));
            metricsOf[s] = ms;
            fns[s] = TracedFunction.of(in -> ms.stream().map(m -> m.statistics(in[0], in[1], null))
                    .toArray(Tensor[]::new));
        }
        int calls = 2000, rounds = 7;
        double[][] us = new double[sets.length][rounds];
        for (int r = -1; r < rounds; r++) {   // round -1 traces and warms up
            for (int s = 0; s < sets.length; s++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    Tensor[] out = fns[s].call(t, p);
                    for (int k = 0; k < out.length; k++) metricsOf[s].get(k).hostStatistics(out[k].toDoubleArray());
                }
                if (r >= 0) us[s][r] = (System.nanoTime() - t0) / 1e3 / calls;
            }
        }
        for (int s = 0; s < sets.length; s++) {
            double[] v = us[s].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "%-38s median %6.1f us per batch (range %.1f-%.1f), %d rounds of %d%n",
                    sets[s], v[v.length / 2], v[0], v[v.length - 1], rounds, calls);
        }
    }

    /** AUC whose histograms are made in the step: one-hot buckets [M, n] multiplied by the weights [2, M]. */
    private static final class OneHotAuc extends Metric {
        private final AUC auc = new AUC();

        @Override public String name() { return "auc_onehot"; }

        @Override
        public Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
            Tensor t = Ops.reshape(yTrue, -1), p = Ops.clip(Ops.reshape(yPred, -1), 0f, 1f);
            Tensor bucket = Ops.cast(Ops.relu(Ops.sub(Ops.ceil(Ops.mul(p, 199f)), 1f)), DType.INT32);
            Tensor oneHot = Ops.oneHot(bucket, 200, 1, 0, -1, p.dtype());
            Tensor isPos = Ops.cast(Ops.notEqual(t, 0f), p.dtype());
            Tensor posNeg = Ops.stack(List.of(isPos, Ops.sub(1f, isPos)), 0);
            return Ops.reshape(Ops.matmul(posNeg, oneHot), -1);
        }

        @Override public double[] result(double[] totals) { return auc.result(totals); }
    }

    /** Precision at 0.5 whose counts {tp, fp, fn, tn} are made in the step by a matmul [1, M] x [M, 2]. */
    private static final class OpsPrecision extends Metric {
        private final Precision precision = new Precision();

        @Override public String name() { return "precision_ops"; }

        @Override
        public Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
            Tensor t = Ops.reshape(yTrue, -1), p = Ops.reshape(yPred, -1), w = Ops.onesLike(p);
            Tensor thr = Ops.reshape(Ops.cast(org.nabla.Tensors.of(new float[] {0.5f}), p.dtype()), 1, 1);
            Tensor predPos = Ops.cast(Ops.greater(Ops.expandDims(p, 0), thr), p.dtype());
            Tensor isPos = Ops.cast(Ops.notEqual(t, 0f), p.dtype());
            Tensor posNeg = Ops.stack(List.of(Ops.mul(isPos, w), Ops.mul(Ops.sub(1f, isPos), w)), 1);
            Tensor tpFp = Ops.matmul(predPos, posNeg);
            Tensor fnTn = Ops.sub(Ops.sum(posNeg, true, 0), tpFp);
            return Ops.reshape(Ops.concat(1, tpFp, fnTn), -1);
        }

        @Override public double[] result(double[] totals) { return precision.result(totals); }
    }
}
