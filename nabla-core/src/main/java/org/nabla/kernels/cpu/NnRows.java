package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * The row- and channel-wise nn kernels: softmax, log-softmax, the cross-entropy losses, mean squared error, bias add,
 * batch norm and dropout. Reductions along a row run in float64 for both dtypes (rows are loaded into a scratch
 * array); per-element channel ops run in the tensor's own dtype.
 */
final class NnRows {
    private NnRows() {}

    // ---------------------------------------------------------------- row loading

    /** Loads {@code len} elements {@code stride} apart from a float[] or double[] into {@code row}. */
    private static void load(Object src, int base, int stride, double[] row, int len) {
        if (src instanceof float[] f) {
            for (int j = 0; j < len; j++) row[j] = f[base + j * stride];
        } else {
            double[] d = (double[]) src;
            for (int j = 0; j < len; j++) row[j] = d[base + j * stride];
        }
    }

    private static void store(double[] row, Object dst, int base, int stride, int len) {
        if (dst instanceof float[] f) {
            for (int j = 0; j < len; j++) f[base + j * stride] = (float) row[j];
        } else {
            double[] d = (double[]) dst;
            for (int j = 0; j < len; j++) d[base + j * stride] = row[j];
        }
    }

    private static void set(Object dst, int i, double v) {
        if (dst instanceof float[] f) f[i] = (float) v;
        else ((double[]) dst)[i] = v;
    }

    private static int rowGrain(int len) { return Math.max(1, CpuNnKernels.GRAIN / Math.max(1, len)); }

    // ---------------------------------------------------------------- softmax

    /** Softmax or log-softmax along {@code axis}, subtracting the row maximum first. */
    static Tensor[] softmax(KernelContext ctx, boolean log) {
        Tensor x = ctx.input(0);
        int axis = ctx.attrs().getInt("axis");
        Shape s = x.shape();
        int ax = Shape.normalizeAxis(axis, s.rank(), log ? "LogSoftmax" : "Softmax");
        int len = s.dim(ax);
        int inner = 1;
        for (int i = ax + 1; i < s.rank(); i++) inner *= s.dim(i);
        int n = s.intSize();
        int rows = len == 0 ? 0 : n / len;
        int in = inner;
        Object src = x.data();
        Object dst = ctx.allocate(x.dtype().storage(), n);
        if (in == 1 && src instanceof float[] f && len > 0) {
            // float32 along the last axis: vectorized in float32 (attention's [batch, heads, T, T] scores)
            float[] out = (float[]) dst;
            Parallel.forRange(rows, rowGrain(len), (from, to) -> {
                for (int r = from; r < to; r++) softmaxRowFloat(f, out, r * len, len, log);
            });
            return new Tensor[] {Tensor.wrap(x.dtype(), s, dst)};
        }
        Parallel.forRange(rows, rowGrain(len), (from, to) -> {
            double[] row = new double[len];
            for (int r = from; r < to; r++) {
                int base = (r / in) * len * in + r % in;
                load(src, base, in, row, len);
                softmaxRow(row, len, log);
                store(row, dst, base, in, len);
            }
        });
        return new Tensor[] {Tensor.wrap(x.dtype(), s, dst)};
    }

