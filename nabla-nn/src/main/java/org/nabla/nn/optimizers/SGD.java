package org.nabla.nn.optimizers;

import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * Stochastic gradient descent (Keras semantics). Without momentum {@code w -= lr g}; with momentum
 * {@code v = momentum v - lr g; w += v}, or with Nesterov {@code w += momentum v - lr g} (v already updated).
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    /** Plain SGD, {@code w -= lr g}. */
    public SGD(double learningRate) { this(learningRate, 0, false); }

    /** SGD with {@code momentum} in [0, 1) (0: none), optionally Nesterov's; throws for another momentum. */
    public SGD(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override public String name() { return "SGD"; }

    @Override protected int slotCount() { return momentum > 0 ? 1 : 0; }

    @Override protected String slotName(int i) { return "momentum"; }

    @Override
    protected Map<String, Double> hyperparameters() {
        return Map.of("momentum", momentum, "nesterov", nesterov ? 1.0 : 0.0);
    }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor lrG = Ops.mul(g, lr);
        if (momentum == 0) {
            var.assignSub(lrG);
            return;
        }
        Tensor mom = scalar(momentum, g);
        Tensor v = Ops.sub(Ops.mul(slots[0].read(), mom), lrG);
        slots[0].assign(v);
        var.assignAdd(nesterov ? Ops.sub(Ops.mul(v, mom), lrG) : v);
    }
}
