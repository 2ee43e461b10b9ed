package org.nabla.nn.callbacks;

import java.io.PrintStream;
import java.util.Map;
import org.nabla.nn.Model;

/**
 * Stops training at the first batch whose loss is NaN or infinite (Keras' {@code TerminateOnNaN}): the batch's
 * callbacks still run, then {@code fit} ends without another step, so a diverging run stops instead of carrying NaN
 * weights through the remaining epochs. {@link #terminated()} tells the caller, who should not save those weights.
 */
public final class TerminateOnNaN implements Callback {
    private final PrintStream out;
    private Model model;
    private int epoch;
    private int stoppedEpoch = -1;
    private int stoppedBatch = -1;

    /** Reports the stop on standard output, as Keras does. */
    public TerminateOnNaN() { this(System.out); }

    /** Reports the stop on {@code out} (null: silently). */
    public TerminateOnNaN(PrintStream out) { this.out = out; }

    @Override
    public void setModel(Model model) { this.model = model; }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) { this.epoch = epoch; }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss == null || Double.isFinite(loss) || stoppedBatch >= 0) return;
        stoppedEpoch = epoch;
        stoppedBatch = batch;
        if (out != null) out.println("Batch " + batch + ": Invalid loss, terminating training");
        if (model != null) model.stopTraining();
    }

    /** Whether a NaN or infinite loss stopped the training. */
    public boolean terminated() { return stoppedBatch >= 0; }

    /** The epoch (from 0) of the batch that stopped it, or -1. */
    public int stoppedEpoch() { return stoppedEpoch; }

    /** The batch (from 0, within its epoch) that stopped it, or -1. */
    public int stoppedBatch() { return stoppedBatch; }
}
