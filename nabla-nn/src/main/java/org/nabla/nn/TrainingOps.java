package org.nabla.nn;

import java.util.Collection;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.kernels.cpu.Parallel;
import org.nabla.kernels.cpu.Subnormals;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Ops that training needs beyond nabla-core, with their gradients and CPU kernels (an {@link OpLibrary}, listed in
 * nabla-nn's {@code META-INF/services/org.nabla.kernels.OpLibrary}):
 * <ul>
 * <li>{@code StepDropout(x, step)}: inverted dropout whose mask is keyed by the {@code seed} attribute and the
 *     run-time int64 {@code step} tensor, so a traced training step draws a fresh mask each step (core's
 *     {@code Dropout} keys only by an attribute, which a trace freezes). Outputs the result and the mask.</li>
 * <li>{@code AdamUpdate(value, m, v, grad, lr, step)}: one fused Adam/AdamW step over a weight, returning the new
 *     value, first and second moments (one pass instead of a dozen elementwise ops).</li>
 * <li>{@code ApplyAdam(grad, lr, step)} with variable names {@code var}, {@code m}, {@code v}: the same step applied
 *     to the variables themselves (TensorFlow's ResourceApplyAdam), written in place when their values are private
 *     (see {@link org.nabla.ResourceManager}), so a training step allocates nothing for its update.</li>
 * </ul>
 */
public final class TrainingOps implements OpLibrary {
    /** Made by the op library loader (ServiceLoader). */
    public TrainingOps() {}

    /** Internal: inverted dropout whose mask depends only on (seed, step); outputs the result and the mask. */
    public static final OpDef STEP_DROPOUT = OpDef.builder("StepDropout").inputs("x", "step")
            .attr("rate", AttrType.FLOAT)
            .attr("seed", AttrType.LONG, 0L)
            .shape(TrainingOps::dropoutShape)
            .stateful()
            .summary("inverted dropout with a mask keyed by (seed, step); outputs result and mask").build();

    /** Internal: one Adam(W) step on values, returning the new value, m and v. */
    public static final OpDef ADAM_UPDATE = OpDef.builder("AdamUpdate")
            .inputs("value", "m", "v", "grad", "lr", "step")
            .attr("beta1", AttrType.FLOAT, 0.9)
            .attr("beta2", AttrType.FLOAT, 0.999)
            .attr("epsilon", AttrType.FLOAT, 1e-7)
            .attr("weightDecay", AttrType.FLOAT, 0.0)
            .shape(TrainingOps::adamShape)
            .notDifferentiable().internal()
            .summary("Adam(W) step: new value, m, v from value, m, v, grad, lr (scalar) and step t (scalar, >= 1)")
            .build();

    /** Internal: one Adam(W) step applied in place to the variables named by its attributes. */
    public static final OpDef APPLY_ADAM = OpDef.builder("ApplyAdam")
            .inputs("grad", "lr", "step")
            .attr("var", AttrType.STRING)
            .attr("m", AttrType.STRING)
            .attr("v", AttrType.STRING)
            .attr("beta1", AttrType.FLOAT, 0.9)
            .attr("beta2", AttrType.FLOAT, 0.999)
            .attr("epsilon", AttrType.FLOAT, 1e-7)
            .attr("weightDecay", AttrType.FLOAT, 0.0)
            .variables("var", "m", "v").readsInputsOnly()
            .shape(TrainingOps::applyAdamShape)
            .notDifferentiable()
            .summary("Adam(W) step of the variables var, m and v (float32) by grad, lr (scalar) and step t (>= 1), in "
                    + "place where possible")
            .build();

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** max(value + bias, 0) with bias along the last axis: Dense/Conv2D's bias and relu in one pass. */
    public static final OpDef BIAS_RELU = OpDef.builder("BiasRelu").inputs("value", "bias")
            .shape(TrainingOps::biasReluShape)
            .summary("max(value + bias, 0), bias along the last axis (fused BiasAdd + Relu)").build();

    /**
     * The gradient of BiasRelu in one pass: outputs dValue = grad where output > 0 (else 0) and dBias = dValue
     * summed over all axes but the last.
     */
    public static final OpDef BIAS_RELU_GRAD = OpDef.builder("BiasReluGrad").inputs("grad", "output")
            .shape(TrainingOps::biasReluGradShape)
            .internal()
            .summary("(grad * (output > 0), its sum over all axes but the last): BiasRelu's backward pass").build();

    @Override
    public Collection<OpDef> ops() {
        return List.of(STEP_DROPOUT, ADAM_UPDATE, APPLY_ADAM, BIAS_RELU, BIAS_RELU_GRAD);
    }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(BIAS_RELU, (c, g) -> Ops.runMulti(BIAS_RELU_GRAD, Attrs.EMPTY, g[0], c.output(0)));
        // d(dValue)/d(grad) and d(dBias)/d(grad) are the relu mask; nothing flows to output (piecewise constant)
        gradients.register(BIAS_RELU_GRAD, (c, g) -> {
            Tensor up = g[0];
            if (g[1] != null) up = up == null ? Ops.add(Ops.zerosLike(c.input(0)), g[1]) : Ops.add(up, g[1]);
            return new Tensor[] {up == null ? null : Ops.run(NnGradOps.RELU_GRAD, Attrs.EMPTY, up, c.input(1)), null};
        });
        gradients.register(STEP_DROPOUT,
                (c, g) -> new Tensor[] {g[0] == null ? null : Ops.mul(g[0], c.output(1)), null});
    }

    /** Dropout of {@code x} at {@code rate}, the mask keyed by {@code seed} and the int64 scalar {@code step}. */
    public static Tensor stepDropout(Tensor x, Tensor step, double rate, long seed) {
        return Ops.runMulti(STEP_DROPOUT, Attrs.of("rate", rate, "seed", seed), x, step)[0];
    }

    /** One Adam step; returns {new value, new m, new v}. */
    public static Tensor[] adamUpdate(Tensor value, Tensor m, Tensor v, Tensor grad, Tensor lr, Tensor step,
                                      double beta1, double beta2, double epsilon, double weightDecay) {
        return Ops.runMulti(ADAM_UPDATE, Attrs.of("beta1", beta1, "beta2", beta2, "epsilon", epsilon,
                "weightDecay", weightDecay), value, m, v, grad, lr, step);
    }

    /**
     * One Adam step applied to the float32 variables {@code var} (the weight), {@code m} and {@code v} (its moments)
     * with gradient {@code grad}: in place when their values are private, else into new values.
     */
    public static void applyAdam(Variable var, Variable m, Variable v, Tensor grad, Tensor lr, Tensor step,
                                 double beta1, double beta2, double epsilon, double weightDecay) {
        Ops.runMulti(APPLY_ADAM, Attrs.of("var", var.name(), "m", m.name(), "v", v.name(), "beta1", beta1, "beta2",
                beta2, "epsilon", epsilon, "weightDecay", weightDecay), grad, lr, step);
    }

    /** Fused bias add and relu (BiasAdd then Relu, in one pass). */
    public static Tensor biasRelu(Tensor value, Tensor bias) { return Ops.run(BIAS_RELU, Attrs.EMPTY, value, bias); }

    private static TensorSpec[] biasReluShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("BiasRelu", "value", in[0]);
        Infer.sameDType("BiasRelu", in[0], in[1]);
        Shape v = in[0].shape(), b = in[1].shape();
        if (v.rank() < 1 || b.rank() != 1 || (v.dim(-1) >= 0 && b.dim(0) >= 0 && v.dim(-1) != b.dim(0))) {
            throw new OpException("BiasRelu", "bias must be 1-D with the size of value's last dim, got value " + v
                    + " and bias " + b);
        }
        return new TensorSpec[] {in[0]};
    }

    private static TensorSpec[] biasReluGradShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("BiasReluGrad", "grad", in[0]);
        Infer.sameDType("BiasReluGrad", in[0], in[1]);
        if (!in[0].shape().isCompatibleWith(in[1].shape()) || in[0].shape().rank() < 1) {
            throw new OpException("BiasReluGrad", "grad and output must have one shape of rank >= 1, got "
                    + in[0].shape() + " and " + in[1].shape());
        }
        return new TensorSpec[] {in[0], new TensorSpec(in[0].dtype(), Shape.of(in[0].shape().dim(-1)))};
    }

    private static TensorSpec[] dropoutShape(TensorSpec[] in, Attrs a) {
        Infer.requireFloating("StepDropout", "x", in[0]);
        if (in[1].dtype() != DType.INT64 || in[1].shape().rank() != 0) {
            throw new OpException("StepDropout", "step must be an int64 scalar, got " + in[1]);
        }
        double rate = a.getDouble("rate");
        if (!(rate >= 0 && rate < 1)) throw new OpException("StepDropout", "rate must be in [0, 1), got " + rate);
        return new TensorSpec[] {in[0], in[0]};
    }

    private static TensorSpec[] adamShape(TensorSpec[] in, Attrs a) {
        String op = "AdamUpdate";
        if (in[0].dtype() != DType.FLOAT32) throw new OpException(op, "value must be float32, got " + in[0]);
        for (int i = 1; i < 4; i++) {
            if (!in[i].equals(in[0]) && !(in[i].dtype() == in[0].dtype()
                    && in[i].shape().isCompatibleWith(in[0].shape()))) {
                throw new OpException(op, "m, v and grad must match value " + in[0] + ", got " + in[i]);
            }
        }
        if (in[4].dtype() != DType.FLOAT32 || in[4].shape().rank() != 0) {
            throw new OpException(op, "lr must be a float32 scalar, got " + in[4]);
        }
        if (in[5].dtype() != DType.INT64 || in[5].shape().rank() != 0) {
            throw new OpException(op, "step must be an int64 scalar, got " + in[5]);
        }
        return new TensorSpec[] {in[0], in[0], in[0]};
    }

    private static TensorSpec[] applyAdamShape(TensorSpec[] in, Attrs a) {
        String op = "ApplyAdam";
        if (in[0].dtype() != DType.FLOAT32) throw new OpException(op, "grad must be float32, got " + in[0]);
        if (in[1].dtype() != DType.FLOAT32 || in[1].shape().rank() != 0) {
            throw new OpException(op, "lr must be a float32 scalar, got " + in[1]);
        }
        if (in[2].dtype() != DType.INT64 || in[2].shape().rank() != 0) {
            throw new OpException(op, "step must be an int64 scalar, got " + in[2]);
        }
        return new TensorSpec[0];
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(STEP_DROPOUT, CpuDevice.TYPE, DType.FLOAT32, ctx -> dropout(ctx, ctx.input(0),
                ((long[]) ctx.input(1).data())[0], ctx.attrs().getDouble("rate"), ctx.attrs().getLong("seed")));
        r.register(STEP_DROPOUT, CpuDevice.TYPE, DType.FLOAT64, ctx -> dropout(ctx, ctx.input(0),
                ((long[]) ctx.input(1).data())[0], ctx.attrs().getDouble("rate"), ctx.attrs().getLong("seed")));
        r.register(ADAM_UPDATE, CpuDevice.TYPE, DType.FLOAT32, ctx -> adam(ctx.inputs(), ctx.attrs()));
        r.register(APPLY_ADAM, CpuDevice.TYPE, DType.FLOAT32, TrainingOps::applyAdamKernel);
        r.register(BIAS_RELU, CpuDevice.TYPE, DType.FLOAT32, ctx -> biasReluFloat(ctx, ctx.input(0), ctx.input(1)));
        r.register(BIAS_RELU, CpuDevice.TYPE, DType.FLOAT64, ctx -> biasReluDouble(ctx.input(0), ctx.input(1)));
        r.register(BIAS_RELU_GRAD, CpuDevice.TYPE, DType.FLOAT32, ctx ->
                biasReluGradFloat(ctx, ctx.input(0), ctx.input(1)));
        r.register(BIAS_RELU_GRAD, CpuDevice.TYPE, DType.FLOAT64, ctx ->
                biasReluGradDouble(ctx.input(0), ctx.input(1)));
    }

    // ---------------------------------------------------------------- kernels

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The key of a dropout mask: depends on the seed and the step only. */
    static long dropoutKey(long seed, long step) { return mix(mix(seed ^ 0x6A09E667F3BCC909L) + step); }

    /** Whether element {@code i} survives: 53 random bits read as u in [0, 1) satisfy u >= rate. */
    static boolean keep(long key, long i, long threshold) {
        return (mix(key + i * 0x9E3779B97F4A7C15L) >>> 11) >= threshold;
    }

    private static Tensor[] dropout(KernelContext ctx, Tensor x, long step, double rate, long seed) {
        int n = x.shape().intSize();
        long threshold = (long) Math.ceil(rate * 0x1.0p53);
        long key = dropoutKey(seed, step);
        if (x.data() instanceof float[] f) {
            float sc = (float) (1 / (1 - rate));
            float[] o = ctx.allocateFloats(n), m = ctx.allocateFloats(n);
            Parallel.forRange(n, 1 << 15, (from, to) -> DropoutMask.apply(key, threshold, sc, f, o, m, from, to));
            return new Tensor[] {Tensor.wrap(x.dtype(), x.shape(), o), Tensor.wrap(x.dtype(), x.shape(), m)};
        }
        double[] d = (double[]) x.data();
        double sc = 1 / (1 - rate);
        double[] o = new double[n], m = new double[n];
        for (int i = 0; i < n; i++) {
            double k = keep(key, i, threshold) ? sc : 0;
            m[i] = k;
            o[i] = d[i] * k;
        }
        return new Tensor[] {Tensor.wrap(x.dtype(), x.shape(), o), Tensor.wrap(x.dtype(), x.shape(), m)};
    }

    private static Tensor[] biasReluFloat(KernelContext ctx, Tensor x, Tensor bias) {
        float[] src = (float[]) x.data(), b = (float[]) bias.data();
        int c = b.length;
        int rows = c == 0 ? 0 : src.length / c;
        float[] dst = ctx.allocateFloats(src.length);
        int vecEnd = F.loopBound(c);
        FloatVector zero = FloatVector.zero(F);
        Parallel.forRange(rows, Math.max(1, (1 << 15) / Math.max(1, c)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * c;
                int j = 0;
                for (; j < vecEnd; j += F.length()) {
                    FloatVector.fromArray(F, src, base + j).add(FloatVector.fromArray(F, b, j)).max(zero)
                            .intoArray(dst, base + j);
                }
                for (; j < c; j++) dst[base + j] = Math.max(src[base + j] + b[j], 0f);
            }
        });
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, x.shape(), dst)};
    }

    private static Tensor[] biasReluDouble(Tensor x, Tensor bias) {
        double[] src = (double[]) x.data(), b = (double[]) bias.data();
        int c = b.length;
        double[] dst = new double[src.length];
        for (int i = 0; i < src.length; i++) dst[i] = Math.max(src[i] + b[i % c], 0);
        return new Tensor[] {Tensor.wrap(DType.FLOAT64, x.shape(), dst)};
    }

    /** Chunks of rows summed separately and then in order, so the bias sum does not depend on the thread count. */
    private static final int GRAD_CHUNKS = 8;

    private static Tensor[] biasReluGradFloat(KernelContext ctx, Tensor grad, Tensor output) {
        float[] g = (float[]) grad.data(), y = (float[]) output.data();
        int c = grad.shape().dim(-1);
        int rows = c == 0 ? 0 : g.length / c;
        float[] dx = ctx.allocateFloats(g.length);
        float[][] partial = new float[GRAD_CHUNKS][c];
        int vecEnd = F.loopBound(c);
        FloatVector zero = FloatVector.zero(F);
        int grain = Math.max(1, (int) Math.min(GRAD_CHUNKS, (1L << 15) * GRAD_CHUNKS / Math.max(1, g.length)));
        Parallel.forRange(GRAD_CHUNKS, grain, (fromChunk, toChunk) -> {
            for (int k = fromChunk; k < toChunk; k++) {
                float[] acc = partial[k];
                int r0 = (int) ((long) rows * k / GRAD_CHUNKS), r1 = (int) ((long) rows * (k + 1) / GRAD_CHUNKS);
                for (int r = r0; r < r1; r++) {
                    int base = r * c;
                    int j = 0;
                    for (; j < vecEnd; j += F.length()) {
                        FloatVector gv = FloatVector.fromArray(F, g, base + j);
                        FloatVector d = zero.blend(gv, FloatVector.fromArray(F, y, base + j)
                                .compare(jdk.incubator.vector.VectorOperators.GT, 0f));
                        d.intoArray(dx, base + j);
                        FloatVector.fromArray(F, acc, j).add(d).intoArray(acc, j);
                    }
                    for (; j < c; j++) {
                        float d = y[base + j] > 0 ? g[base + j] : 0f;
                        dx[base + j] = d;
                        acc[j] += d;
                    }
                }
            }
        });
        float[] db = new float[c];
        for (float[] p : partial) for (int j = 0; j < c; j++) db[j] += p[j];
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, grad.shape(), dx), Tensor.wrap(DType.FLOAT32, Shape.of(c), db)};
    }

    private static Tensor[] biasReluGradDouble(Tensor grad, Tensor output) {
        double[] g = (double[]) grad.data(), y = (double[]) output.data();
        int c = grad.shape().dim(-1);
        double[] dx = new double[g.length], db = new double[c];
        for (int i = 0; i < g.length; i++) {
            double d = y[i] > 0 ? g[i] : 0;
            dx[i] = d;
            db[i % c] += d;
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT64, grad.shape(), dx), Tensor.wrap(DType.FLOAT64, Shape.of(c), db)};
    }

    private static Tensor[] adam(Tensor[] in, Attrs a) {
        AdamStep step = AdamStep.of(a, ((float[]) in[4].data())[0], ((long[]) in[5].data())[0], "AdamUpdate");
        Tensor[] dense = new Tensor[4];
        for (int i = 0; i < 4; i++) dense[i] = in[i].isDenseFromZero() ? in[i] : in[i].dense();
        int n = Math.toIntExact(in[0].size());
        float[] nw = new float[n], nm = new float[n], nv = new float[n];
        step.run((float[]) dense[0].data(), (float[]) dense[1].data(), (float[]) dense[2].data(),
                (float[]) dense[3].data(), nw, nm, nv, n);
        Shape s = in[0].shape();
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, s, nw), Tensor.wrap(DType.FLOAT32, s, nm),
                Tensor.wrap(DType.FLOAT32, s, nv)};
    }

    private static Tensor[] applyAdamKernel(KernelContext ctx) {
        Attrs a = ctx.attrs();
        AdamStep step = AdamStep.of(a, ((float[]) ctx.input(1).data())[0], ((long[]) ctx.input(2).data())[0],
                "ApplyAdam");
        Tensor grad = ctx.input(0).isDenseFromZero() ? ctx.input(0) : ctx.input(0).dense();
        List<String> names = List.of(a.getString("var"), a.getString("m"), a.getString("v"));
        ctx.resources().writeInPlace(names, (values, writable) -> {
            for (int i = 0; i < 3; i++) {
                if (values[i].dtype() != DType.FLOAT32 || !values[i].shape().equals(grad.shape())) {
                    throw new OpException("ApplyAdam", "variable '" + names.get(i) + "' holds " + values[i].spec()
                            + " but the gradient is " + grad.spec() + " (var, m and v must all match it)");
                }
            }
            int n = Math.toIntExact(grad.size());
            float[][] src = new float[3][];
            float[][] dst = new float[3][];
            Tensor[] next = new Tensor[3];
            for (int i = 0; i < 3; i++) {
                Tensor d = values[i].isDenseFromZero() ? values[i] : values[i].dense();
                src[i] = (float[]) d.data();
                dst[i] = writable[i] ? src[i] : new float[n];
                next[i] = writable[i] ? values[i] : Tensor.wrap(DType.FLOAT32, values[i].shape(), dst[i]);
            }
            step.run(src[0], src[1], src[2], (float[]) grad.data(), dst[0], dst[1], dst[2], n);
            return next;
        });
        return new Tensor[0];
    }

    /**
     * The constants of one Adam step (Keras: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t); w -= lr_t * m / (sqrt(v) +
     * eps), decoupled decay first) and its element loop, which may write over its inputs (element i is read before
     * it is written). The moments are stored with subnormals flushed to zero ({@link Subnormals}): m of a weight whose
     * gradient stopped decays by beta1 per step and would spend ~150 steps as a slow subnormal (measured: Adam's
     * loop 2.4x slower with 7% of m subnormal, as in a Fashion-MNIST mlp; the flush costs ~15% on clean data).
     */
    private record AdamStep(float b1, float b2, float c1, float c2, float eps, float lrT, float decay) {
        static AdamStep of(Attrs a, float lr, long t, String op) {
            if (t < 1) throw new OpException(op, "step must be >= 1, got " + t);
            double b1 = a.getDouble("beta1"), b2 = a.getDouble("beta2"), eps = a.getDouble("epsilon");
            double wd = a.getDouble("weightDecay");
            float lrT = (float) (lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
            return new AdamStep((float) b1, (float) b2, (float) (1 - b1), (float) (1 - b2), (float) eps, lrT,
                    (float) (1 - lr * wd));
        }

        void run(float[] w, float[] m, float[] v, float[] g, float[] nw, float[] nm, float[] nv, int n) {
            Parallel.forRange(n, 1 << 15, (from, to) -> range(w, m, v, g, nw, nm, nv, from, to));
        }

        private void range(float[] w, float[] m, float[] v, float[] g, float[] nw, float[] nm, float[] nv, int from,
                           int to) {
            int i = from;
            int upper = from + F.loopBound(to - from);
            FloatVector vb1 = FloatVector.broadcast(F, b1), vb2 = FloatVector.broadcast(F, b2);
            FloatVector vc1 = FloatVector.broadcast(F, c1), vc2 = FloatVector.broadcast(F, c2);
            FloatVector veps = FloatVector.broadcast(F, eps), vlr = FloatVector.broadcast(F, lrT);
            FloatVector vdecay = FloatVector.broadcast(F, decay);
            for (; i < upper; i += F.length()) {
                FloatVector gi = FloatVector.fromArray(F, g, i);
                FloatVector mi = Subnormals.flush(FloatVector.fromArray(F, m, i).mul(vb1).add(gi.mul(vc1)));
                FloatVector vi = Subnormals.flush(FloatVector.fromArray(F, v, i).mul(vb2).add(gi.mul(gi).mul(vc2)));
                FloatVector wi = FloatVector.fromArray(F, w, i);
                mi.intoArray(nm, i);
                vi.intoArray(nv, i);
                wi.mul(vdecay).sub(vlr.mul(mi).div(vi.sqrt().add(veps))).intoArray(nw, i);
            }
            for (; i < to; i++) {
                float gi = g[i];
                float mi = Subnormals.flush(b1 * m[i] + c1 * gi);
                float vi = Subnormals.flush(b2 * v[i] + gi * gi * c2);
                float wi = w[i];
                nm[i] = mi;
                nv[i] = vi;
                nw[i] = wi * decay - lrT * mi / ((float) Math.sqrt(vi) + eps);
            }
        }
    }
}
