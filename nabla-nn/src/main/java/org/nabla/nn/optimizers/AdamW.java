package org.nabla.nn.optimizers;

import java.util.Map;
/**
 * Adam with decoupled weight decay (Keras' AdamW, default decay 0.004): before the Adam step,
 * {@code w -= lr * weightDecay * w}.
 */
public final class AdamW extends Adam {
    /** AdamW with this learning rate and weight decay 0.004. */
    public AdamW(double learningRate) { this(learningRate, 0.004); }

    /** AdamW with this learning rate and weight decay (at least 0), default Adam constants. */
    public AdamW(double learningRate, double weightDecay) {
        this(learningRate, weightDecay, 0.9, 0.999, 1e-7);
    }

    /** AdamW with these constants; throws for a negative weight decay or invalid Adam constants. */
    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
        super(learningRate, beta1, beta2, epsilon);
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW: weightDecay must be >= 0, got " + weightDecay);
        }
        weightDecay(weightDecay);
    }

    @Override public String name() { return "AdamW"; }

    @Override
    protected Map<String, Double> hyperparameters() {
        Map<String, Double> h = new java.util.LinkedHashMap<>(super.hyperparameters());
        h.put("weight_decay", weightDecay());
        return h;
    }
}
