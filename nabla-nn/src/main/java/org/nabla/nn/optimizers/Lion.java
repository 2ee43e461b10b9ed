package org.nabla.nn.optimizers;

import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * Lion (Chen et al. 2023, Keras 3 semantics): {@code w -= lr sign(b1 m + (1 - b1) g); m = b2 m + (1 - b2) g};
 * beta1 0.9, beta2 0.99. Use a learning rate 3-10x smaller than Adam's.
 */
public final class Lion extends Optimizer {
    private final double beta1;
    private final double beta2;

    /** Lion with this learning rate, beta1 0.9, beta2 0.99. */
    public Lion(double learningRate) { this(learningRate, 0.9, 0.99); }

    /** Lion with these constants; throws for betas outside [0, 1] (beta1 0 makes it signSGD). */
    public Lion(double learningRate, double beta1, double beta2) {
        super(learningRate);
        if (!(beta1 >= 0 && beta1 <= 1) || !(beta2 >= 0 && beta2 <= 1)) {
            throw new IllegalArgumentException("Lion: need 0 <= beta1, beta2 <= 1, got beta1=" + beta1 + ", beta2="
                    + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override public String name() { return "Lion"; }

    @Override protected int slotCount() { return 1; }

    @Override protected String slotName(int i) { return "momentum"; }

    @Override
    protected Map<String, Double> hyperparameters() { return Map.of("beta_1", beta1, "beta_2", beta2); }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor m = slots[0].read();
        Tensor c = Ops.add(Ops.mul(m, scalar(beta1, g)), Ops.mul(g, scalar(1 - beta1, g)));
        var.assignSub(Ops.mul(Ops.sign(c), lr));
        slots[0].assign(Ops.add(Ops.mul(m, scalar(beta2, g)), Ops.mul(g, scalar(1 - beta2, g))));
    }
}
