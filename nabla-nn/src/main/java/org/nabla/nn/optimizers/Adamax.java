package org.nabla.nn.optimizers;

import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * Adamax (Keras 3 semantics): Adam with the infinity norm, {@code m = b1 m + (1 - b1) g; u = max(b2 u, |g|);
 * w -= lr / (1 - b1^t) * m / (u + eps)}; beta1 0.9, beta2 0.999, epsilon 1e-7.
 */
public final class Adamax extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    /** Adamax with this learning rate and Keras' default constants. */
    public Adamax(double learningRate) { this(learningRate, 0.9, 0.999, 1e-7); }

    /** Adamax with these constants; throws for betas outside [0, 1) or a non-positive epsilon. */
    public Adamax(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adamax: need 0 <= beta1, beta2 < 1 and epsilon > 0, got beta1="
                    + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override public String name() { return "Adamax"; }

    @Override protected int slotCount() { return 2; }

    @Override protected String slotName(int i) { return i == 0 ? "m" : "u"; }

    @Override
    protected Map<String, Double> hyperparameters() {
        return Map.of("beta_1", beta1, "beta_2", beta2, "epsilon", epsilon);
    }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor t = Ops.cast(step, var.dtype());
        Tensor m = Ops.add(Ops.mul(slots[0].read(), scalar(beta1, g)), Ops.mul(g, scalar(1 - beta1, g)));
        Tensor u = Ops.maximum(Ops.mul(slots[1].read(), scalar(beta2, g)), Ops.abs(g));
        slots[0].assign(m);
        slots[1].assign(u);
        Tensor correction = Ops.sub(scalar(1, g), Ops.pow(scalar(beta1, g), t));
        var.assignSub(Ops.div(Ops.mul(m, lr), Ops.mul(correction, Ops.add(u, scalar(epsilon, g)))));
    }
}
