package org.nabla.nn.optimizers;

import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * Adagrad (Keras 3 semantics): {@code acc += g²; w -= lr g / sqrt(acc + eps)}, the accumulator starting at
 * {@code initialAccumulatorValue} (0.1) and epsilon 1e-7.
 */
public final class Adagrad extends Optimizer {
    private final double initialAccumulatorValue;
    private final double epsilon;

    /** Adagrad with this learning rate, initial accumulator 0.1, epsilon 1e-7. */
    public Adagrad(double learningRate) { this(learningRate, 0.1, 1e-7); }

    /** Adagrad with these constants; throws for a negative initial accumulator or a non-positive epsilon. */
    public Adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
        super(learningRate);
        if (!(initialAccumulatorValue >= 0) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Adagrad: need initial_accumulator_value >= 0 and epsilon > 0, got "
                    + initialAccumulatorValue + " and " + epsilon);
        }
        this.initialAccumulatorValue = initialAccumulatorValue;
        this.epsilon = epsilon;
    }

    @Override public String name() { return "Adagrad"; }

    @Override protected int slotCount() { return 1; }

    @Override protected String slotName(int i) { return "accumulator"; }

    @Override protected double slotInitialValue(int i) { return initialAccumulatorValue; }

    @Override
    protected Map<String, Double> hyperparameters() {
        return Map.of("initial_accumulator_value", initialAccumulatorValue, "epsilon", epsilon);
    }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor acc = Ops.add(slots[0].read(), Ops.square(g));
        slots[0].assign(acc);
        var.assignSub(Ops.div(Ops.mul(g, lr), Ops.sqrt(Ops.add(acc, scalar(epsilon, g)))));
    }
}
