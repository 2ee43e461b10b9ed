package org.nabla.nn.metrics;

/** Recall {@code tp / (tp + fn)} (0 when there is no positive target), as Keras' {@code Recall}. */
public final class Recall extends ThresholdMetric {
    /** At threshold 0.5. */
    public Recall() { this(null, 0, -1); }

    /**
     * At {@code thresholds} (null: 0.5, or with topK every top-k prediction), among each row's {@code topK} highest
     * predictions (0: all), for column {@code classId} only (-1: all).
     */
    public Recall(float[] thresholds, int topK, int classId) { super("recall", thresholds, topK, classId); }

    @Override
    protected double value(double tp, double fp, double tn, double fn) { return ConfusionCounts.divideNoNan(tp, tp + fn); }
}
