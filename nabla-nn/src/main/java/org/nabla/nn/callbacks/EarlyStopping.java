package org.nabla.nn.callbacks;

import java.util.List;
import java.util.Map;
import org.nabla.Tensor;
import org.nabla.nn.Model;

/**
 * Stops training when {@code monitor} (default "val_loss") has not improved by more than {@code minDelta} for
 * {@code patience} epochs (Keras: it stops at the patience-th epoch in a row without improvement). Mode: "min",
 * "max", or "auto" (max for accuracies, AUC, precision, recall, F-scores and IoU, min otherwise). With
 * {@code restoreBestWeights} the model gets the weights of the best epoch back when it stops (or at the end).
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private double minDelta;
    private boolean restoreBestWeights;
    private final boolean maximize;
    private Model model;
    private double best;
    private int wait;
    private int bestEpoch = -1;
    private int stoppedEpoch = -1;
    private List<Tensor> bestWeights;

    /** Stops after {@code patience} epochs without improvement of {@code monitor} ("val_loss"...), mode "auto". */
    public EarlyStopping(String monitor, int patience) { this(monitor, patience, "auto"); }

    /**
     * Like {@link #EarlyStopping(String, int)} with mode "min", "max" or "auto"; throws for another mode or a negative
     * patience.
     */
    public EarlyStopping(String monitor, int patience, String mode) {
        if (patience < 0) throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.patience = patience;
        this.maximize = switch (mode) {
            case "min" -> false;
            case "max" -> true;
            case "auto" -> MonitorDirection.maximizes(monitor);
            default -> throw new IllegalArgumentException("EarlyStopping: mode must be min, max or auto, got " + mode);
        };
    }

    /** Smallest change that counts as an improvement (default 0). */
    public EarlyStopping minDelta(double d) { minDelta = Math.abs(d); return this; }

    /** Whether the model gets the best epoch's weights back when training ends (default false). */
    public EarlyStopping restoreBestWeights(boolean r) { restoreBestWeights = r; return this; }

    @Override public void setModel(Model m) { model = m; }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        bestEpoch = -1;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitor + "', which is not among the metrics "
                    + logs.keySet());
        }
        boolean better = maximize ? v > best + minDelta : v < best - minDelta;
        if (better) {
            best = v;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) bestWeights = model.getWeights();
            return;
        }
        wait++;
        if (wait >= patience) {
            stoppedEpoch = epoch;
            model.stopTraining();
            if (restoreBestWeights && bestWeights != null) model.setWeights(bestWeights);
        }
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (restoreBestWeights && bestWeights != null && stoppedEpoch < 0) model.setWeights(bestWeights);
    }

    /** The epoch at which training was stopped (-1 if it ran to the end). */
    public int stoppedEpoch() { return stoppedEpoch; }

    /** The epoch (0-based) with the best value, -1 before any. */
    public int bestEpoch() { return bestEpoch; }

    /** The best value of the monitored metric so far. */
    public double best() { return best; }
}
