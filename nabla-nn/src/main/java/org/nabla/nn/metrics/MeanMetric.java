package org.nabla.nn.metrics;

import java.util.List;
import java.util.function.BinaryOperator;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.losses.Reduction;

/**
 * The weighted mean of a per-example value (Keras' {@code MeanMetricWrapper}): statistics {sum of value * weight,
 * sum of weights}. Values with more axes than the weights are first averaged over the extra axes (one value per
 * example); a scalar value is taken as the mean of the batch's examples.
 */
public final class MeanMetric extends Metric {
    private final String name;
    private final BinaryOperator<Tensor> fn;

    /** A metric named {@code name} averaging {@code fn(yTrue, yPred)} (per-example values or a batch mean). */
    public MeanMetric(String name, BinaryOperator<Tensor> fn) {
        if (name == null || fn == null) throw new IllegalArgumentException("a mean metric needs a name and a function");
        this.name = name;
        this.fn = fn;
    }

    @Override public String name() { return name; }

    /** The function averaged. */
    public BinaryOperator<Tensor> fn() { return fn; }

    @Override
    public Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor v = fn.apply(yTrue, yPred);
        if (!v.dtype().isFloating()) v = Ops.cast(v, yPred.dtype().isFloating() ? yPred.dtype() : DType.FLOAT32);
        if (v.shape().rank() == 0) {
            // a batch mean: it stands for the batch's examples
            Tensor n = Ops.cast(Tensors.scalar((float) examples(yPred)), v.dtype());
            return Ops.stack(List.of(Ops.mul(v, n), n), 0);
        }
        if (sampleWeight != null && v.shape().rank() > 1 && sampleWeight.shape().rank() == v.shape().rank()
                && sampleWeight.shape().dim(-1) == v.shape().dim(-1)) {
            // temporal weights [N, T] for per-step values [N, T]: each value weighted, as Keras' Mean does
            Tensor w = Reduction.broadcastable(sampleWeight, v);
            return Ops.stack(List.of(Ops.sum(Ops.mul(v, w)), Ops.sum(w)), 0);
        }
        if (v.shape().rank() > 1) v = Ops.mean(v, range(1, v.shape().rank()));
        if (sampleWeight == null) {
            Tensor n = Ops.cast(Tensors.scalar((float) v.shape().dim(0)), v.dtype());
            return Ops.stack(List.of(Ops.sum(v), n), 0);
        }
        Tensor w = Reduction.broadcastable(sampleWeight, v);
        return Ops.stack(List.of(Ops.sum(Ops.mul(v, w)), Ops.sum(w)), 0);
    }

    @Override
    public double[] result(double[] t) { return new double[] {t[1] == 0 ? 0 : t[0] / t[1]}; }

    private static long examples(Tensor t) { return t.shape().rank() == 0 ? 1 : t.shape().dim(0); }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
