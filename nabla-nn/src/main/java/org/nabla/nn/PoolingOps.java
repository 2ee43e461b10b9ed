package org.nabla.nn;

import java.util.Collection;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.kernels.cpu.Parallel;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Max pooling that remembers where each maximum came from, so its gradient is one scatter instead of a second
 * search of every window (TensorFlow's MaxPoolWithArgmax). NHWC only; geometry and padding as core's MaxPool2D;
 * each window's first maximum wins (row-major order within the window).
 * <ul>
 * <li>{@code MaxPoolWithArgmax(x)}: outputs the pooled values and int32 flat indices into x.</li>
 * <li>{@code ArgmaxScatter(grad, argmax, like)}: zeros shaped like {@code like} with {@code grad[i]} added at
 *     {@code argmax[i]} (the gradient of MaxPoolWithArgmax).</li>
 * <li>{@code ArgmaxGather(values, argmax)}: {@code values.flat[argmax[i]]} (the gradient of ArgmaxScatter).</li>
 * </ul>
 * An {@link OpLibrary} (listed in nabla-nn's {@code META-INF/services/org.nabla.kernels.OpLibrary}): the ops, their
 * gradients and CPU kernels are registered wherever nabla-nn is on the class path.
 */
public final class PoolingOps implements OpLibrary {
    public static final OpDef MAX_POOL_WITH_ARGMAX = OpDef.builder("MaxPoolWithArgmax").inputs("input")
            .attr("ksize", AttrType.INTS)
            .attr("strides", AttrType.INTS)
            .attr("padding", AttrType.STRING, "VALID")
            .attr("dataFormat", AttrType.STRING, "NHWC")
            .shape(PoolingOps::poolShape)
            .summary("NHWC max pooling; outputs the maxima and their int32 flat indices into the input").build();

    public static final OpDef ARGMAX_SCATTER = OpDef.builder("ArgmaxScatter").inputs("grad", "argmax", "like")
            .shape(PoolingOps::scatterShape)
            .internal()
            .summary("zeros like 'like' with grad[i] added at flat index argmax[i]").build();

    public static final OpDef ARGMAX_GATHER = OpDef.builder("ArgmaxGather").inputs("values", "argmax")
            .shape(PoolingOps::gatherShape)
            .internal()
            .summary("values.flat[argmax[i]], shaped like argmax").build();

    @Override
    public Collection<OpDef> ops() { return List.of(MAX_POOL_WITH_ARGMAX, ARGMAX_SCATTER, ARGMAX_GATHER); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(MAX_POOL_WITH_ARGMAX, (c, g) -> new Tensor[] {
                g[0] == null ? null : Ops.run(ARGMAX_SCATTER, Attrs.EMPTY, g[0], c.output(1), c.input(0))});
        gradients.register(ARGMAX_SCATTER, (c, g) -> new Tensor[] {
                Ops.run(ARGMAX_GATHER, Attrs.EMPTY, g[0], c.input(1)), null, null});
        gradients.register(ARGMAX_GATHER, (c, g) -> new Tensor[] {
                Ops.run(ARGMAX_SCATTER, Attrs.EMPTY, g[0], c.input(1), c.input(0)), null});
    }

    /** Max pooling of NHWC {@code x}; returns {values, argmax}. */
    public static Tensor[] maxPoolWithArgmax(Tensor x, int[] ksize, int[] strides, String padding) {
        return Ops.runMulti(MAX_POOL_WITH_ARGMAX, Attrs.of("ksize", ksize, "strides", strides, "padding", padding), x);
    }

    private static TensorSpec[] poolShape(TensorSpec[] in, Attrs a) {
        String op = "MaxPoolWithArgmax";
        Infer.requireFloating(op, "input", in[0]);
        if (!NnOps.dataFormat(op, a).equals("NHWC")) throw new OpException(op, "only NHWC is supported");
        Shape s = in[0].shape();
        if (s.rank() != 4) throw new OpException(op, "input must be NHWC (rank 4), got " + s);
        NnOps.Window2D w = NnOps.poolWindow(op, s, a);
        Shape out = Shape.of(s.dim(0), w.outH(), w.outW(), s.dim(3));
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), out), new TensorSpec(DType.INT32, out)};
    }

    private static TensorSpec[] scatterShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("ArgmaxScatter", "grad", in[0]);
        Infer.sameDType("ArgmaxScatter", in[0], in[2]);
        if (in[1].dtype() != DType.INT32 || !in[1].shape().isCompatibleWith(in[0].shape())) {
            throw new OpException("ArgmaxScatter", "argmax must be int32 shaped like grad " + in[0] + ", got " + in[1]);
        }
        return new TensorSpec[] {in[2]};
    }

    private static TensorSpec[] gatherShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("ArgmaxGather", "values", in[0]);
        if (in[1].dtype() != DType.INT32) throw new OpException("ArgmaxGather", "argmax must be int32, got " + in[1]);
        return new TensorSpec[] {new TensorSpec(in[0].dtype(), in[1].shape())};
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(MAX_POOL_WITH_ARGMAX, CpuDevice.TYPE, d, ctx -> pool(ctx.input(0), ctx.attrs(), ctx.outputSpecs()));
            r.register(ARGMAX_SCATTER, CpuDevice.TYPE, d, ctx -> scatter(ctx.input(0), ctx.input(1), ctx.input(2)));
            r.register(ARGMAX_GATHER, CpuDevice.TYPE, d, ctx -> gather(ctx.input(0), ctx.input(1)));
        }
    }

    private static Tensor[] pool(Tensor x, Attrs a, TensorSpec[] outSpecs) {
        Shape s = x.shape();
        int n = s.dim(0), h = s.dim(1), wd = s.dim(2), c = s.dim(3);
        NnOps.Window2D w = NnOps.poolWindow("MaxPoolWithArgmax", s, a);
        int oh = w.outH(), ow = w.outW();
        int outSize = n * oh * ow * c;
        int[] idx = new int[outSize];
        boolean f32 = x.dtype() == DType.FLOAT32;
        double[] xd = f32 ? null : (double[]) x.data();
        float[] xf = f32 ? (float[]) x.data() : null;
        float[] yf = f32 ? new float[outSize] : null;
        double[] yd = f32 ? null : new double[outSize];
        int grain = Math.max(1, (1 << 14) / Math.max(1, ow * c));
        Parallel.forRange(n * oh, grain, (from, to) -> {
            int[] bases = new int[w.kH() * w.kW()];
            for (int row = from; row < to; row++) {
                int b = row / oh, i = row % oh;
                int y0 = i * w.strideH() - w.padTop();
                for (int j = 0; j < ow; j++) {
                    int x0 = j * w.strideW() - w.padLeft();
                    int o = ((b * oh + i) * ow + j) * c;
                    int count = 0;   // the window's valid positions, row-major (the first maximum wins)
                    for (int di = 0; di < w.kH(); di++) {
                        int yi = y0 + di;
                        if (yi < 0 || yi >= h) continue;
                        for (int dj = 0; dj < w.kW(); dj++) {
                            int xj = x0 + dj;
                            if (xj >= 0 && xj < wd) bases[count++] = ((b * h + yi) * wd + xj) * c;
                        }
                    }
                    if (f32) poolFloat(xf, yf, idx, o, c, bases, count);
                    else poolDouble(xd, yd, idx, o, c, bases, count);
                }
            }
        });
        Tensor y = f32 ? Tensor.wrap(DType.FLOAT32, outSpecs[0].shape(), yf)
                : Tensor.wrap(DType.FLOAT64, outSpecs[0].shape(), yd);
        return new Tensor[] {y, Tensor.wrap(DType.INT32, outSpecs[1].shape(), idx)};
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    /** The maximum over {@code count} window positions for the {@code c} channels at output offset {@code o}. */
    private static void poolFloat(float[] x, float[] y, int[] idx, int o, int c, int[] bases, int count) {
        int k = 0;
        if (F.length() == I.length()) {
            for (int end = F.loopBound(c); k < end; k += F.length()) {
                FloatVector best = FloatVector.fromArray(F, x, bases[0] + k);
                IntVector where = IOTA.add(bases[0] + k);
                for (int p = 1; p < count; p++) {
                    FloatVector v = FloatVector.fromArray(F, x, bases[p] + k);
                    VectorMask<Float> gt = v.compare(VectorOperators.GT, best);
                    best = best.blend(v, gt);
                    where = where.blend(IOTA.add(bases[p] + k), gt.cast(I));
                }
                best.intoArray(y, o + k);
                where.intoArray(idx, o + k);
            }
        }
        for (; k < c; k++) {
            float best = x[bases[0] + k];
            int at = bases[0] + k;
            for (int p = 1; p < count; p++) {
                float v = x[bases[p] + k];
                if (v > best) {
                    best = v;
                    at = bases[p] + k;
                }
            }
            y[o + k] = best;
            idx[o + k] = at;
        }
    }

    private static void poolDouble(double[] x, double[] y, int[] idx, int o, int c, int[] bases, int count) {
        for (int k = 0; k < c; k++) {
            double best = x[bases[0] + k];
            int at = bases[0] + k;
            for (int p = 1; p < count; p++) {
                double v = x[bases[p] + k];
                if (v > best) {
                    best = v;
                    at = bases[p] + k;
                }
            }
            y[o + k] = best;
            idx[o + k] = at;
        }
    }

    private static Tensor[] scatter(Tensor grad, Tensor argmax, Tensor like) {
        int[] idx = (int[]) argmax.data();
        int size = like.shape().intSize();
        int n = like.shape().rank() == 0 ? 1 : Math.max(1, like.shape().dim(0));
        int per = idx.length / n;    // pooled elements per image: each scatters only into its own image
        if (grad.dtype() == DType.FLOAT32) {
            float[] g = (float[]) grad.data();
            float[] dx = new float[size];
            Parallel.forRange(n, Math.max(1, (1 << 15) / Math.max(1, per)), (from, to) -> {
                for (int i = from * per; i < to * per; i++) dx[idx[i]] += g[i];
            });
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, like.shape(), dx)};
        }
        double[] g = (double[]) grad.data();
        double[] dx = new double[size];
        for (int i = 0; i < idx.length; i++) dx[idx[i]] += g[i];
        return new Tensor[] {Tensor.wrap(DType.FLOAT64, like.shape(), dx)};
    }

    private static Tensor[] gather(Tensor values, Tensor argmax) {
        int[] idx = (int[]) argmax.data();
        if (values.dtype() == DType.FLOAT32) {
            float[] v = (float[]) values.data();
            float[] out = new float[idx.length];
            for (int i = 0; i < idx.length; i++) out[i] = v[idx[i]];
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, argmax.shape(), out)};
        }
        double[] v = (double[]) values.data();
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = v[idx[i]];
        return new Tensor[] {Tensor.wrap(DType.FLOAT64, argmax.shape(), out)};
    }
}
