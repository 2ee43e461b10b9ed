package org.nabla.nn.metrics;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.losses.TargetShapes;

/**
 * Weighted confusion counts at thresholds, as Keras' {@code update_confusion_matrix_variables} (multi_label off):
 * every element of the predictions is one decision, positive when above the threshold; a target is positive when
 * non-zero. Shared by {@link Precision} and {@link Recall}: the step flattens targets, predictions and weights, the
 * host counts (a loop costs less than the dozen small ops of counting in the graph; see docs/benchmarks.md).
 */
final class ConfusionCounts {
    /** Keras' stand-in for minus infinity: predictions outside the top k are set to it. */
    static final float NEG_INF = -1e10f;

    private ConfusionCounts() {}

    /** {yTrue, yPred} after top-k filtering and class selection, each flattened, and the weights flattened alike. */
    static Tensor[] flatten(String what, Tensor yTrue, Tensor yPred, Tensor sampleWeight, int topK, int classId) {
        Tensor[] a = TargetShapes.align(what, yTrue, yPred);
        Tensor p = a[1], t = a[0].dtype() == p.dtype() ? a[0] : Ops.cast(a[0], p.dtype());
        Tensor w = sampleWeight == null ? Ops.onesLike(p) : broadcastWeights(sampleWeight, p);
        if (topK > 0) p = topKOnly(p, topK);
        if (classId >= 0) {
            if (p.shape().rank() < 2) {
                throw new IllegalArgumentException(what + ": classId needs predictions [N, C], got " + p.shape());
            }
            int c = p.shape().dim(-1);
            if (classId >= c) throw new IllegalArgumentException(what + ": classId " + classId + " >= " + c + " classes");
            Tensor idx = Tensors.scalar(classId);
            p = Ops.gather(p, idx, -1);
            t = Ops.gather(t, idx, -1);
            w = Ops.gather(w, idx, -1);
        }
        return new Tensor[] {Ops.reshape(t, -1), Ops.reshape(p, -1), Ops.reshape(w, -1)};
    }

    /** Per-example weights [N] (or [N, 1]) spread over every element of {@code p}. */
    static Tensor broadcastWeights(Tensor sampleWeight, Tensor p) {
        Tensor w = sampleWeight.dtype() == p.dtype() ? sampleWeight : Ops.cast(sampleWeight, p.dtype());
        if (w.shape().rank() == p.shape().rank() + 1 && w.shape().dim(-1) == 1) w = Ops.squeeze(w, -1);
        while (w.shape().rank() < p.shape().rank()) w = Ops.expandDims(w, -1);
        return Ops.mul(w, Ops.onesLike(p));
    }

    /** Keras' {@code _filter_top_k}: values outside each row's top k become {@link #NEG_INF}. */
    static Tensor topKOnly(Tensor p, int k) {
        Tensor idx = Ops.topK(p, k)[1];
        Tensor mask = Ops.sum(Ops.oneHot(idx, p.shape().dim(-1), 1, 0, -1, p.dtype()), -2);
        return Ops.add(Ops.mul(p, mask), Ops.mul(Ops.sub(1f, mask), NEG_INF));
    }

    /**
     * The weighted counts at each threshold, [T, 4] flattened: {tp, fp, fn, tn} per threshold, from the flattened
     * {targets, predictions, weights} ([3, M] as one array); a prediction is positive when {@code p > threshold}.
     */
    static double[] counts(double[] tpw, float[] thresholds) {
        int m = tpw.length / 3;
        double[] c = new double[4 * thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            float thr = thresholds[k];
            for (int i = 0; i < m; i++) {
                boolean predicted = tpw[m + i] > thr, positive = tpw[i] != 0;
                c[4 * k + (predicted ? (positive ? 0 : 1) : (positive ? 2 : 3))] += tpw[2 * m + i];
            }
        }
        return c;
    }

    /** {@code a / b}, 0 where b is 0 (Keras' divide_no_nan). */
    static double divideNoNan(double a, double b) { return b == 0 ? 0 : a / b; }
}
