package org.nabla.autodiff;

import static org.nabla.autodiff.GradSupport.gatherGrad;
import static org.nabla.autodiff.GradSupport.reluGrad;
import static org.nabla.autodiff.GradSupport.reshapeLike;
import static org.nabla.autodiff.GradSupport.scalar;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpCall;
import org.nabla.ops.OpDef;

/**
 * Gradients of {@link org.nabla.ops.NnOps} and of the backward ops in {@link NnGradOps}. Activations are written with
 * elementwise ops (so they differentiate again); convolution and pooling use the Gemm-based backward ops. The
 * cross-entropy ops reuse their second output (softmax - labels) and also accept a gradient for it, so the rules
 * stay correct when differentiated again.
 */
public final class NnGradients {
    private NnGradients() {}

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        activation(gradients, NnOps.RELU, (c, g) -> reluGrad(g, c.output(0)));
        gradients.register(NnGradOps.RELU_GRAD, (c, g) -> new Tensor[] {reluGrad(g[0], c.input(1)), null});
        activation(gradients, NnOps.RELU6, (c, g) -> {
            Tensor x = c.input(0);
            Tensor inside = Ops.logicalAnd(Ops.greater(x, scalar(0, x)), Ops.less(x, scalar(6, x)));
            return Ops.where(inside, g, Ops.zerosLike(g));
        });
        activation(gradients, NnOps.LEAKY_RELU, (c, g) -> Ops.where(positive(c), g,
                Ops.mul(g, scalar(c.attrs().getDouble("alpha"), g))));
        activation(gradients, NnOps.ELU, (c, g) -> Ops.where(positive(c), g,
                Ops.mul(g, Ops.add(c.output(0), scalar(c.attrs().getDouble("alpha"), g)))));
        activation(gradients, NnOps.SELU, (c, g) -> Ops.where(positive(c), Ops.mul(g, scalar(NnOps.SELU_SCALE, g)),
                Ops.mul(g, Ops.add(c.output(0), scalar(NnOps.SELU_SCALE * NnOps.SELU_ALPHA, g)))));
        activation(gradients, NnOps.SIGMOID, (c, g) -> {
            Tensor z = c.output(0);
            return Ops.mul(g, Ops.mul(z, Ops.sub(scalar(1, z), z)));
        });
        activation(gradients, NnOps.SOFTPLUS, (c, g) -> Ops.mul(g, Ops.sigmoid(c.input(0))));
        activation(gradients, NnOps.GELU, (c, g) -> Ops.mul(g, geluDerivative(c.input(0),
                c.attrs().getBool("approximate"))));
        activation(gradients, NnOps.SOFTMAX, (c, g) -> softmaxVjp(c.output(0), g, c.attrs().getInt("axis")));
        activation(gradients, NnOps.LOG_SOFTMAX, (c, g) -> Ops.sub(g, Ops.mul(Ops.exp(c.output(0)),
                Ops.sum(g, true, c.attrs().getInt("axis")))));

        gradients.register(NnOps.BIAS_ADD, (c, g) -> {
            int rank = c.input(0).rank();
            int channel = NnOps.dataFormat("BiasAdd", c.attrs()).equals("NCHW") && rank > 2 ? 1 : rank - 1;
            return new Tensor[] {g[0], Ops.sum(g[0], allBut(rank, channel))};
        });
        gradients.register(NnOps.CONV2D, (c, g) -> new Tensor[] {
                c.needsGradient(0) ? Ops.run(NnGradOps.CONV2D_BACKPROP_INPUT, c.attrs(), c.input(0), c.input(1), g[0])
                        : null,
                c.needsGradient(1) ? Ops.run(NnGradOps.CONV2D_BACKPROP_FILTER, c.attrs(), c.input(0), c.input(1), g[0])
                        : null});
        gradients.register(NnGradOps.CONV2D_BACKPROP_INPUT, (c, g) -> new Tensor[] {null,
                Ops.run(NnGradOps.CONV2D_BACKPROP_FILTER, c.attrs(), g[0], c.input(1), c.input(2)),
                Ops.run(NnOps.CONV2D, c.attrs(), g[0], c.input(1))});
        gradients.register(NnGradOps.CONV2D_BACKPROP_FILTER, (c, g) -> new Tensor[] {
                Ops.run(NnGradOps.CONV2D_BACKPROP_INPUT, c.attrs(), c.input(0), g[0], c.input(2)), null,
                Ops.run(NnOps.CONV2D, c.attrs(), c.input(0), g[0])});
        gradients.register(NnOps.MAX_POOL2D, (c, g) -> new Tensor[] {
                Ops.run(NnGradOps.MAX_POOL2D_GRAD, c.attrs(), c.input(0), g[0])});
        gradients.register(NnGradOps.MAX_POOL2D_GRAD, (c, g) -> new Tensor[] {null,
                Ops.run(NnGradOps.MAX_POOL2D_GRAD_GRAD, c.attrs(), c.input(0), g[0])});
        gradients.register(NnGradOps.MAX_POOL2D_GRAD_GRAD, (c, g) -> new Tensor[] {null,
                Ops.run(NnGradOps.MAX_POOL2D_GRAD, c.attrs(), c.input(0), g[0])});
        gradients.register(NnOps.AVG_POOL2D, (c, g) -> new Tensor[] {
                Ops.run(NnGradOps.AVG_POOL2D_GRAD, c.attrs(), g[0], c.input(0))});
        gradients.register(NnGradOps.AVG_POOL2D_GRAD, (c, g) -> new Tensor[] {
                Ops.run(NnOps.AVG_POOL2D, c.attrs(), g[0]), null});

