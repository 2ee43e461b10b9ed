package org.nabla.nn.metrics;

import java.util.Locale;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.losses.TargetShapes;

/**
 * The F-beta score of [N, C] predictions against [N, C] targets, as Keras' {@code FBetaScore} and {@code F1Score}:
 * a prediction is positive above {@code threshold}, or (threshold NaN) where it is its row's maximum; per class
 * {@code (1 + b²) P R / (b² P + R)}, then averaged by {@link Average}. The statistics are the per-class weighted true
 * positives, false positives, false negatives and target sums.
 */
public final class FBetaScore extends Metric {
    /** How per-class scores combine, as Keras' {@code average}. */
    public enum Average {
        /** One score per class. */
        NONE,
        /** One score from the counts of all classes together. */
        MICRO,
        /** The mean of the per-class scores. */
        MACRO,
        /** The per-class scores weighted by each class's (weighted) number of positive targets. */
        WEIGHTED;

        /** By Keras name: none (or null), micro, macro, weighted. */
        public static Average of(String name) {
            return name == null ? NONE : switch (name.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "micro" -> MICRO;
                case "macro" -> MACRO;
                case "weighted" -> WEIGHTED;
                default -> throw new IllegalArgumentException("unknown average '" + name + "'; known: none, micro, "
                        + "macro, weighted");
            };
        }
    }

    private static final double EPSILON = 1e-7;   // Keras' backend epsilon, in the same places
    private final String name;
    private final Average average;
    private final double beta;
    private final double threshold;

    /**
     * The F-beta score ({@code beta} positive); {@code threshold} in (0, 1], or NaN for each row's maximum.
     */
    public FBetaScore(Average average, double beta, double threshold) {
        this("fbeta_score", average, beta, threshold);
    }

    private FBetaScore(String name, Average average, double beta, double threshold) {
        if (average == null) throw new IllegalArgumentException(name + ": average is null (use Average.NONE)");
        if (!(beta > 0)) throw new IllegalArgumentException(name + ": beta must be positive, got " + beta);
        if (!Double.isNaN(threshold) && !(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException(name + ": threshold must be in (0, 1] (or NaN), got " + threshold);
        }
        this.name = name;
        this.average = average;
        this.beta = beta;
        this.threshold = threshold;
    }

    /** Keras' {@code F1Score}: beta 1. */
    public static FBetaScore f1(Average average, double threshold) {
        return new FBetaScore("f1_score", average, 1, threshold);
    }

    @Override public String name() { return name; }

    @Override
    public Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor[] a = TargetShapes.align(name, yTrue, yPred);
        Tensor p = a[1], t = a[0].dtype() == p.dtype() ? a[0] : Ops.cast(a[0], p.dtype());
        if (p.shape().rank() != 2) {
            throw new IllegalArgumentException(name + ": expects predictions [N, C], got " + yPred.shape());
        }
        Tensor predicted = Double.isNaN(threshold)
                ? Ops.logicalAnd(Ops.greaterEqual(p, Ops.max(p, true, -1)), Ops.greater(Ops.abs(p), 1e-9f))
                : Ops.greater(p, (float) threshold);
        Tensor pr = Ops.cast(predicted, p.dtype());
        Tensor w = sampleWeight == null ? null : ConfusionCounts.broadcastWeights(sampleWeight, p);
        Tensor tp = sum(Ops.mul(pr, t), w), fp = sum(Ops.mul(pr, Ops.sub(1f, t)), w);
        Tensor fn = sum(Ops.mul(Ops.sub(1f, pr), t), w), support = sum(t, w);
        return Ops.concat(0, tp, fp, fn, support);
    }

    private static Tensor sum(Tensor v, Tensor w) { return Ops.sum(w == null ? v : Ops.mul(v, w), 0); }

    @Override
    public double[] result(double[] totals) {
        int c = totals.length / 4;
        if (average == Average.MICRO) {
            double[] s = new double[4];
            for (int k = 0; k < 4; k++) for (int i = 0; i < c; i++) s[k] += totals[k * c + i];
            return new double[] {score(s[0], s[1], s[2])};
        }
        double[] f = new double[c];
        double supportSum = 0;
        for (int i = 0; i < c; i++) {
            f[i] = score(totals[i], totals[c + i], totals[2 * c + i]);
            supportSum += totals[3 * c + i];
        }
        if (average == Average.NONE) return f;
        double r = 0;
        for (int i = 0; i < c; i++) r += average == Average.MACRO ? f[i] / c : f[i] * totals[3 * c + i] / (supportSum + EPSILON);
        return new double[] {r};
    }

    private double score(double tp, double fp, double fn) {
        double precision = tp / (tp + fp + EPSILON), recall = tp / (tp + fn + EPSILON);
        double b2 = beta * beta;
        return precision * recall / (b2 * precision + recall + EPSILON) * (1 + b2);
    }
}
