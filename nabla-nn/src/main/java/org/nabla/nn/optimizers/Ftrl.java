package org.nabla.nn.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Variable;

/**
 * FTRL-proximal (McMahan et al., 2013) with Keras 3's parameters and update: an accumulator {@code n} of squared
 * gradients (from {@code initialAccumulatorValue}, 0.1) and a linear term {@code z}; with {@code p = -lrPower} (0.5),
 * {@code n' = n + g²}, {@code z += g + 2 l2s w - (n'^p - n^p) / lr * w}, then
 * {@code w = (clip(z, -l1, l1) - z) / (n'^p / lr + 2 (l2 + beta / (2 lr)))}.
 */
public final class Ftrl extends Optimizer {
    private final double learningRatePower;
    private final double initialAccumulatorValue;
    private final double l1;
    private final double l2;
    private final double l2Shrinkage;
    private final double beta;

    /** Ftrl with this learning rate and Keras' defaults (power -0.5, accumulator 0.1, no regularization). */
    public Ftrl(double learningRate) { this(learningRate, -0.5, 0.1, 0, 0, 0, 0); }

    /**
     * Ftrl with Keras' parameters: {@code learningRatePower} at most 0, the others at least 0 ({@code l1}, {@code l2},
     * {@code l2Shrinkage}: Keras' l1/l2/l2-shrinkage regularization strengths).
     */
    public Ftrl(double learningRate, double learningRatePower, double initialAccumulatorValue, double l1, double l2,
                double l2Shrinkage, double beta) {
        super(learningRate);
        if (!(learningRatePower <= 0)) {
            throw new IllegalArgumentException("Ftrl: learning_rate_power must be <= 0, got " + learningRatePower);
        }
        if (!(initialAccumulatorValue >= 0) || !(l1 >= 0) || !(l2 >= 0) || !(l2Shrinkage >= 0) || !(beta >= 0)) {
            throw new IllegalArgumentException("Ftrl: initial_accumulator_value, l1, l2, l2 shrinkage and beta must be "
                    + ">= 0, got " + initialAccumulatorValue + ", " + l1 + ", " + l2 + ", " + l2Shrinkage + ", " + beta);
        }
        this.learningRatePower = learningRatePower;
        this.initialAccumulatorValue = initialAccumulatorValue;
        this.l1 = l1;
        this.l2 = l2;
        this.l2Shrinkage = l2Shrinkage;
        this.beta = beta;
    }

    @Override public String name() { return "Ftrl"; }

    @Override protected int slotCount() { return 2; }

    @Override protected String slotName(int i) { return i == 0 ? "accumulator" : "linear"; }

    @Override protected double slotInitialValue(int i) { return i == 0 ? initialAccumulatorValue : 0; }

    @Override
    protected Map<String, Double> hyperparameters() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("learning_rate_power", learningRatePower);
        h.put("initial_accumulator_value", initialAccumulatorValue);
        h.put("l1_regularization_strength", l1);
        h.put("l2_regularization_strength", l2);
        h.put("l2_shrinkage_regularization_strength", l2Shrinkage);
        h.put("beta", beta);
        return h;
    }

    @Override
    protected void update(Variable var, Tensor g, Variable[] slots, Tensor lr, Tensor step) {
        Tensor w = var.read(), accum = slots[0].read();
        Tensor p = scalar(-learningRatePower, g);
        Tensor l2Total = Ops.add(scalar(l2, g), Ops.div(scalar(beta, g), Ops.mul(lr, scalar(2, g))));
        Tensor gradToUse = Ops.add(g, Ops.mul(w, scalar(2 * l2Shrinkage, g)));
        Tensor newAccum = Ops.add(accum, Ops.square(g));
        Tensor newPow = Ops.pow(newAccum, p);
        Tensor linear = Ops.add(slots[1].read(),
                Ops.sub(gradToUse, Ops.mul(Ops.div(Ops.sub(newPow, Ops.pow(accum, p)), lr), w)));
        slots[1].assign(linear);
        Tensor quadratic = Ops.add(Ops.div(newPow, lr), Ops.mul(l2Total, scalar(2, g)));
        Tensor clipped = Ops.clip(linear, scalar(-l1, g), scalar(l1, g));
        var.assign(Ops.div(Ops.sub(clipped, linear), quadratic));
        slots[0].assign(newAccum);
    }
}
