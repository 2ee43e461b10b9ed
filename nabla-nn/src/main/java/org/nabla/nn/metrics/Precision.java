package org.nabla.nn.metrics;

/** Precision {@code tp / (tp + fp)} (0 when nothing is predicted positive), as Keras' {@code Precision}. */
public final class Precision extends ThresholdMetric {
    /** At threshold 0.5. */
    public Precision() { this(null, 0, -1); }

    /**
     * At {@code thresholds} (null: 0.5, or with topK every top-k prediction), among each row's {@code topK} highest
     * predictions (0: all), for column {@code classId} only (-1: all).
     */
    public Precision(float[] thresholds, int topK, int classId) { super("precision", thresholds, topK, classId); }

    @Override
    protected double value(double tp, double fp, double tn, double fn) { return ConfusionCounts.divideNoNan(tp, tp + fp); }
}
