package org.nabla.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.nn.callbacks.Callback;

/** Per-epoch metrics recorded by {@link Model#fit}: {@code history.get("loss")} lists one value per epoch. */
public final class History implements Callback {
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();
    private final List<Long> samples = new ArrayList<>();
    private final List<Double> seconds = new ArrayList<>();

    /** An empty history; {@code fit} fills it. */
    public History() {}

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /** The values of one metric, one per epoch; an empty list for an unknown name. */
    public List<Double> get(String metric) { return List.copyOf(values.getOrDefault(metric, List.of())); }

    /** The metric of the last epoch. */
    public double last(String metric) {
        List<Double> v = values.get(metric);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("no metric '" + metric + "' in history " + values.keySet());
        }
        return v.get(v.size() - 1);
    }

    void recordTiming(long epochSamples, double epochSeconds) {
        samples.add(epochSamples);
        seconds.add(epochSeconds);
    }

    /** Training examples seen per epoch. */
    public List<Long> samplesPerEpoch() { return List.copyOf(samples); }

    /** Wall-clock seconds of each epoch's training batches (without validation). */
    public List<Double> secondsPerEpoch() { return List.copyOf(seconds); }

    /** Training throughput over all epochs: examples / seconds of training batches (NaN before any epoch). */
    public double trainSamplesPerSecond() {
        double secs = seconds.stream().mapToDouble(Double::doubleValue).sum();
        long n = samples.stream().mapToLong(Long::longValue).sum();
        return secs > 0 ? n / secs : Double.NaN;
    }

    /** The epochs run (0-based). */
    public List<Integer> epochs() { return List.copyOf(epochs); }

    /** Every metric's values per epoch, in the order first logged (a copy). */
    public Map<String, List<Double>> asMap() {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    @Override
    public String toString() { return "History" + values; }
}