    private static final jdk.incubator.vector.VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /**
     * One float32 row {@code x[at, at + len)} into {@code z}: the maximum first, exp(x - max) summed in vector lanes,
     * then scaled (or (x - max) - log(sum) for log-softmax). An all -inf row gives NaN, as the float64 path.
     */
    private static void softmaxRowFloat(float[] x, float[] z, int at, int len, boolean log) {
        int L = F.length(), bound = F.loopBound(len), j;
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (j = 0; j < bound; j += L) vmax = vmax.max(FloatVector.fromArray(F, x, at + j));
        float max = vmax.reduceLanes(jdk.incubator.vector.VectorOperators.MAX);
        for (; j < len; j++) max = Math.max(max, x[at + j]);
        if (max == Float.NEGATIVE_INFINITY) max = 0;
        FloatVector vm = FloatVector.broadcast(F, max), vsum = FloatVector.zero(F);
        for (j = 0; j < bound; j += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, at + j).sub(vm));
            if (!log) e.intoArray(z, at + j);
            vsum = vsum.add(e);
        }
        double sum = vsum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; j < len; j++) {
            float e = VectorMath.exp(x[at + j] - max);
            if (!log) z[at + j] = e;
            sum += e;
        }
        if (log) {
            float logSum = (float) Math.log(sum);
            for (j = 0; j < bound; j += L) {
                FloatVector.fromArray(F, x, at + j).sub(vm).sub(logSum).intoArray(z, at + j);
            }
            for (; j < len; j++) z[at + j] = (x[at + j] - max) - logSum;
        } else {
            float inv = (float) (1 / sum);
            for (j = 0; j < bound; j += L) FloatVector.fromArray(F, z, at + j).mul(inv).intoArray(z, at + j);
            for (; j < len; j++) z[at + j] *= inv;
        }
    }

    /** In place. Shifts by the maximum first and keeps (x - max) - log(sum) in that order, so no large value cancels. */
    private static void softmaxRow(double[] row, int len, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) max = Math.max(max, row[j]);
        if (max == Double.NEGATIVE_INFINITY) max = 0; // all -inf: exp gives 0s, sum 0, softmax NaN as in TF
        double sum = 0;
        for (int j = 0; j < len; j++) sum += Math.exp(row[j] - max);
        if (log) {
            double logSum = Math.log(sum);
            for (int j = 0; j < len; j++) row[j] = (row[j] - max) - logSum;
        } else {
            double inv = 1 / sum;
            for (int j = 0; j < len; j++) row[j] = Math.exp(row[j] - max) * inv;
        }
    }

    // ---------------------------------------------------------------- losses

    /**
     * Softmax cross-entropy per row: loss = sum(labels * (logsumexp(x) - x)) (sparse: logsumexp(x) - x[label]), and
     * backprop = softmax(x) - labels. Zero labels contribute nothing even where a logit is -inf.
     */
    static Tensor[] crossEntropy(Tensor logits, Tensor labels, boolean sparse) {
        int n = logits.shape().dim(0), c = logits.shape().dim(1);
        long[] classes = sparse ? labels.toLongArray() : null;
        if (sparse) {
            for (int i = 0; i < n; i++) {
                if (classes[i] < 0 || classes[i] >= c) {
                    throw new OpException("SparseSoftmaxCrossEntropyWithLogits", "label " + classes[i] + " in row " + i
                            + " is out of range [0, " + c + ") for logits " + logits.shape());
                }
            }
        }
        Object x = logits.data();
        Object y = sparse ? null : labels.data();
        Object loss = Strided.allocate(logits.dtype().storage(), n);
        Object backprop = Strided.allocate(logits.dtype().storage(), n * c);
        // Probabilities below the dtype's smallest normal are stored as zero: a subnormal gradient would make
        // every multiply of the backward matrix products that reads it slow (see Subnormals).
        double tiny = logits.dtype() == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        Parallel.forRange(n, rowGrain(c), (from, to) -> {
            double[] row = new double[c];
            double[] lab = new double[c];
            for (int i = from; i < to; i++) {
                load(x, i * c, 1, row, c);
                if (sparse) {
                    java.util.Arrays.fill(lab, 0);
                    lab[(int) classes[i]] = 1;
                } else {
                    load(y, i * c, 1, lab, c);
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, row[j]);
                double sum = 0;
                for (int j = 0; j < c; j++) sum += Math.exp(row[j] - max);
                double logSum = Math.log(sum);
                double inv = 1 / sum;
                double l = 0;
                for (int j = 0; j < c; j++) {
                    double shifted = row[j] - max;
                    if (lab[j] != 0) l += lab[j] * (logSum - shifted);
                    double d = Math.exp(shifted) * inv - lab[j];
                    row[j] = Math.abs(d) < tiny ? 0 : d;
                }
                set(loss, i, l);
                store(row, backprop, i * c, 1, c);
            }
        });
        return new Tensor[] {Tensor.wrap(logits.dtype(), Shape.of(n), loss),
                Tensor.wrap(logits.dtype(), logits.shape(), backprop)};
    }

    /** mean((p - y)^2) over the last axis (Keras' mean_squared_error): one value per leading index. */
    static Tensor[] meanSquaredError(Tensor predictions, Tensor labels, TensorSpec out) {
        int len = predictions.shape().dim(-1);
        int rows = out.shape().intSize();
        Object p = predictions.data();
        Object y = labels.data();
        Object dst = Strided.allocate(predictions.dtype().storage(), rows);
        Parallel.forRange(rows, rowGrain(len), (from, to) -> {
            double[] a = new double[len];
            double[] b = new double[len];
            for (int r = from; r < to; r++) {
                load(p, r * len, 1, a, len);
                load(y, r * len, 1, b, len);
                double sum = 0;
                for (int j = 0; j < len; j++) {
                    double d = a[j] - b[j];
                    sum += d * d;
                }
                set(dst, r, sum / len);
            }
        });
        return new Tensor[] {Tensor.wrap(predictions.dtype(), out.shape(), dst)};
    }

    // ---------------------------------------------------------------- per-channel affine: bias add, batch norm

    static Tensor[] biasAdd(Tensor value, Tensor bias, boolean nchw) {
        return new Tensor[] {channelAffine(value, null, bias.toDoubleArray(), nchw)};
    }

    /** y = (x - mean) * scale / sqrt(variance + epsilon) + offset, folded into y = x * a + b per channel. */
    static Tensor[] batchNorm(Tensor[] in, double epsilon, boolean nchw) {
        double[] scale = in[1].toDoubleArray(), offset = in[2].toDoubleArray();
        double[] mean = in[3].toDoubleArray(), variance = in[4].toDoubleArray();
        int c = scale.length;
        double[] a = new double[c];
        double[] b = new double[c];
        for (int i = 0; i < c; i++) {
            a[i] = scale[i] / Math.sqrt(variance[i] + epsilon);
            b[i] = offset[i] - mean[i] * a[i];
        }
        return new Tensor[] {channelAffine(in[0], a, b, nchw)};
    }

    /**
     * y = x * mul[c] + add[c] (mul null = 1) where c is the channel: the last axis, or axis 1 of a rank > 2 NCHW
     * tensor. Runs over blocks of constant channel (NCHW) or rows of all channels (NHWC).
     */
    private static Tensor channelAffine(Tensor x, double[] mul, double[] add, boolean nchw) {
        Shape s = x.shape();
        int n = s.intSize();
        int c = add.length;
        boolean channelsFirst = nchw && s.rank() > 2;
        int inner = 1;
        if (channelsFirst) for (int i = 2; i < s.rank(); i++) inner *= s.dim(i);
        // A block is one channel's H*W plane (NCHW) or one row of all channels (NHWC); blocks are independent.
        int blockLen = channelsFirst ? inner : c;
        int blocks = blockLen == 0 ? 0 : n / blockLen;
        int inn = inner;
        if (x.dtype() == DType.FLOAT32) {
            float[] src = (float[]) x.data();
            float[] dst = new float[n];
            float[] m = mul == null ? null : toFloat(mul);
            float[] b = toFloat(add);
            Parallel.forRange(blocks, rowGrain(blockLen), (from, to) -> {
                for (int k = from; k < to; k++) {
                    int off = k * blockLen;
                    if (channelsFirst) {
                        int ch = k % c;
                        affineRun(src, dst, off, inn, m == null ? 1f : m[ch], b[ch]);
                    } else {
                        affineRow(src, dst, off, c, m, b);
                    }
                }
            });
            return Tensor.wrap(DType.FLOAT32, s, dst);
        }
        double[] src = (double[]) x.data();
        double[] dst = new double[n];
        Parallel.forRange(blocks, rowGrain(blockLen), (from, to) -> {
            for (int k = from; k < to; k++) {
                int off = k * blockLen;
                for (int j = 0; j < blockLen; j++) {
                    int ch = channelsFirst ? k % c : j;
                    dst[off + j] = mul == null ? src[off + j] + add[ch] : src[off + j] * mul[ch] + add[ch];
                }
            }
        });
        return Tensor.wrap(DType.FLOAT64, s, dst);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** dst[off..off+len) = src * m + b with one channel's constants. */
    private static void affineRun(float[] src, float[] dst, int off, int len, float m, float b) {
        var sp = CpuNnKernels.F;
        int j = 0;
        for (int bound = sp.loopBound(len); j < bound; j += sp.length()) {
            FloatVector.fromArray(sp, src, off + j).fma(m, b).intoArray(dst, off + j);
        }
        for (; j < len; j++) dst[off + j] = src[off + j] * m + b;
    }

    /** One row of all channels: dst = src * m[c] + b[c] (m null = 1). */
    private static void affineRow(float[] src, float[] dst, int off, int c, float[] m, float[] b) {
        var sp = CpuNnKernels.F;
        int j = 0;
        int bound = sp.loopBound(c);
        if (m == null) {
            for (; j < bound; j += sp.length()) {
                FloatVector.fromArray(sp, src, off + j).add(FloatVector.fromArray(sp, b, j)).intoArray(dst, off + j);
            }
            for (; j < c; j++) dst[off + j] = src[off + j] + b[j];
        } else {
            for (; j < bound; j += sp.length()) {
                FloatVector.fromArray(sp, src, off + j).fma(FloatVector.fromArray(sp, m, j),
                        FloatVector.fromArray(sp, b, j)).intoArray(dst, off + j);
            }
            for (; j < c; j++) dst[off + j] = src[off + j] * m[j] + b[j];
        }
    }

    // ---------------------------------------------------------------- dropout

    /**
     * Inverted dropout with a counter-based generator: element i is kept when 53 bits of SplitMix64(seed, i), read as
     * a uniform u in [0, 1), satisfy u >= rate, so the mask depends only on the seed and the index, not on threading.
     */
    static Tensor[] dropout(Tensor x, double rate, long seed) {
        int n = x.shape().intSize();
        double scale = 1 / (1 - rate);
        long threshold = (long) Math.ceil(rate * 0x1.0p53); // u >= rate  <=>  (bits >>> 11) >= threshold
        long key = mix(seed ^ 0x6A09E667F3BCC909L);
        Object out = Strided.allocate(x.dtype().storage(), n);
        Object mask = Strided.allocate(x.dtype().storage(), n);
        if (x.data() instanceof float[] f) {
            float[] o = (float[]) out, m = (float[]) mask;
            float sc = (float) scale;
            Parallel.forRange(n, CpuNnKernels.GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float k = bits(key, i) >= threshold ? sc : 0f;
                    m[i] = k;
                    o[i] = f[i] * k;
                }
            });
        } else {
            double[] d = (double[]) x.data(), o = (double[]) out, m = (double[]) mask;
            Parallel.forRange(n, CpuNnKernels.GRAIN, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double k = bits(key, i) >= threshold ? scale : 0;
                    m[i] = k;
                    o[i] = d[i] * k;
                }
            });
        }
        return new Tensor[] {Tensor.wrap(x.dtype(), x.shape(), out), Tensor.wrap(x.dtype(), x.shape(), mask)};
    }

    /** 53 uniform random bits from (key, counter): SplitMix64's output function. */
    private static long bits(long key, long i) {
        return mix(key + i * 0x9E3779B97F4A7C15L) >>> 11;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
