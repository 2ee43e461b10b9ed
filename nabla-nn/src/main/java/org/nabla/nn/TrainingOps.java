package org.nabla.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.autodiff.GradientRegistry;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.cpu.Parallel;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Ops that training needs beyond nabla-core, with their CPU kernels (registered through
 * {@code META-INF/services/org.nabla.kernels.KernelProvider}):
 * <ul>
 * <li>{@code StepDropout(x, step)}: inverted dropout whose mask is keyed by the {@code seed} attribute and the
 *     run-time int64 {@code step} tensor, so a traced training step draws a fresh mask each step (core's
 *     {@code Dropout} keys only by an attribute, which a trace freezes). Outputs the result and the mask.</li>
 * <li>{@code AdamUpdate(value, m, v, grad, lr, step)}: one fused Adam/AdamW step over a weight, returning the new
 *     value, first and second moments (one pass instead of a dozen elementwise ops).</li>
 * </ul>
 */
public final class TrainingOps implements KernelProvider {
    public static final OpDef STEP_DROPOUT = OpDef.builder("StepDropout").inputs("x", "step")
            .attr("rate", AttrType.FLOAT)
            .attr("seed", AttrType.LONG, 0L)
            .shape(TrainingOps::dropoutShape)
            .stateful()
            .summary("inverted dropout with a mask keyed by (seed, step); outputs result and mask").build();

    public static final OpDef ADAM_UPDATE = OpDef.builder("AdamUpdate")
            .inputs("value", "m", "v", "grad", "lr", "step")
            .attr("beta1", AttrType.FLOAT, 0.9)
            .attr("beta2", AttrType.FLOAT, 0.999)
            .attr("epsilon", AttrType.FLOAT, 1e-7)
            .attr("weightDecay", AttrType.FLOAT, 0.0)
            .shape(TrainingOps::adamShape)
            .notDifferentiable()
            .summary("Adam(W) step: new value, m, v from value, m, v, grad, lr (scalar) and step t (scalar, >= 1)")
            .build();

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    static {
        GradientRegistry.register("StepDropout",
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

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(STEP_DROPOUT, CpuDevice.TYPE, DType.FLOAT32, (in, a, out) -> dropout(in[0],
                ((long[]) in[1].data())[0], a.getDouble("rate"), a.getLong("seed")));
        r.register(STEP_DROPOUT, CpuDevice.TYPE, DType.FLOAT64, (in, a, out) -> dropout(in[0],
                ((long[]) in[1].data())[0], a.getDouble("rate"), a.getLong("seed")));
        r.register(ADAM_UPDATE, CpuDevice.TYPE, DType.FLOAT32, (in, a, out) -> adam(in, a));
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

    private static Tensor[] dropout(Tensor x, long step, double rate, long seed) {
        int n = x.shape().intSize();
        long threshold = (long) Math.ceil(rate * 0x1.0p53);
        long key = dropoutKey(seed, step);
        if (x.data() instanceof float[] f) {
            float sc = (float) (1 / (1 - rate));
            float[] o = new float[n], m = new float[n];
            Parallel.forRange(n, 1 << 15, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float k = keep(key, i, threshold) ? sc : 0f;
                    m[i] = k;
                    o[i] = f[i] * k;
                }
            });
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

    private static Tensor[] adam(Tensor[] in, Attrs a) {
        float[] w = (float[]) in[0].data(), m = (float[]) in[1].data(), v = (float[]) in[2].data();
        float[] g = (float[]) in[3].data();
        double lr = ((float[]) in[4].data())[0];
        long t = ((long[]) in[5].data())[0];
        double b1 = a.getDouble("beta1"), b2 = a.getDouble("beta2"), eps = a.getDouble("epsilon");
        double wd = a.getDouble("weightDecay");
        if (t < 1) throw new OpException("AdamUpdate", "step must be >= 1, got " + t);
        // Keras: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t); w -= lr_t * m / (sqrt(v) + eps); decoupled decay first.
        float lrT = (float) (lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
        float decay = (float) (1 - lr * wd);
        float fb1 = (float) b1, fb2 = (float) b2, c1 = (float) (1 - b1), c2 = (float) (1 - b2), feps = (float) eps;
        int n = w.length;
        float[] nw = new float[n], nm = new float[n], nv = new float[n];
        Parallel.forRange(n, 1 << 15, (from, to) -> {
            int i = from;
            int upper = from + F.loopBound(to - from);
            FloatVector vb1 = FloatVector.broadcast(F, fb1), vb2 = FloatVector.broadcast(F, fb2);
            FloatVector vc1 = FloatVector.broadcast(F, c1), vc2 = FloatVector.broadcast(F, c2);
            FloatVector veps = FloatVector.broadcast(F, feps), vlr = FloatVector.broadcast(F, lrT);
            FloatVector vdecay = FloatVector.broadcast(F, decay);
            for (; i < upper; i += F.length()) {
                FloatVector gi = FloatVector.fromArray(F, g, i);
                FloatVector mi = FloatVector.fromArray(F, m, i).mul(vb1).add(gi.mul(vc1));
                FloatVector vi = FloatVector.fromArray(F, v, i).mul(vb2).add(gi.mul(gi).mul(vc2));
                mi.intoArray(nm, i);
                vi.intoArray(nv, i);
                FloatVector wi = FloatVector.fromArray(F, w, i);
                wi.mul(vdecay).sub(vlr.mul(mi).div(vi.sqrt().add(veps))).intoArray(nw, i);
            }
            for (; i < to; i++) {
                float gi = g[i];
                float mi = fb1 * m[i] + c1 * gi;
                float vi = fb2 * v[i] + gi * gi * c2;
                nm[i] = mi;
                nv[i] = vi;
                nw[i] = w[i] * decay - lrT * mi / ((float) Math.sqrt(vi) + feps);
            }
        });
        Shape s = in[0].shape();
        return new Tensor[] {Tensor.wrap(DType.FLOAT32, s, nw), Tensor.wrap(DType.FLOAT32, s, nm),
                Tensor.wrap(DType.FLOAT32, s, nv)};
    }
}
