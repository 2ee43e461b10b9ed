package org.nabla.nn;

import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Layer normalization as one op (an {@link OpLibrary}): {@code LayerNorm(x, gamma, beta)} normalizes each row of
 * {@code x} over its last axis and scales and shifts it, in one pass over the row instead of the nine elementwise and
 * reduction ops (and their gradients) of the composed form; it also outputs each row's mean and reciprocal standard
 * deviation, which {@code LayerNormGrad} reads so the backward pass is one pass too. Kernels: {@link LayerNormKernels}.
 */
public final class NormalizationOps implements OpLibrary {
    /** Made by the op library loader (ServiceLoader). */
    public NormalizationOps() {}

    /**
     * {@code (x - mean) / sqrt(var + epsilon) * gamma + beta} over the last axis (population variance); outputs y
     * (shaped like x), and the mean and {@code 1 / sqrt(var + epsilon)} of each row (x's shape without its last axis).
     */
    public static final OpDef LAYER_NORM = OpDef.builder("LayerNorm").inputs("x", "gamma", "beta")
            .attr("epsilon", AttrType.FLOAT, 1e-3)
            .shape(NormalizationOps::layerNormShape)
            .internal()
            .summary("layer normalization over the last axis, scaled by gamma and shifted by beta; outputs y, the "
                    + "rows' mean and 1 / sqrt(var + epsilon)").build();

    /**
     * LayerNorm's backward pass: dx, dgamma, dbeta from dy, x, gamma and the forward's mean and rstd; differentiable
     * again through a composite of other ops ({@link NormalizationGradients}).
     */
    public static final OpDef LAYER_NORM_GRAD = OpDef.builder("LayerNormGrad")
            .inputs("dy", "x", "gamma", "mean", "rstd")
            .shape(NormalizationOps::layerNormGradShape)
            .internal()
            .summary("(dx, dgamma, dbeta): LayerNorm's backward pass in one pass over the rows").build();

    @Override
    public Collection<OpDef> ops() { return List.of(LAYER_NORM, LAYER_NORM_GRAD); }

    /** {@code LayerNorm}'s y of {@code x} [..., C] with gamma and beta [C]. */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, double epsilon) {
        return Ops.runMulti(LAYER_NORM, Attrs.of("epsilon", epsilon), x, gamma, beta)[0];
    }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(LAYER_NORM, NormalizationGradients::layerNorm);
        gradients.register(LAYER_NORM_GRAD, NormalizationGradients::layerNormGrad);
    }

    @Override
    public void registerKernels(KernelRegistry r) {
        r.register(LAYER_NORM, CpuDevice.TYPE, DType.FLOAT32, LayerNormKernels::forwardFloat);
        r.register(LAYER_NORM, CpuDevice.TYPE, DType.FLOAT64, LayerNormKernels::forwardDouble);
        r.register(LAYER_NORM_GRAD, CpuDevice.TYPE, DType.FLOAT32, LayerNormKernels::backwardFloat);
        r.register(LAYER_NORM_GRAD, CpuDevice.TYPE, DType.FLOAT64, LayerNormKernels::backwardDouble);
    }

    private static TensorSpec[] layerNormShape(TensorSpec[] in, Attrs a) {
        String op = "LayerNorm";
        Infer.requireFloating(op, "x", in[0]);
        Infer.sameDType(op, in[0], in[1]);
        Infer.sameDType(op, in[0], in[2]);
        Shape x = in[0].shape();
        if (x.rank() < 1) throw new OpException(op, "x must have rank >= 1, got " + x);
        for (int i = 1; i < 3; i++) {
            Shape p = in[i].shape();
            if (p.rank() != 1 || (x.dim(-1) >= 0 && p.dim(0) >= 0 && p.dim(0) != x.dim(-1))) {
                throw new OpException(op, "gamma and beta must be 1-D with the size of x's last dim, got x " + x
                        + " and " + p);
            }
        }
        if (!(a.getDouble("epsilon") > 0)) throw new OpException(op, "epsilon must be positive, got "
                + a.getDouble("epsilon"));
        TensorSpec rows = new TensorSpec(in[0].dtype(), rowsOf(x));
        return new TensorSpec[] {in[0], rows, rows};
    }

    private static TensorSpec[] layerNormGradShape(TensorSpec[] in, Attrs a) {
        String op = "LayerNormGrad";
        Infer.requireFloating(op, "dy", in[0]);
        for (int i = 1; i < 5; i++) Infer.sameDType(op, in[0], in[i]);
        Shape x = in[1].shape();
        if (!in[0].shape().isCompatibleWith(x) || x.rank() < 1) {
            throw new OpException(op, "dy and x must have one shape of rank >= 1, got " + in[0].shape() + " and "
                    + x);
        }
        return new TensorSpec[] {in[1], in[2], in[2]};
    }

    /** x's shape without its last axis. */
    private static Shape rowsOf(Shape x) {
        int[] d = new int[x.rank() - 1];
        for (int i = 0; i < d.length; i++) d[i] = x.dim(i);
        return Shape.of(d);
    }
}
