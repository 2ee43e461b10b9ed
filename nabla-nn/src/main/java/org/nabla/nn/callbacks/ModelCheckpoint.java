package org.nabla.nn.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.nabla.nn.Model;

/**
 * Saves the model after each epoch through a {@link ModelSaver} (default {@link NpyWeightsSaver}): with
 * {@code saveBestOnly} only when {@code monitor} improved (mode "auto": max for accuracies, AUC, precision, recall,
 * F-scores and IoU), otherwise every epoch (the last one wins). The path may contain {@code {epoch}} (1-based), replaced per save.
 */
public final class ModelCheckpoint implements Callback {
    private final Path path;
    private final String monitor;
    private final boolean saveBestOnly;
    private final ModelSaver saver;
    private final boolean maximize;
    private Model model;
    private double best;
    private int saves;

    /** Saves every epoch to {@code path}. */
    public ModelCheckpoint(Path path) { this(path, "val_loss", false, new NpyWeightsSaver()); }

    /** Saves to {@code path} every epoch, or with {@code saveBestOnly} only when {@code monitor} improves. */
    public ModelCheckpoint(Path path, String monitor, boolean saveBestOnly) {
        this(path, monitor, saveBestOnly, new NpyWeightsSaver());
    }

    /** Like {@link #ModelCheckpoint(Path, String, boolean)}, writing through {@code saver}. */
    public ModelCheckpoint(Path path, String monitor, boolean saveBestOnly, ModelSaver saver) {
        this.path = path;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
        this.saver = saver;
        this.maximize = MonitorDirection.maximizes(monitor);
    }

    @Override public void setModel(Model m) { model = m; }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            Double v = logs.get(monitor);
            if (v == null) {
                throw new IllegalStateException("ModelCheckpoint monitors '" + monitor + "', which is not among the "
                        + "metrics " + logs.keySet());
            }
            if (!(maximize ? v > best : v < best)) return;
            best = v;
        }
        Path p = Path.of(path.toString().replace("{epoch}", Integer.toString(epoch + 1)));
        try {
            saver.save(model, p);
            saves++;
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot save to " + p + ": " + e.getMessage(), e);
        }
    }

    /** How many times it saved. */
    public int saves() { return saves; }
}