        gradients.register(NnOps.MAX_POOL, NnGradients::maxPool);
        gradients.register(NnOps.AVG_POOL, (c, g) -> new Tensor[] {
                Ops.run(NnGradOps.AVG_POOL_GRAD, c.attrs(), g[0], c.input(0))});
        gradients.register(NnGradOps.AVG_POOL_GRAD, (c, g) -> new Tensor[] {
                Ops.run(NnOps.AVG_POOL, c.attrs(), g[0]), null});

        gradients.register(NnOps.BATCH_NORM_INFERENCE, NnGradients::batchNorm);
        gradients.register(NnOps.DROPOUT, (c, g) -> new Tensor[] {g[0] == null ? null : Ops.mul(g[0], c.output(1))});
        gradients.register(NnOps.SOFTMAX_CROSS_ENTROPY, (c, g) -> {
            Tensor logits = c.input(0);
            Tensor dLogits = null, dLabels = null;
            if (g[0] != null) {
                Tensor g0 = Ops.expandDims(g[0], -1);
                dLogits = Ops.mul(g0, c.output(1));
                dLabels = Ops.neg(Ops.mul(g0, Ops.logSoftmax(logits)));
            }
            if (g[1] != null) { // backprop = softmax(logits) - labels
                dLogits = add(dLogits, softmaxVjp(Ops.softmax(logits), g[1], -1));
                dLabels = add(dLabels, Ops.neg(g[1]));
            }
            return new Tensor[] {dLogits, dLabels};
        });
        gradients.register(NnOps.SPARSE_SOFTMAX_CROSS_ENTROPY, (c, g) -> {
            Tensor dLogits = g[0] == null ? null : Ops.mul(Ops.expandDims(g[0], -1), c.output(1));
            if (g[1] != null) dLogits = add(dLogits, softmaxVjp(Ops.softmax(c.input(0)), g[1], -1));
            return new Tensor[] {dLogits, null};
        });
        gradients.register(NnOps.MEAN_SQUARED_ERROR, (c, g) -> {
            Tensor p = c.input(0), diff = Ops.sub(p, c.input(1));
            Tensor scale = Ops.div(scalar(2, p), GradSupport.reducedCount(p, new int[] {-1}));
            Tensor d = Ops.mul(Ops.mul(Ops.expandDims(g[0], -1), diff), scale);
            return new Tensor[] {d, Ops.neg(d)};
        });
    }

    private interface ActivationRule {
        Tensor apply(OpCall call, Tensor grad);
    }

    private static void activation(GradientRegistry gradients, OpDef op, ActivationRule rule) {
        gradients.register(op, (c, g) -> new Tensor[] {rule.apply(c, g[0])});
    }

    private static Tensor positive(OpCall c) { return Ops.greater(c.input(0), scalar(0, c.input(0))); }

    private static Tensor add(Tensor a, Tensor b) { return a == null ? b : Ops.add(a, b); }

    /** The vector-Jacobian product of softmax: y * (g - sum(g * y)) along axis. */
    private static Tensor softmaxVjp(Tensor y, Tensor g, int axis) {
        return Ops.mul(y, Ops.sub(g, Ops.sum(Ops.mul(g, y), true, axis)));
    }

    private static Tensor geluDerivative(Tensor x, boolean approximate) {
        if (!approximate) { // Phi(x) + x * phi(x)
            Tensor cdf = Ops.mul(scalar(0.5, x), Ops.add(scalar(1, x), Ops.erf(Ops.mul(x, scalar(Math.sqrt(0.5), x)))));
            Tensor pdf = Ops.mul(scalar(1 / Math.sqrt(2 * Math.PI), x), Ops.exp(Ops.mul(Ops.square(x),
                    scalar(-0.5, x))));
            return Ops.add(cdf, Ops.mul(x, pdf));
        }
        Tensor x2 = Ops.square(x);
        Tensor u = Ops.mul(scalar(SQRT_2_OVER_PI, x), Ops.add(x, Ops.mul(scalar(0.044715, x), Ops.mul(x2, x))));
        Tensor t = Ops.tanh(u);
        Tensor du = Ops.mul(scalar(SQRT_2_OVER_PI, x), Ops.add(scalar(1, x), Ops.mul(scalar(3 * 0.044715, x), x2)));
        Tensor left = Ops.mul(scalar(0.5, x), Ops.add(scalar(1, x), t));
        Tensor right = Ops.mul(Ops.mul(scalar(0.5, x), x), Ops.mul(Ops.sub(scalar(1, x), Ops.square(t)), du));
        return Ops.add(left, right);
    }

    private static int[] allBut(int rank, int axis) {
        int[] axes = new int[rank - 1];
        for (int i = 0, k = 0; i < rank; i++) if (i != axis) axes[k++] = i;
        return axes;
    }

    /**
     * MaxPool: the gradient added at each window's maximum, a GatherGrad through the row-major indices output
     * (recomputed with storageOrder 0 when the call asked for column-major ones), so it differentiates again.
     */
    private static Tensor[] maxPool(OpCall c, Tensor[] g) {
        if (g[0] == null) return new Tensor[] {null};
        Tensor x = c.input(0);
        Attrs a = c.attrs();
        Tensor indices = a.getInt("storageOrder") == 0 ? c.output(1)
                : Ops.runMulti(NnOps.MAX_POOL, a.with("storageOrder", 0), x)[1];
        Tensor flat = gatherGrad(Ops.reshape(g[0], -1), Ops.reshape(indices, -1), Ops.reshape(x, -1), 0, 0);
        return new Tensor[] {reshapeLike(flat, x)};
    }

    /** Gradients of scale * (x - mean) * rsqrt(variance + epsilon) + offset for every input. */
    private static Tensor[] batchNorm(OpCall c, Tensor[] grads) {
        Tensor x = c.input(0), scale = c.input(1), mean = c.input(3), variance = c.input(4), g = grads[0];
        Attrs a = c.attrs();
        int rank = x.rank();
        int channel = NnOps.dataFormat("BatchNormInference", a).equals("NCHW") && rank > 2 ? 1 : rank - 1;
        int[] axes = allBut(rank, channel);
        Tensor inv = Ops.rsqrt(Ops.add(variance, scalar(a.getDouble("epsilon"), x)));
        Tensor centered = Ops.sub(x, perChannel(mean, rank, channel));
        Tensor dx = Ops.mul(g, perChannel(Ops.mul(scale, inv), rank, channel));
        Tensor sumG = Ops.sum(g, axes);
        Tensor sumGc = Ops.sum(Ops.mul(g, centered), axes);
        Tensor dScale = Ops.mul(sumGc, inv);
        Tensor dMean = Ops.neg(Ops.mul(sumG, Ops.mul(scale, inv)));
        Tensor dVariance = Ops.mul(Ops.mul(sumGc, scale), Ops.mul(scalar(-0.5, x), Ops.mul(inv, Ops.square(inv))));
        return new Tensor[] {dx, dScale, sumG, dMean, dVariance};
    }

    /** A per-channel vector shaped to broadcast along {@code channel} of a rank-{@code rank} tensor. */
    private static Tensor perChannel(Tensor v, int rank, int channel) {
        if (channel == rank - 1) return v;
        int[] shape = new int[rank - channel];
        java.util.Arrays.fill(shape, 1);
        shape[0] = -1;
        return Ops.reshape(v, shape);
    }
}
