package org.nabla.nn.losses;

import java.util.Locale;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * The standard losses (Keras semantics, each the batch mean of a per-example value). The cross-entropies use nabla's
 * fused, numerically stable ops: with {@code fromLogits} the raw scores go straight to
 * {@code (Sparse)SoftmaxCrossEntropyWithLogits}; probabilities are clipped to [1e-7, 1 - 1e-7] and their log used as
 * logits (which also renormalizes them, as Keras does).
 */
public final class Losses {
    /** Keras' backend epsilon, used to clip probabilities. */
    public static final float EPSILON = 1e-7f;

    private Losses() {}

    /** By Keras name: mse, mae, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy. */
    public static Loss get(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mse", "mean_squared_error" -> meanSquaredError();
            case "mae", "mean_absolute_error" -> meanAbsoluteError();
            case "binary_crossentropy" -> binaryCrossentropy(false);
            case "categorical_crossentropy" -> categoricalCrossentropy(false);
            case "sparse_categorical_crossentropy" -> sparseCategoricalCrossentropy(false);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; known: mse, mae, "
                    + "binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy");
        };
    }

    /** mean((yPred - yTrue)^2). */
    public static Loss meanSquaredError() {
        return new Named("mean_squared_error", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("mean_squared_error", yTrue, yPred);
            return Ops.mean(Ops.meanSquaredError(a[1], cast(a[0], a[1])));
        });
    }

    /** mean(|yPred - yTrue|). */
    public static Loss meanAbsoluteError() {
        return new Named("mean_absolute_error", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("mean_absolute_error", yTrue, yPred);
            return Ops.mean(Ops.abs(Ops.sub(a[1], cast(a[0], a[1]))));
        });
    }

    /** Binary cross-entropy of probabilities (or logits) against 0/1 targets of the same shape. */
    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new Named("binary_crossentropy", fromLogits, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("binary_crossentropy", yTrue, yPred);
            Tensor p = a[1];
            Tensor z = cast(a[0], p);
            if (fromLogits) {
                // max(x, 0) - x z + log(1 + exp(-|x|)): stable for any x
                Tensor l = Ops.add(Ops.sub(Ops.relu(p), Ops.mul(p, z)), Ops.log1p(Ops.exp(Ops.neg(Ops.abs(p)))));
                return Ops.mean(l);
            }
            Tensor c = Ops.clip(p, EPSILON, 1 - EPSILON);
            Tensor l = Ops.add(Ops.mul(z, Ops.log(c)), Ops.mul(Ops.sub(1f, z), Ops.log(Ops.sub(1f, c))));
            return Ops.neg(Ops.mean(l));
        });
    }

    /** Cross-entropy of class scores [N, C] against one-hot (or soft) targets [N, C]. */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new Named("categorical_crossentropy", fromLogits, (yTrue, p) -> {
            Tensor t = TargetShapes.align("categorical_crossentropy", yTrue, p)[0];
            if (t.shape().rank() != p.shape().rank()) {
                throw new IllegalArgumentException("categorical_crossentropy: targets " + yTrue.shape()
                        + " against class scores " + p.shape() + ": expected one-hot targets of the scores' shape");
            }
            Tensor logits = fromLogits ? p : Ops.log(Ops.clip(p, EPSILON, 1 - EPSILON));
            return Ops.mean(Ops.softmaxCrossEntropyWithLogits(logits, cast(t, p)));
        });
    }

    /** Cross-entropy of class scores [N, C] against class indices [N] (or [N, 1]; int or float). */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new Named("sparse_categorical_crossentropy", fromLogits, (t, p) -> {
            Tensor logits = fromLogits ? p : Ops.log(Ops.clip(p, EPSILON, 1 - EPSILON));
            return Ops.mean(Ops.sparseSoftmaxCrossEntropyWithLogits(logits, sparseLabels(t, p)));
        });
    }

    /** Class indices as int32 [N]: squeezes a trailing 1 and casts floating labels. */
    public static Tensor sparseLabels(Tensor t, Tensor p) {
        Tensor labels = t;
        if (labels.shape().rank() == p.shape().rank() && labels.shape().dim(-1) == 1) labels = Ops.reshape(labels, -1);
        if (labels.shape().rank() != p.shape().rank() - 1) {
            throw new IllegalArgumentException("sparse class labels of shape " + t.shape() + " do not match class "
                    + "scores of shape " + p.shape() + " (expected labels [N] or [N, 1] for scores [N, C])");
        }
        if (labels.dtype() != DType.INT32 && labels.dtype() != DType.INT64) labels = Ops.cast(labels, DType.INT32);
        return labels;
    }

    static Tensor cast(Tensor t, Tensor p) { return t.dtype() == p.dtype() ? t : Ops.cast(t, p.dtype()); }

    /** A loss with a name; {@link #fromLogits()} tells metrics how to read predictions. */
    public record Named(String name, boolean fromLogits, java.util.function.BinaryOperator<Tensor> fn) implements Loss {
        @Override
        public Tensor call(Tensor yTrue, Tensor yPred) { return fn.apply(yTrue, yPred); }
    }
}
