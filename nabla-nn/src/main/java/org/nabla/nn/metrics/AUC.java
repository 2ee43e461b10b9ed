package org.nabla.nn.metrics;

import java.util.List;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Area under the ROC or precision-recall curve, as Keras' {@code AUC}. With multi_label off (the default) every
 * element of the predictions is one decision; with {@link #multiLabel()} each column of [N, labels] predictions
 * has its own curve and the result is their mean (Keras' {@code multi_label=True}, no label weights): {@code numThresholds} evenly spaced thresholds (200), the curve's points from the
 * confusion counts at each, summed by Keras' interpolation (trapezoids for ROC, Davis and Goadrich's interpolation
 * for PR). The statistics are two histograms over the threshold buckets, of positive and of negative targets; the
 * counts at each threshold are their suffix sums, so the state stays additive. The step computes each element's
 * bucket and weights; the histogram is made on the host ({@link #hostStatistics}), a loop over the batch's elements,
 * because a one-hot matrix [elements, thresholds] times the weights costs more than the model's step.
 */
public final class AUC extends Metric {
    /** Which curve. */
    public enum Curve {
        /** True positive rate against false positive rate. */
        ROC,
        /** Precision against recall. */
        PR
    }

    private final String name;
    private final int numThresholds;
    private final Curve curve;
    private final boolean fromLogits;
    private boolean multiLabel;
    private int labels = 1;   // the predictions' last dim under multiLabel (known when the step is traced)

    /** ROC AUC with 200 thresholds over probabilities. */
    public AUC() { this(200, Curve.ROC, false); }

    /** AUC with {@code numThresholds} (more than 1) thresholds; {@code fromLogits} applies a sigmoid first. */
    public AUC(int numThresholds, Curve curve, boolean fromLogits) {
        if (numThresholds < 2) throw new IllegalArgumentException("auc: numThresholds must be > 1, got " + numThresholds);
        if (curve == null) throw new IllegalArgumentException("auc: curve is null");
        this.name = "auc";
        this.numThresholds = numThresholds;
        this.curve = curve;
        this.fromLogits = fromLogits;
    }

    /**
     * Keras' {@code multi_label=True}: one curve per label (column) of [N, labels] predictions, averaged. Set before
     * the first update.
     */
    public AUC multiLabel() {
        multiLabel = true;
        return this;
    }

    @Override public String name() { return name; }

    @Override
    public Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (multiLabel) {
            if (yPred.shape().rank() != 2 || yPred.shape().dim(1) < 1) {
                throw new IllegalArgumentException(name + ": multi_label needs predictions [N, labels], got "
                        + yPred.shape());
            }
            labels = yPred.shape().dim(1);   // flattened row-major: element i is label i % labels
        }
        Tensor[] f = ConfusionCounts.flatten(name, yTrue, fromLogits ? Ops.sigmoid(yPred) : yPred, sampleWeight, 0, -1);
        Tensor t = f[0], p = Ops.clip(f[1], 0f, 1f), w = f[2];
        // Keras' bucketing: a prediction counts at threshold i when ceil(p (n - 1)) - 1 >= i (thresholds -eps,
        // 1/(n-1), ..., 1 + eps)
        Tensor bucket = Ops.relu(Ops.sub(Ops.ceil(Ops.mul(p, (float) (numThresholds - 1))), 1f));   // whole numbers
        Tensor isPos = Ops.cast(Ops.notEqual(t, 0f), p.dtype());
        Tensor posW = Ops.mul(isPos, w);
        // per element: its bucket, its weight as a positive and as a negative ([3, M] flattened)
        return Ops.reshape(Ops.stack(List.of(bucket, posW, Ops.sub(w, posW)), 0), -1);
    }

    /**
     * The two weighted histograms [positives over buckets, negatives over buckets] of the batch's elements, one pair
     * per label under multiLabel.
     */
    @Override
    public double[] hostStatistics(double[] fetched) {
        int m = fetched.length / 3, n = numThresholds;
        double[] h = new double[2 * n * labels];
        for (int i = 0; i < m; i++) {
            int b = (int) fetched[i], at = 2 * n * (i % labels);
            h[at + b] += fetched[m + i];
            h[at + n + b] += fetched[2 * m + i];
        }
        return h;
    }

    @Override
    public double[] result(double[] totals) {
        int per = 2 * numThresholds, count = totals.length / per;
        double sum = 0;
        for (int label = 0; label < count; label++) {
            sum += curveArea(java.util.Arrays.copyOfRange(totals, label * per, label * per + per));
        }
        return new double[] {sum / count};
    }

    /** The area under one curve from its two histograms. */
    private double curveArea(double[] totals) {
        int n = numThresholds;
        double[] tp = new double[n], fp = new double[n], fn = new double[n], tn = new double[n];
        double sumTp = 0, sumFp = 0, allPos = 0, allNeg = 0;
        for (int i = 0; i < n; i++) {
            allPos += totals[i];
            allNeg += totals[n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            sumTp += totals[i];
            sumFp += totals[n + i];
            tp[i] = sumTp;
            fp[i] = sumFp;
            fn[i] = allPos - sumTp;
            tn[i] = allNeg - sumFp;
        }
        return curve == Curve.PR ? interpolatedPrAuc(tp, fp, fn) : rocAuc(tp, fp, fn, tn);
    }

    private static double rocAuc(double[] tp, double[] fp, double[] fn, double[] tn) {
        int n = tp.length;
        double auc = 0;
        for (int i = 0; i < n - 1; i++) {
            double x0 = ConfusionCounts.divideNoNan(fp[i], fp[i] + tn[i]);
            double x1 = ConfusionCounts.divideNoNan(fp[i + 1], fp[i + 1] + tn[i + 1]);
            double y0 = ConfusionCounts.divideNoNan(tp[i], tp[i] + fn[i]);
            double y1 = ConfusionCounts.divideNoNan(tp[i + 1], tp[i + 1] + fn[i + 1]);
            auc += (x0 - x1) * (y0 + y1) / 2;
        }
        return auc;
    }

    /** Davis and Goadrich's interpolation between the curve's points, written as Keras' interpolate_pr_auc. */
    private static double interpolatedPrAuc(double[] tp, double[] fp, double[] fn) {
        int n = tp.length;
        double auc = 0;
        for (int i = 0; i < n - 1; i++) {
            double dtp = tp[i] - tp[i + 1];
            double p0 = tp[i] + fp[i], p1 = tp[i + 1] + fp[i + 1];
            double dp = p0 - p1;
            double slope = ConfusionCounts.divideNoNan(dtp, Math.max(dp, 0));
            double intercept = tp[i + 1] - slope * p1;
            double ratio = p0 > 0 && p1 > 0 ? ConfusionCounts.divideNoNan(p0, Math.max(p1, 0)) : 1;
            auc += ConfusionCounts.divideNoNan(slope * (dtp + intercept * Math.log(ratio)),
                    Math.max(tp[i + 1] + fn[i + 1], 0));
        }
        return auc;
    }
}
