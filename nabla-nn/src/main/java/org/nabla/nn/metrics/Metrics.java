package org.nabla.nn.metrics;

import java.util.Locale;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.losses.Loss;
import org.nabla.nn.losses.Losses;
import org.nabla.nn.losses.TargetShapes;

/**
 * The standard metrics. {@code "accuracy"} picks sparse, categorical or binary accuracy from the loss, like Keras.
 * The accuracies and losses are {@link MeanMetric}s of per-example values; {@link Precision}, {@link Recall},
 * {@link AUC}, {@link FBetaScore} and {@link MeanIoU} keep confusion counts.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * A metric by name ("accuracy"/"acc", "sparse_categorical_accuracy", "categorical_accuracy",
     * "binary_accuracy", "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "mse", "mae", and with
     * Keras' defaults "precision", "recall", "auc", "f1_score").
     */
    public static Metric get(String name, Loss loss) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean logits = loss instanceof Losses.Named l && l.fromLogits();
        return switch (n) {
            case "accuracy", "acc" -> {
                String ln = loss == null ? "" : loss.name();
                Metric m = ln.equals("sparse_categorical_crossentropy") ? sparseCategoricalAccuracy()
                        : ln.equals("binary_crossentropy") ? binaryAccuracy(logits ? 0 : 0.5)
                        : categoricalAccuracy();
                yield rename(m, "accuracy");
            }
            case "sparse_categorical_accuracy" -> sparseCategoricalAccuracy();
            case "categorical_accuracy" -> categoricalAccuracy();
            case "binary_accuracy" -> binaryAccuracy(logits ? 0 : 0.5);
            case "top_k_categorical_accuracy" -> topKCategoricalAccuracy(5);
            case "sparse_top_k_categorical_accuracy" -> sparseTopKCategoricalAccuracy(5);
            case "mse", "mean_squared_error" -> fromLoss(Losses.meanSquaredError());
            case "mae", "mean_absolute_error" -> fromLoss(Losses.meanAbsoluteError());
            case "precision" -> new Precision();
            case "recall" -> new Recall();
            case "auc" -> new AUC();
            case "f1_score" -> FBetaScore.f1(FBetaScore.Average.NONE, Double.NaN);
            default -> throw new IllegalArgumentException("unknown metric '" + name + "'; known: accuracy, "
                    + "sparse_categorical_accuracy, categorical_accuracy, binary_accuracy, top_k_categorical_accuracy, "
                    + "sparse_top_k_categorical_accuracy, mse, mae, precision, recall, auc, f1_score");
        };
    }

    /** The fraction of examples whose argmax matches the class index. */
    public static Metric sparseCategoricalAccuracy() {
        return of("sparse_categorical_accuracy", (t, p) -> {
            Tensor labels = Ops.cast(Losses.sparseLabels(t, p), DType.INT64);
            return Ops.cast(Ops.equal(Ops.argmax(p, -1), labels), p.dtype());
        });
    }

    /** The fraction of examples whose argmax matches the argmax of the one-hot target. */
    public static Metric categoricalAccuracy() {
        return of("categorical_accuracy", (yTrue, p) -> {
            Tensor t = TargetShapes.align("categorical_accuracy", yTrue, p)[0];
            return Ops.cast(Ops.equal(Ops.argmax(p, -1), Ops.argmax(t, -1)), p.dtype());
        });
    }

    /**
     * The fraction of examples whose class index is among the {@code k} highest scores (TensorFlow's
     * {@code in_top_k}: fewer than k classes score strictly higher, so ties at the boundary count as in).
     */
    public static Metric sparseTopKCategoricalAccuracy(int k) {
        requireK(k);
        return of("sparse_top_k_categorical_accuracy", (t, p) -> inTopK(p, Losses.sparseLabels(t, p), k));
    }

    /** {@link #sparseTopKCategoricalAccuracy} for one-hot targets (the class is the target's argmax). */
    public static Metric topKCategoricalAccuracy(int k) {
        requireK(k);
        return of("top_k_categorical_accuracy", (yTrue, p) -> {
            Tensor t = TargetShapes.align("top_k_categorical_accuracy", yTrue, p)[0];
            return inTopK(p, Ops.argmax(t, -1), k);
        });
    }

    private static void requireK(int k) {
        if (k < 1) throw new IllegalArgumentException("top-k accuracy: k must be >= 1, got " + k);
    }

    /** Per example: 1 when fewer than k classes score strictly above the labelled one, else 0. */
    private static Tensor inTopK(Tensor scores, Tensor labels, int k) {
        Tensor target = Ops.gather(scores, labels, 1, 1);   // [N]: each example's score of its class
        Tensor above = Ops.sum(Ops.cast(Ops.greater(scores, Ops.expandDims(target, -1)), scores.dtype()), -1);
        return Ops.cast(Ops.less(above, (float) k), scores.dtype());
    }

    /** The fraction of elements with (prediction > threshold) == (target > 0.5). */
    public static Metric binaryAccuracy(double threshold) {
        return of("binary_accuracy", (yTrue, yPred) -> {
            Tensor[] a = TargetShapes.align("binary_accuracy", yTrue, yPred);
            Tensor t = a[0], p = a[1];
            Tensor pred = Ops.greater(p, threshold);
            Tensor truth = Ops.greater(Ops.cast(t, p.dtype()), 0.5);
            return Ops.cast(Ops.equal(pred, truth), p.dtype());
        });
    }

    /** A loss used as a metric: the weighted mean of its per-example values. */
    public static Metric fromLoss(Loss loss) { return of(loss.name(), loss::perExample); }

    /**
     * A metric named {@code name} averaging {@code fn(yTrue, yPred)} over examples: per-example values (weighted by
     * sample weights where given), or a scalar batch mean (which counts as the mean of the batch's examples).
     */
    public static Metric of(String name, java.util.function.BinaryOperator<Tensor> fn) { return new MeanMetric(name, fn); }

    private static Metric rename(Metric m, String name) { return new MeanMetric(name, ((MeanMetric) m).fn()); }
}
