package org.nabla.nn.optimizers;

import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * RMSprop (Keras 3 semantics, rho 0.9, epsilon 1e-7): {@code s = rho s + (1 - rho) g²; inc = lr g / sqrt(s + eps)};
 * with momentum {@code mom = momentum mom + inc; w -= mom}, else {@code w -= inc}.
 */
public final class RMSprop extends Optimizer {
    private final double rho;
    private final double momentum;
    private final double epsilon;

    /** RMSprop with this learning rate, rho 0.9, no momentum, epsilon 1e-7. */
    public RMSprop(double learningRate) { this(learningRate, 0.9, 0, 1e-7); }

    /** RMSprop with these constants. */
    public RMSprop(double learningRate, double rho, double momentum, double epsilon) {
        super(learningRate);
        if (!(rho >= 0 && rho < 1) || !(momentum >= 0 && momentum < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("RMSprop: need 0 <= rho, momentum < 1 and epsilon > 0, got rho=" + rho
                    + ", momentum=" + momentum + ", epsilon=" + epsilon);
        }
        this.rho = rho;
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    @Override public String name() { return "RMSprop"; }

    @Override protected int slotCount() { return momentum > 0 ? 2 : 1; }

    @Override protected String slotName(int i) { return i == 0 ? "velocity" : "momentum"; }

    @Override
    protected Map<String, Double> hyperparameters() {
        return Map.of("rho", rho, "momentum", momentum, "epsilon", epsilon);
    }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor s = Ops.add(Ops.mul(slots[0].read(), scalar(rho, g)), Ops.mul(Ops.square(g), scalar(1 - rho, g)));
        slots[0].assign(s);
        Tensor inc = Ops.div(Ops.mul(g, lr), Ops.sqrt(Ops.add(s, scalar(epsilon, g))));
        if (momentum > 0) {
            Tensor mom = Ops.add(Ops.mul(slots[1].read(), scalar(momentum, g)), inc);
            slots[1].assign(mom);
            var.assignSub(mom);
        } else {
            var.assignSub(inc);
        }
    }
}
