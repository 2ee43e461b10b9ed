package org.nabla.spark;

import java.util.List;
import java.util.Map;
import org.nabla.nn.Model;

/**
 * The outcome of {@link SparkTrainer#fit}: the trained model on the driver (built by the model factory, holding the
 * chief's final weights), the chief's per-epoch metrics of the attempt that finished, and where that attempt began.
 *
 * @param model        the trained model, compiled as the factory compiles it (ready for evaluate, predict, save)
 * @param epochs       the metrics ("loss", "accuracy"...) of each epoch the finishing attempt trained; an epoch's
 *                     values are the chief's (its own rows), as {@code Model.fit} reports for a replica
 * @param initialEpoch the epoch the finishing attempt resumed at from a checkpoint (0: it trained from the start)
 * @param stageAttempt Spark's attempt number of the barrier stage that finished (0: no retry was needed)
 */
public record SparkTrainingResult(Model model, List<Map<String, Double>> epochs, int initialEpoch, int stageAttempt) {
    public SparkTrainingResult {
        if (model == null) throw new IllegalArgumentException("SparkTrainingResult: model is null");
        epochs = List.copyOf(epochs);
    }

    /** A metric of the last epoch trained; NaN when the finishing attempt trained no epoch. */
    public double last(String metric) {
        if (epochs.isEmpty()) return Double.NaN;
        Double v = epochs.getLast().get(metric);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + metric + "'; the epochs report " + epochs.getLast()
                    .keySet());
        }
        return v;
    }
}
