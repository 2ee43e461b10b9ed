package org.nabla.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.nn.metrics.Metric;

/**
 * The host side of a model's metrics over one epoch (or one evaluation): the loss as the mean of batch losses
 * weighted by batch size (Keras' loss tracker), and each metric's statistics summed in float64. The step's
 * outputs are {loss, statistics of each (output, metric) in {@link #metrics} order}.
 */
final class MetricSums {
    private final List<String> names;
    private final List<Metric> metrics;
    private final double[][] totals;
    private double lossSum;
    private long seen;

    /** {@code names.get(i)} is the log name of {@code metrics.get(i)}. */
    MetricSums(List<String> names, List<Metric> metrics) {
        this.names = names;
        this.metrics = metrics;
        this.totals = new double[metrics.size()][];
    }

    /** Adds a step's results ({loss}, then each metric's statistics in step order) for a batch of {@code examples}. */
    void add(double[][] step, long examples) {
        lossSum += step[0][0] * examples;
        seen += examples;
        for (int i = 0; i < totals.length; i++) {
            totals[i] = Metric.add(totals[i], metrics.get(i).hostStatistics(step[i + 1]));
        }
    }

    /** The number of examples added. */
    long seen() { return seen; }

    /** {loss, then each metric: its name, or name_0, name_1... when it has several values}. */
    Map<String, Double> logs() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", seen == 0 ? Double.NaN : lossSum / seen);
        for (int i = 0; i < totals.length; i++) {
            if (totals[i] == null) continue;
            double[] r = metrics.get(i).result(totals[i]);
            if (r.length == 1) out.put(names.get(i), r[0]);
            else for (int k = 0; k < r.length; k++) out.put(names.get(i) + "_" + k, r[k]);
        }
        return out;
    }
}
