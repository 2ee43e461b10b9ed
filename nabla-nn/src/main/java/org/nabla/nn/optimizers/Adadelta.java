package org.nabla.nn.optimizers;

import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * Adadelta (Keras 3 semantics, rho 0.95, epsilon 1e-7): {@code a = rho a + (1 - rho) g²;
 * d = sqrt(b + eps) / sqrt(a + eps) g; b = rho b + (1 - rho) d²; w -= lr d}.
 */
public final class Adadelta extends Optimizer {
    private final double rho;
    private final double epsilon;

    /** Adadelta with this learning rate (Keras' default is 0.001), rho 0.95, epsilon 1e-7. */
    public Adadelta(double learningRate) { this(learningRate, 0.95, 1e-7); }

    /** Adadelta with these constants; throws for rho outside [0, 1) or a non-positive epsilon. */
    public Adadelta(double learningRate, double rho, double epsilon) {
        super(learningRate);
        if (!(rho >= 0 && rho < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adadelta: need 0 <= rho < 1 and epsilon > 0, got rho=" + rho
                    + ", epsilon=" + epsilon);
        }
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override public String name() { return "Adadelta"; }

    @Override protected int slotCount() { return 2; }

    @Override protected String slotName(int i) { return i == 0 ? "accumulated_grad" : "accumulated_delta_var"; }

    @Override
    protected Map<String, Double> hyperparameters() { return Map.of("rho", rho, "epsilon", epsilon); }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor eps = scalar(epsilon, g);
        Tensor a = Ops.add(Ops.mul(slots[0].read(), scalar(rho, g)), Ops.mul(Ops.square(g), scalar(1 - rho, g)));
        slots[0].assign(a);
        Tensor d = Ops.mul(Ops.div(Ops.sqrt(Ops.add(slots[1].read(), eps)), Ops.sqrt(Ops.add(a, eps))), g);
        slots[1].assign(Ops.add(Ops.mul(slots[1].read(), scalar(rho, g)), Ops.mul(Ops.square(d), scalar(1 - rho, g))));
        var.assignSub(Ops.mul(d, lr));
    }
}
