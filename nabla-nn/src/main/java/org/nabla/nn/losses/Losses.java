package org.nabla.nn.losses;

import java.util.Locale;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * The standard losses (Keras semantics: each gives per-example values, which {@link Loss#call} weights and reduces,
 * by default to the batch mean). The cross-entropies use nabla's
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
            case "huber" -> huber(1.0);
            case "kld", "kl_divergence" -> klDivergence();
            case "hinge" -> hinge();
            case "squared_hinge" -> squaredHinge();
            case "cosine_similarity" -> cosineSimilarity();
            case "poisson" -> poisson();
            case "log_cosh", "logcosh" -> logCosh();
            case "binary_focal_crossentropy" -> binaryFocalCrossentropy(2.0, 0.25, false, false);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; known: mse, mae, "
                    + "binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, huber, "
                    + "kl_divergence, hinge, squared_hinge, cosine_similarity, poisson, log_cosh, "
                    + "binary_focal_crossentropy");
        };
    }

    /** mean((yPred - yTrue)^2) over the last axis. */
    public static Loss meanSquaredError() {
        return new Named("mean_squared_error", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("mean_squared_error", yTrue, yPred);
            Tensor t = cast(a[0], a[1]);
            return a[1].shape().rank() < 2 ? Ops.square(Ops.sub(a[1], t)) : Ops.meanSquaredError(a[1], t);
        });
    }

    /** mean(|yPred - yTrue|) over the last axis. */
    public static Loss meanAbsoluteError() {
        return new Named("mean_absolute_error", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("mean_absolute_error", yTrue, yPred);
            return perRow(Ops.abs(Ops.sub(a[1], cast(a[0], a[1]))));
        });
    }

    /** Binary cross-entropy of probabilities (or logits) against 0/1 targets of the same shape. */
    public static Loss binaryCrossentropy(boolean fromLogits) { return binaryCrossentropy(fromLogits, 0); }

    /**
     * Binary cross-entropy with label smoothing: targets become {@code t (1 - s) + s / 2} (Keras'
     * {@code label_smoothing}).
     */
    public static Loss binaryCrossentropy(boolean fromLogits, double labelSmoothing) {
        requireSmoothing("binary_crossentropy", labelSmoothing);
        return new Named("binary_crossentropy", fromLogits, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("binary_crossentropy", yTrue, yPred);
            Tensor p = a[1];
            Tensor z = cast(a[0], p);
            if (labelSmoothing > 0) z = Ops.add(Ops.mul(z, (float) (1 - labelSmoothing)), (float) (labelSmoothing / 2));
            if (fromLogits) {
                // max(x, 0) - x z + log(1 + exp(-|x|)): stable for any x
                Tensor l = Ops.add(Ops.sub(Ops.relu(p), Ops.mul(p, z)), Ops.log1p(Ops.exp(Ops.neg(Ops.abs(p)))));
                return perRow(l);
            }
            Tensor c = Ops.clip(p, EPSILON, 1 - EPSILON);
            Tensor l = Ops.add(Ops.mul(z, Ops.log(c)), Ops.mul(Ops.sub(1f, z), Ops.log(Ops.sub(1f, c))));
            return Ops.neg(perRow(l));
        });
    }

    /** Cross-entropy of class scores [N, C] against one-hot (or soft) targets [N, C]. */
    public static Loss categoricalCrossentropy(boolean fromLogits) { return categoricalCrossentropy(fromLogits, 0); }

    /**
     * Categorical cross-entropy with label smoothing: targets become {@code t (1 - s) + s / C} (Keras'
     * {@code label_smoothing}).
     */
    public static Loss categoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        requireSmoothing("categorical_crossentropy", labelSmoothing);
        return new Named("categorical_crossentropy", fromLogits, (yTrue, p) -> {
            Tensor t = TargetShapes.align("categorical_crossentropy", yTrue, p)[0];
            if (t.shape().rank() != p.shape().rank()) {
                throw new IllegalArgumentException("categorical_crossentropy: targets " + yTrue.shape()
                        + " against class scores " + p.shape() + ": expected one-hot targets of the scores' shape");
            }
            Tensor target = cast(t, p);
            if (labelSmoothing > 0) {
                int classes = p.shape().dim(-1);
                target = Ops.add(Ops.mul(target, (float) (1 - labelSmoothing)), (float) (labelSmoothing / classes));
            }
            Tensor logits = fromLogits ? p : Ops.log(Ops.clip(p, EPSILON, 1 - EPSILON));
            return Ops.softmaxCrossEntropyWithLogits(logits, target);
        });
    }

    private static void requireSmoothing(String loss, double s) {
        if (!(s >= 0 && s <= 1)) throw new IllegalArgumentException(loss + ": label smoothing must be in [0, 1], got " + s);
    }

    /** The mean over the last axis (one value per example, as Keras' loss functions); rank 1 stays per element. */
    private static Tensor perRow(Tensor perElement) {
        return perElement.shape().rank() < 2 ? perElement : Ops.mean(perElement, -1);
    }

    /**
     * Huber loss: {@code 0.5 x^2} where {@code |x| <= delta}, {@code delta (|x| - 0.5 delta)} beyond,
     * {@code x = yPred - yTrue}.
     */
    public static Loss huber(double delta) {
        if (!(delta > 0)) throw new IllegalArgumentException("huber: delta must be positive, got " + delta);
        return new Named("huber", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("huber", yTrue, yPred);
            Tensor err = Ops.abs(Ops.sub(a[1], cast(a[0], a[1])));
            Tensor quadratic = Ops.minimum(err, (float) delta);
            Tensor linear = Ops.sub(err, quadratic);
            return perRow(Ops.add(Ops.mul(Ops.square(quadratic), 0.5f), Ops.mul(linear, (float) delta)));
        });
    }

    /** Kullback-Leibler divergence sum(t log(t / p)) over the last axis, both clipped to [1e-7, 1]. */
    public static Loss klDivergence() {
        return new Named("kl_divergence", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("kl_divergence", yTrue, yPred);
            Tensor t = Ops.clip(cast(a[0], a[1]), EPSILON, 1f), p = Ops.clip(a[1], EPSILON, 1f);
            Tensor terms = Ops.mul(t, Ops.log(Ops.div(t, p)));
            return terms.shape().rank() < 2 ? terms : Ops.sum(terms, -1);
        });
    }

    /** Targets -1/1, with 0/1 targets mapped to -1/1 as Keras does (when every target is 0 or 1). */
    private static Tensor hingeTargets(Tensor t) {
        Tensor binary = Ops.all(Ops.logicalOr(Ops.equal(t, 0f), Ops.equal(t, 1f)));
        return Ops.where(binary, Ops.sub(Ops.mul(t, 2f), 1f), t);
    }

    /** Hinge loss mean(max(1 - t p, 0)) for targets -1/1 (or 0/1). */
    public static Loss hinge() {
        return new Named("hinge", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("hinge", yTrue, yPred);
            Tensor t = hingeTargets(cast(a[0], a[1]));
            return perRow(Ops.relu(Ops.sub(1f, Ops.mul(t, a[1]))));
        });
    }

    /** Squared hinge loss mean(max(1 - t p, 0)^2) for targets -1/1 (or 0/1). */
    public static Loss squaredHinge() {
        return new Named("squared_hinge", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("squared_hinge", yTrue, yPred);
            Tensor t = hingeTargets(cast(a[0], a[1]));
            return perRow(Ops.square(Ops.relu(Ops.sub(1f, Ops.mul(t, a[1])))));
        });
    }

    private static Tensor l2Normalize(Tensor x) {
        return Ops.div(x, Ops.sqrt(Ops.maximum(Ops.sum(Ops.square(x), true, -1), 1e-12f)));
    }

    /** Minus the cosine similarity of targets and predictions along the last axis (-1: same direction). */
    public static Loss cosineSimilarity() {
        return new Named("cosine_similarity", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("cosine_similarity", yTrue, yPred);
            Tensor cos = Ops.sum(Ops.mul(l2Normalize(cast(a[0], a[1])), l2Normalize(a[1])), -1);
            return Ops.neg(cos);
        });
    }

    /** Poisson loss mean(p - t log(p + 1e-7)) for predicted rates p. */
    public static Loss poisson() {
        return new Named("poisson", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("poisson", yTrue, yPred);
            Tensor t = cast(a[0], a[1]);
            return perRow(Ops.sub(a[1], Ops.mul(t, Ops.log(Ops.add(a[1], EPSILON)))));
        });
    }

    /** mean(log(cosh(p - t))), computed as x + softplus(-2x) - log 2 (no overflow for large x). */
    public static Loss logCosh() {
        return new Named("log_cosh", false, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("log_cosh", yTrue, yPred);
            Tensor x = Ops.sub(a[1], cast(a[0], a[1]));
            Tensor lc = Ops.sub(Ops.add(x, Ops.softplus(Ops.mul(x, -2f))), (float) Math.log(2));
            return perRow(lc);
        });
    }

    /**
     * Binary focal cross-entropy (Keras): the binary cross-entropy of each element times {@code (1 - p_t)^gamma},
     * p_t the probability given to the true class; with class balancing also times {@code alpha} for positives and
     * {@code 1 - alpha} for negatives.
     */
    public static Loss binaryFocalCrossentropy(double gamma, double alpha, boolean applyClassBalancing,
                                               boolean fromLogits) {
        if (!(gamma >= 0)) throw new IllegalArgumentException("binary_focal_crossentropy: gamma must be >= 0, got " + gamma);
        return new Named("binary_focal_crossentropy", fromLogits, (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("binary_focal_crossentropy", yTrue, yPred);
            Tensor z = cast(a[0], a[1]);
            Tensor p = fromLogits ? Ops.sigmoid(a[1]) : a[1];
            Tensor c = Ops.clip(p, EPSILON, 1 - EPSILON);
            Tensor bce = Ops.neg(Ops.add(Ops.mul(z, Ops.log(c)), Ops.mul(Ops.sub(1f, z), Ops.log(Ops.sub(1f, c)))));
            Tensor pt = Ops.add(Ops.mul(z, p), Ops.mul(Ops.sub(1f, z), Ops.sub(1f, p)));
            Tensor focal = Ops.mul(Ops.pow(Ops.sub(1f, pt), (float) gamma), bce);
            if (applyClassBalancing) {
                focal = Ops.mul(focal, Ops.add(Ops.mul(z, (float) alpha), Ops.mul(Ops.sub(1f, z), (float) (1 - alpha))));
            }
            return perRow(focal);
        });
    }

    /**
     * Cross-entropy of class scores [N, C] against class indices [N] (or [N, 1]; int or float); scores of a sequence
     * [N, T, C] against indices [N, T] give one loss per step [N, T] (for temporal sample weights).
     */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new Named("sparse_categorical_crossentropy", fromLogits, (t, p) -> {
            Tensor logits = fromLogits ? p : Ops.log(Ops.clip(p, EPSILON, 1 - EPSILON));
            if (p.shape().rank() <= 2) return Ops.sparseSoftmaxCrossEntropyWithLogits(logits, sparseLabels(t, p));
            int[] steps = java.util.Arrays.copyOf(p.shape().dims(), p.shape().rank() - 1);   // [N, T, ...]
            steps[0] = -1;
            for (int i = 1; i < steps.length; i++) {
                if (steps[i] < 0) throw new IllegalArgumentException("sparse_categorical_crossentropy: scores "
                        + p.shape() + " need every dimension but the batch and classes known");
            }
            Tensor labels = t.shape().rank() == p.shape().rank() && t.shape().dim(-1) == 1 ? Ops.squeeze(t, -1) : t;
            if (labels.shape().rank() != steps.length) {
                throw new IllegalArgumentException("sparse class labels of shape " + t.shape() + " do not match "
                        + "class scores of shape " + p.shape() + " (expected labels " + java.util.Arrays.toString(
                        java.util.Arrays.copyOf(p.shape().dims(), steps.length)) + ")");
            }
            int c = p.shape().dim(-1);
            Tensor flat = Ops.sparseSoftmaxCrossEntropyWithLogits(Ops.reshape(logits, -1, c),
                    sparseLabels(Ops.reshape(labels, -1), Ops.reshape(p, -1, c)));
            return Ops.reshape(flat, steps);
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

    /**
     * A loss with a name: {@code fn} gives the per-example values; {@link #fromLogits()} tells metrics how to read
     * predictions; {@link #reduction()} how {@code call} reduces (see {@link #withReduction}).
     */
    public record Named(String name, boolean fromLogits, java.util.function.BinaryOperator<Tensor> fn,
                        Reduction reduction) implements Loss {
        /** Validates the components. */
        public Named {
            if (name == null || fn == null || reduction == null) {
                throw new IllegalArgumentException("a loss needs a name, a function and a reduction");
            }
        }

        /** A loss reducing by the mean over the batch (Keras' default). */
        public Named(String name, boolean fromLogits, java.util.function.BinaryOperator<Tensor> fn) {
            this(name, fromLogits, fn, Reduction.SUM_OVER_BATCH_SIZE);
        }

        /** This loss with another reduction (Keras' {@code reduction=} argument); still a {@code Named}. */
        @Override
        public Named withReduction(Reduction r) { return new Named(name, fromLogits, fn, r); }

        @Override
        public Tensor perExample(Tensor yTrue, Tensor yPred) { return fn.apply(yTrue, yPred); }
    }
}
