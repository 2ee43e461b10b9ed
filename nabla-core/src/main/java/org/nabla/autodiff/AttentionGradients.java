package org.nabla.autodiff;

import java.util.Arrays;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.AttentionOps;
import org.nabla.ops.GradientRegistry;

/**
 * The gradient of {@link AttentionOps#SCALED_DOT_PRODUCT_ATTENTION}: one ScaledDotProductAttentionGrad call that
 * rebuilds the probabilities from the forward's log-sum-exp. A missing output gradient counts as zeros; the bool
 * mask gets none. The backward op itself is marked not differentiable.
 */
public final class AttentionGradients {
    private AttentionGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        gradients.register(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION, (c, g) -> {
            Tensor out = c.output(0), lse = c.output(1);
            Tensor[] in = new Tensor[c.inputs().length + 3];
            in[0] = c.input(0);
            in[1] = c.input(1);
            in[2] = c.input(2);
            in[3] = lse;
            in[4] = g[0] != null ? g[0] : Ops.zerosLike(out);
            in[5] = g[1] != null ? g[1] : Ops.zerosLike(lse);
            if (c.inputs().length > 3) in[6] = c.input(3);
            Tensor[] d = Ops.runMulti(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION_GRAD, c.attrs(), in);
            Tensor[] grads = Arrays.copyOf(d, c.inputs().length);   // the mask's entry stays null
            return grads;
        });
    }
}
