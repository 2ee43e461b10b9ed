package org.nabla.nn.losses;

import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * How a {@link Loss} turns per-example values (times optional sample weights) into its result, as Keras'
 * {@code reduction} argument: {@code SUM_OVER_BATCH_SIZE} (the default) divides the weighted sum by the number of
 * values, not by the sum of the weights, so a weight of 0 still counts in the denominator.
 */
public enum Reduction {
    /** {@code sum(values * w) / count(values)}: Keras' default ("sum_over_batch_size"). */
    SUM_OVER_BATCH_SIZE,
    /** {@code sum(values * w)}. */
    SUM,
    /** {@code sum(values * w) / sum(w)} (Keras' "mean_with_sample_weight"; without weights the same as the mean). */
    MEAN_WITH_SAMPLE_WEIGHT,
    /** The weighted values themselves, one per example. */
    NONE;

    /** By Keras name: sum_over_batch_size (or mean), sum, mean_with_sample_weight, none. */
    public static Reduction of(String name) {
        return switch (name) {
            case "sum_over_batch_size", "mean" -> SUM_OVER_BATCH_SIZE;
            case "sum" -> SUM;
            case "mean_with_sample_weight" -> MEAN_WITH_SAMPLE_WEIGHT;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("unknown loss reduction '" + name + "'; known: "
                    + "sum_over_batch_size, sum, mean_with_sample_weight, none");
        };
    }

    /**
     * Weights {@code values} by {@code sampleWeight} (null: unweighted; [N] or [N, 1] weights are broadcast over the
     * remaining axes of the values, as Keras does) and reduces them.
     */
    public Tensor reduce(Tensor values, Tensor sampleWeight) {
        Tensor w = sampleWeight == null ? null : broadcastable(sampleWeight, values);
        Tensor weighted = w == null ? values : Ops.mul(values, w);
        if (this == NONE || values.shape().rank() == 0) return weighted;
        return switch (this) {
            case SUM -> Ops.sum(weighted);
            case MEAN_WITH_SAMPLE_WEIGHT -> w == null ? Ops.mean(weighted)
                    : divideNoNan(Ops.sum(weighted), Ops.sum(w));   // Keras: the weights' own sum, not broadcast
            default -> Ops.mean(weighted);
        };
    }

    /**
     * {@link #reduce(Tensor, Tensor)} with a padding mask ({@code mask}: bool, true at real steps, e.g. [N, T] for
     * per-step values; null: none) merged into the weights as Keras 3 merges a prediction's {@code _keras_mask}
     * ({@link #maskedWeights}): with the default reduction the result is {@code sum(values * w * mask) /
     * count(mask)}, the mean over the real steps; a batch with no real step gives 0.
     */
    public Tensor reduce(Tensor values, Tensor sampleWeight, Tensor mask) {
        return reduce(values, mask == null ? sampleWeight : maskedWeights(sampleWeight, mask, values.dtype()));
    }

    /**
     * Sample weights with a mask merged in (Keras' {@code apply_mask}): masked steps weigh 0; real ones their sample
     * weight (1 without), times {@code count(mask) / count(true)} for {@code SUM_OVER_BATCH_SIZE}, whose division by
     * the number of values then becomes one by the number of real steps. [N] or [N, 1] sample weights apply to every
     * step of their example.
     */
    public Tensor maskedWeights(Tensor sampleWeight, Tensor mask, org.nabla.DType dtype) {
        Tensor m = Ops.cast(mask, dtype);
        if (this == SUM_OVER_BATCH_SIZE) m = Ops.mul(m, divideNoNan(Ops.onesLike(Ops.mean(m)), Ops.mean(m)));
        return sampleWeight == null ? m : Ops.mul(broadcastable(sampleWeight, m), m);
    }

    /** {@code a / b}, 0 where {@code b} is 0 (no NaN in the value or the gradient). */
    private static Tensor divideNoNan(Tensor a, Tensor b) {
        Tensor zero = Ops.equal(b, 0f);
        return Ops.where(zero, Ops.zerosLike(a), Ops.div(a, Ops.where(zero, Ops.onesLike(b), b)));
    }

    /** Sample weights in the values' dtype with the values' rank (trailing axes of 1 added or a trailing 1 dropped). */
    public static Tensor broadcastable(Tensor sampleWeight, Tensor values) {
        Tensor w = sampleWeight.dtype() == values.dtype() ? sampleWeight : Ops.cast(sampleWeight, values.dtype());
        int rv = values.shape().rank();
        if (w.shape().rank() == rv + 1 && w.shape().dim(-1) == 1) w = Ops.squeeze(w, -1);
        while (w.shape().rank() < rv) w = Ops.expandDims(w, -1);
        if (w.shape().rank() != rv) {
            throw new IllegalArgumentException("sample weights of shape " + sampleWeight.shape() + " do not fit "
                    + "per-example values of shape " + values.shape() + " (expected weights [N] or [N, 1], or one per "
                    + "value, e.g. [N, T] for per-step losses)");
        }
        return w;
    }
}
