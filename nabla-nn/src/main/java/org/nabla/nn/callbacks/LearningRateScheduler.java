package org.nabla.nn.callbacks;

import java.util.Map;
import org.nabla.nn.Model;

/** Sets the optimizer's learning rate at each epoch start to {@code schedule(epoch, currentRate)} (epoch 0-based). */
public final class LearningRateScheduler implements Callback {
    /** The new rate for an epoch. */
    @FunctionalInterface
    public interface Schedule {
        /** The rate for {@code epoch} (0-based), given the {@code current} one. */
        double rate(int epoch, double current);
    }

    private final Schedule schedule;
    private Model model;

    /** Sets the rate from {@code schedule} at every epoch start. */
    public LearningRateScheduler(Schedule schedule) { this.schedule = schedule; }

    @Override public void setModel(Model m) { model = m; }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        model.optimizer().setLearningRate(schedule.rate(epoch, model.optimizer().learningRate()));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", model.optimizer().learningRate());
    }
}
