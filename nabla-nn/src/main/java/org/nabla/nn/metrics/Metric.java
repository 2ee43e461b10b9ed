package org.nabla.nn.metrics;

import java.util.Arrays;
import org.nabla.Tensor;

/**
 * A stateful metric, as Keras': each batch contributes additive statistics ({@link #statistics}: weighted sums and
 * counts, a confusion matrix...), the state is their running sum, and the value is a function of that sum
 * ({@link #result(double[])}). So an epoch's value is exact (true positives over the epoch, not a mean of batch
 * precisions).
 *
 * <p>The statistics are computed by ops (inside the traced training step); their sums are kept on the host in
 * float64. {@code fit} and {@code evaluate} keep their own sums per output and phase, so one metric object may serve
 * several outputs and validation; {@link #updateState}, {@link #result()} and {@link #resetState()} are Keras'
 * methods for using a metric by itself.
 */
public abstract class Metric {
    private double[] totals;

    /** A metric with no batches in its own state yet. */
    protected Metric() {}

    /** The name in logs and history ("accuracy"; "val_" is prefixed for validation). */
    public abstract String name();

    /**
     * This batch's statistics as one float 1-D tensor ({@code sampleWeight}: one weight per example, [N] or [N, 1],
     * or null): after {@link #hostStatistics}, numbers that add up over batches.
     */
    public abstract Tensor statistics(Tensor yTrue, Tensor yPred, Tensor sampleWeight);

    /**
     * The additive statistics of a batch from the values of {@link #statistics} fetched to the host: the values
     * themselves by default. A metric whose sums are cheaper in Java than in ops (AUC's histogram over threshold
     * buckets: there is no scatter-add op) finishes them here.
     */
    public double[] hostStatistics(double[] fetched) { return fetched; }

    /**
     * The metric's value from the sum of the statistics of all batches so far: one number, or several (one per
     * threshold or class: logged as {@code name_0, name_1...}).
     */
    public abstract double[] result(double[] totals);

    /** Adds a batch to this metric's own state (eager tensors). */
    public void updateState(Tensor yTrue, Tensor yPred) { updateState(yTrue, yPred, null); }

    /** Adds a weighted batch to this metric's own state (eager tensors). */
    public void updateState(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        totals = add(totals, hostStatistics(statistics(yTrue, yPred, sampleWeight).toDoubleArray()));
    }

    /** The value over the batches given to {@link #updateState} since the last reset (a single-valued metric). */
    public double result() {
        double[] r = resultValues();
        if (r.length != 1) {
            throw new IllegalStateException(name() + " has " + r.length + " values: use resultValues()");
        }
        return r[0];
    }

    /** Every value over the batches given to {@link #updateState} since the last reset. */
    public double[] resultValues() {
        if (totals == null) throw new IllegalStateException(name() + ": no batch given to updateState yet");
        return result(totals);
    }

    /** The (first) value of one batch by itself, without touching the state (eager tensors). */
    public double batchResult(Tensor yTrue, Tensor yPred) {
        return result(hostStatistics(statistics(yTrue, yPred, null).toDoubleArray()))[0];
    }

    /** Forgets the batches given to {@link #updateState}. */
    public void resetState() { totals = null; }

    /** {@code sum + batch} element-wise (a copy of {@code batch} when {@code sum} is null). */
    public static double[] add(double[] sum, double[] batch) {
        if (sum == null) return Arrays.copyOf(batch, batch.length);
        if (sum.length != batch.length) {
            throw new IllegalStateException("metric statistics changed size from " + sum.length + " to " + batch.length
                    + " (the number of classes changed between batches?)");
        }
        for (int i = 0; i < sum.length; i++) sum[i] += batch[i];
        return sum;
    }
}
