package org.nabla.nn.losses;

import org.nabla.Tensor;

/**
 * A loss: per-example values ({@link #perExample}) reduced to one tensor by {@link #reduction()} (by default the
 * mean over the batch, Keras' "sum_over_batch_size"), optionally weighted per example. Works eagerly, traced and on
 * tapes.
 */
public interface Loss {
    /**
     * Each example's loss before weighting and reduction: the predictions' shape without the last (class or feature)
     * axis, e.g. [N] for [N, C] predictions; for rank-1 predictions [N], one value per element.
     */
    Tensor perExample(Tensor yTrue, Tensor yPred);

    /** The Keras name ("sparse_categorical_crossentropy"...). */
    String name();

    /** How {@link #call} reduces the per-example values ({@link Reduction#SUM_OVER_BATCH_SIZE} by default). */
    default Reduction reduction() { return Reduction.SUM_OVER_BATCH_SIZE; }

    /** This loss reducing by {@code r} instead (Keras' {@code reduction=} argument). */
    default Loss withReduction(Reduction r) {
        if (r == null) throw new IllegalArgumentException(name() + ": reduction is null");
        Loss base = this;
        return new Loss() {
            @Override public Tensor perExample(Tensor yTrue, Tensor yPred) { return base.perExample(yTrue, yPred); }
            @Override public String name() { return base.name(); }
            @Override public Reduction reduction() { return r; }
        };
    }

    /** The loss of predictions {@code yPred} against targets {@code yTrue}, reduced by {@link #reduction()}. */
    default Tensor call(Tensor yTrue, Tensor yPred) { return reduction().reduce(perExample(yTrue, yPred), null); }

    /**
     * The loss with each example's value multiplied by its weight ({@code sampleWeight} [N] or [N, 1]; null for
     * none) before the reduction, as Keras' {@code loss(y_true, y_pred, sample_weight)}.
     */
    default Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return reduction().reduce(perExample(yTrue, yPred), sampleWeight);
    }

    /**
     * The weighted loss over the real steps of a masked prediction ({@code mask}: bool, true at real steps, e.g.
     * [N, T] for a sequence output; null: none), as Keras' loss with a {@code _keras_mask} on {@code y_pred}:
     * by default the mean over the real steps ({@link Reduction#reduce(Tensor, Tensor, Tensor)}). {@code fit} and
     * {@code evaluate} pass the model output's mask here.
     */
    default Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight, Tensor mask) {
        if (mask == null) return call(yTrue, yPred, sampleWeight);
        return reduction().reduce(perExample(yTrue, yPred), sampleWeight, mask);
    }
}
