package org.nabla.nn.layers;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Feature-wise standardization (Keras' {@code Normalization}): {@code (x - mean) / max(sqrt(variance), 1e-7)}, or with
 * {@code invert} the way back, {@code mean + x * max(sqrt(variance), 1e-7)}. The statistics are kept per index of the
 * kept axes (the last by default) and come either from {@link #adapt} over data (population variance, combined
 * exactly over batches) or from {@link #mean(double...)} and {@link #variance(double...)}; they are non-trainable
 * weights, so they save with the model.
 */
public final class Normalization extends Layer {
    private static final double EPSILON = 1e-7;
    private final int[] axes;
    private boolean invert;
    private double[] mean;
    private double[] variance;
    private int[] keptDims; // the statistics' shape, known once adapted or built
    private Variable meanVar;
    private Variable varianceVar;

    /** Statistics per index of the last axis. */
    public Normalization() { this(-1); }

    /** Statistics per index of the {@code axes} kept (negative counts from the end; none: one mean and variance). */
    public Normalization(int... axes) { this.axes = axes.clone(); }

    /** Whether to undo a normalization instead (default false). */
    public Normalization invert(boolean b) { invert = b; return this; }

    /** The mean per kept index (one value: the same for every index); set before building, or use adapt. */
    public Normalization mean(double... m) { mean = m.clone(); return this; }

    /** The variance per kept index (one value: the same for every index). */
    public Normalization variance(double... v) {
        if (Arrays.stream(v).anyMatch(x -> !(x >= 0))) {
            throw new IllegalArgumentException("Normalization: variances must be >= 0, got " + Arrays.toString(v));
        }
        variance = v.clone();
        return this;
    }

    /** The adapted or given mean (null before). */
    public double[] adaptedMean() { return mean == null ? null : mean.clone(); }

    /** The adapted or given variance (null before). */
    public double[] adaptedVariance() { return variance == null ? null : variance.clone(); }

    /** Computes the mean and variance of {@code data} (batch first, like the layer's input). */
    public Normalization adapt(Tensor data) { return adapt(java.util.List.of(data)); }

    /** Computes the mean and variance over all of {@code batches} (a Dataset of tensors works), merged exactly. */
    public Normalization adapt(Iterable<Tensor> batches) {
        long[] count = null;
        double[] m = null, m2 = null;
        int[] dims = null;
        for (Tensor b : batches) {
            int[] kept = keptAxes(b.rank());
            int[] bd = new int[kept.length];
            for (int i = 0; i < kept.length; i++) bd[i] = b.shape().dim(kept[i]);
            if (dims == null) {
                dims = bd;
                int k = Shape.of(dims).intSize();
                count = new long[k];
                m = new double[k];
                m2 = new double[k];
            } else if (!Arrays.equals(dims, bd)) {
                throw new IllegalArgumentException(describe() + ": batch " + b.shape() + " has kept dims "
                        + Arrays.toString(bd) + " but earlier batches " + Arrays.toString(dims));
            }
            accumulate(b, kept, count, m, m2);
        }
        if (dims == null || count[0] == 0) throw new IllegalArgumentException(describe() + ": adapt got no data");
        double[] v = new double[m.length];
        for (int i = 0; i < v.length; i++) v[i] = m2[i] / count[i];
        setStatistics(dims, m, v);
        return this;
    }

    /** Welford's update, batch by batch: per kept index its count, mean and sum of squared deviations. */
    private static void accumulate(Tensor b, int[] kept, long[] count, double[] mean, double[] m2) {
        double[] x = b.toDoubleArray();
        int rank = b.rank();
        int[] stride = new int[rank]; // the flat statistic index's stride per data axis (0 for reduced axes)
        int s = 1;
        for (int i = kept.length - 1; i >= 0; i--) {
            stride[kept[i]] = s;
            s *= b.shape().dim(kept[i]);
        }
        int[] dims = b.shape().dims();
        int[] pos = new int[rank];
        for (int i = 0; i < x.length; i++) {
            int k = 0;
            for (int a = 0; a < rank; a++) k += pos[a] * stride[a];
            count[k]++;
            double d = x[i] - mean[k];
            mean[k] += d / count[k];
            m2[k] += d * (x[i] - mean[k]);
            for (int a = rank - 1; a >= 0 && ++pos[a] == dims[a]; a--) pos[a] = 0;
        }
    }

    private void setStatistics(int[] dims, double[] m, double[] v) {
        if (keptDims != null && !Arrays.equals(keptDims, dims)) {
            throw new IllegalArgumentException(describe() + ": adapted statistics " + Arrays.toString(dims)
                    + " do not fit the built layer's " + Arrays.toString(keptDims));
        }
        keptDims = dims;
        mean = m;
        variance = v;
        if (meanVar != null) {
            meanVar.assign(values(meanVar.dtype(), Shape.of(dims), m));
            varianceVar.assign(values(varianceVar.dtype(), Shape.of(dims), v));
        }
    }

    private int[] keptAxes(int rank) {
        int[] k = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            k[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (k[i] < 1 || k[i] >= rank) {
                throw new IllegalArgumentException(describe() + ": axis " + axes[i] + " is not a feature axis of rank "
                        + rank + " inputs (the batch axis 0 is always reduced)");
            }
        }
        int[] sorted = k.clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(sorted, k) || Arrays.stream(k).distinct().count() != k.length) {
            throw new IllegalArgumentException(describe() + ": axes " + Arrays.toString(axes)
                    + " must be distinct and increasing");
        }
        return k;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        for (int a : keptAxes(shapes[0].rank())) {
            if (shapes[0].dim(a) < 0) {
                throw new IllegalArgumentException(describe() + ": kept axis " + a + " of " + shapes[0]
                        + " must be known");
            }
        }
        if (mean == null || variance == null) {
            throw new IllegalStateException(describe() + " has no statistics: call adapt(data) or give mean and "
                    + "variance before building");
        }
    }

    @Override
    protected void createWeights(Shape[] in) {
        int[] kept = keptAxes(in[0].rank());
        int[] dims = new int[kept.length];
        for (int i = 0; i < kept.length; i++) dims[i] = in[0].dim(kept[i]);
        if (keptDims != null && !Arrays.equals(keptDims, dims)) {
            throw new IllegalArgumentException(describe() + ": statistics of shape " + Arrays.toString(keptDims)
                    + " do not fit input " + in[0]);
        }
        keptDims = dims;
        Shape s = Shape.of(dims);
        double[] m = widen(mean, s.intSize(), "mean"), v = widen(variance, s.intSize(), "variance");
        meanVar = addWeight("mean", s, (shape, seed) -> values(DType.FLOAT32, shape, m), false);
        varianceVar = addWeight("variance", s, (shape, seed) -> values(DType.FLOAT32, shape, v), false);
        if (meanVar.dtype() == DType.FLOAT64) { // the initializers' float32 rounding undone
            meanVar.assign(values(DType.FLOAT64, s, m));
            varianceVar.assign(values(DType.FLOAT64, s, v));
        }
    }

    /** A constant tensor made in plain Java (layers may be built inside a trace, where ops would be recorded). */
    private static Tensor values(DType dtype, Shape shape, double[] v) {
        if (dtype == DType.FLOAT64) return Tensor.wrap(DType.FLOAT64, shape, v.clone());
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.wrap(DType.FLOAT32, shape, f);
    }

    private double[] widen(double[] values, int n, String what) {
        if (values.length == n) return values;
        if (values.length != 1) {
            throw new IllegalArgumentException(describe() + ": " + what + " has " + values.length + " values for "
                    + n + " features");
        }
        double[] w = new double[n];
        Arrays.fill(w, values[0]);
        return w;
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** The steps and their mask are kept (Keras: supports_masking). */
    @Override
    protected boolean supportsMasking() { return true; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        int rank = x.rank();
        int[] bshape = new int[rank]; // the statistics broadcast against x: 1 on every reduced axis
        Arrays.fill(bshape, 1);
        int[] kept = keptAxes(rank);
        for (int i = 0; i < kept.length; i++) bshape[kept[i]] = keptDims[i];
        Tensor m = Ops.reshape(meanVar.read(), bshape), v = Ops.reshape(varianceVar.read(), bshape);
        Tensor scale = Ops.maximum(Ops.sqrt(v), EPSILON);
        return invert ? Ops.add(m, Ops.mul(x, scale)) : Ops.div(Ops.sub(x, m), scale);
    }
}
