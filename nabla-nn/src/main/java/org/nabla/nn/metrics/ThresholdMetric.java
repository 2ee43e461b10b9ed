package org.nabla.nn.metrics;

import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * A metric of confusion counts at one or more thresholds ({@link Precision}, {@link Recall}), with Keras' options:
 * {@code topK} (only each row's k highest predictions can be positive) and {@code classId} (only that column
 * counts). The step gives the flattened targets, predictions and weights; {@link #hostStatistics} counts {tp, fp,
 * fn, tn} at each threshold.
 */
public abstract class ThresholdMetric extends Metric {
    private final String name;
    private final float[] thresholds;
    private final int topK;
    private final int classId;

    /**
     * {@code thresholds} null: 0.5, or (with {@code topK > 0}) minus infinity as Keras; {@code topK} 0 and
     * {@code classId} -1 for none.
     */
    protected ThresholdMetric(String name, float[] thresholds, int topK, int classId) {
        if (topK < 0) throw new IllegalArgumentException(name + ": topK must be >= 0 (0: off), got " + topK);
        if (classId < -1) throw new IllegalArgumentException(name + ": classId must be >= 0 (-1: off), got " + classId);
        float[] th = thresholds != null ? thresholds.clone()
                : new float[] {topK > 0 ? ConfusionCounts.NEG_INF : 0.5f};
        if (th.length == 0) throw new IllegalArgumentException(name + ": no thresholds");
        for (float f : th) {
            if (f != ConfusionCounts.NEG_INF && !(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException(name + ": thresholds must be in [0, 1], got " + f);
            }
        }
        this.name = name;
        this.thresholds = th;
        this.topK = topK;
        this.classId = classId;
    }

    @Override public String name() { return name; }

    /** The number of thresholds (values of the metric). */
    public int thresholdCount() { return thresholds.length; }

    @Override
    public Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor[] f = ConfusionCounts.flatten(name, yTrue, yPred, sampleWeight, topK, classId);
        return Ops.reshape(Ops.stack(List.of(f[0], f[1], f[2]), 0), -1);   // {targets, predictions, weights}
    }

    /** The counts {tp, fp, fn, tn} at each threshold, from the batch's targets, predictions and weights. */
    @Override
    public double[] hostStatistics(double[] fetched) { return ConfusionCounts.counts(fetched, thresholds); }

    @Override
    public double[] result(double[] totals) {
        int n = thresholds.length;
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = value(totals[4 * i], totals[4 * i + 1], totals[4 * i + 3], totals[4 * i + 2]);
        return r;
    }

    /** The value at one threshold from its counts. */
    protected abstract double value(double tp, double fp, double tn, double fn);
}
