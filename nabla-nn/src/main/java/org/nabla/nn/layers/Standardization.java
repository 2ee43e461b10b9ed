package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;

/** The arithmetic the normalization layers share: standardizing over some axes, then gamma and beta. */
final class Standardization {
    private Standardization() {}

    /** {@code (x - mean) / sqrt(var + epsilon)}, mean and (population) variance over {@code axes}. */
    static Tensor standardize(Tensor x, double epsilon, int... axes) {
        Tensor centered = Ops.sub(x, Ops.mean(x, true, axes));
        Tensor variance = Ops.mean(Ops.square(centered), true, axes);
        Tensor eps = Ops.cast(Tensors.scalar(epsilon), x.dtype());
        return Ops.mul(centered, Ops.rsqrt(Ops.add(variance, eps)));
    }

    /** {@code y * gamma + beta}, either of them left out when null. */
    static Tensor scaleAndShift(Tensor y, Variable gamma, Variable beta) {
        if (gamma != null) y = Ops.mul(y, gamma.read());
        if (beta != null) y = Ops.add(y, beta.read());
        return y;
    }
}
