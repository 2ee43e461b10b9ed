package org.nabla.nn.callbacks;

import java.util.Map;
import org.nabla.nn.Model;

/**
 * Multiplies the learning rate by {@code factor} when {@code monitor} has not improved by more than {@code minDelta}
 * for {@code patience} epochs (Keras' {@code ReduceLROnPlateau}): then waits {@code cooldown} epochs before counting
 * again, and never goes below {@code minLr}. Mode "auto" maximizes accuracies, AUC, precision, recall, F-scores and
 * IoU. Not for an optimizer with a schedule (the schedule sets the rate at every step). Each epoch's logs get
 * {@code learning_rate}.
 */
public final class ReduceLROnPlateau implements Callback {
    private final String monitor;
    private final double factor;
    private final int patience;
    private final boolean maximize;
    private double minDelta = 1e-4;
    private int cooldown;
    private double minLr;
    private Model model;
    private double best;
    private int wait;
    private int cooldownLeft;

    /** Keras' defaults: monitor val_loss, factor 0.1, patience 10. */
    public ReduceLROnPlateau() { this("val_loss", 0.1, 10, "auto"); }

    /** Watches {@code monitor} ("val_loss"...), mode "min", "max" or "auto"; factor in (0, 1), patience >= 0. */
    public ReduceLROnPlateau(String monitor, double factor, int patience, String mode) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
        }
        if (patience < 0) throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
        this.maximize = switch (mode) {
            case "min" -> false;
            case "max" -> true;
            case "auto" -> MonitorDirection.maximizes(monitor);
            default -> throw new IllegalArgumentException("ReduceLROnPlateau: mode must be min, max or auto, got "
                    + mode);
        };
        reset();
    }

    /** The smallest change that counts as an improvement (default 1e-4). */
    public ReduceLROnPlateau minDelta(double d) { minDelta = d; return this; }

    /** Epochs to wait after a reduction before counting again (default 0). */
    public ReduceLROnPlateau cooldown(int epochs) { cooldown = epochs; return this; }

    /** The floor of the learning rate (default 0). */
    public ReduceLROnPlateau minLr(double lr) { minLr = lr; return this; }

    private void reset() {
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        cooldownLeft = 0;
    }

    @Override
    public void setModel(Model model) { this.model = model; }

    @Override
    public void onTrainBegin(Map<String, Double> logs) { reset(); }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        double lr = model.optimizer().learningRate();
        logs.put("learning_rate", lr);
        Double current = logs.get(monitor);
        if (current == null) {
            throw new IllegalStateException("ReduceLROnPlateau: the epoch logs have no '" + monitor + "' (they have "
                    + logs.keySet() + "); validation metrics need validation data");
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            wait = 0;
        }
        boolean better = maximize ? current > best + minDelta : current < best - minDelta;
        if (better) {
            best = current;
            wait = 0;
        } else if (cooldownLeft == 0 && ++wait >= patience) {
            if (lr > minLr) {
                model.optimizer().setLearningRate(Math.max(lr * factor, minLr));
                cooldownLeft = cooldown;
                wait = 0;
            }
        }
    }
}
