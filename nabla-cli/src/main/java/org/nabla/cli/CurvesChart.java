package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongSupplier;
import org.nabla.charts.TrainingCharts;

/**
 * A run's curves.png, redrawn from the history at most once per {@link #INTERVAL_NANOS} during training and always
 * after the last epoch. Drawing costs ~0.4 s the first time in a JVM (Java2D and fonts load) and 50-80 ms after that
 * (the drawing code runs uncompiled, and compiling it takes the JIT's core from the training step): a 5-epoch mlp run
 * paid ~0.6 s of its ~6 s for charts nobody looked at between epochs.
 */
final class CurvesChart {
    /** Long runs still get a fresh chart this often, so a killed run leaves a recent one. */
    static final long INTERVAL_NANOS = 30_000_000_000L;

    private final Path png;
    private final LongSupplier clock;
    private long lastDrawn;
    private int epochsDrawn;

    CurvesChart(Path png) { this(png, System::nanoTime); }

    CurvesChart(Path png, LongSupplier clock) {
        this.png = png;
        this.clock = clock;
        this.lastDrawn = clock.getAsLong();   // training starts now: its first chart is due after an interval
    }

    /** After each epoch: draws {@code history} ({@code epochs} epochs so far) when it is due or {@code last}. */
    void epochEnded(Map<String, double[]> history, int epochs, boolean last) throws IOException {
        if (last || clock.getAsLong() - lastDrawn >= INTERVAL_NANOS) draw(history, epochs);
    }

    /** At the end (also after an early stop): draws {@code history} unless its last epoch is drawn already. */
    void finish(Map<String, double[]> history, int epochs) throws IOException {
        if (epochs > epochsDrawn && !history.isEmpty()) draw(history, epochs);
    }

    /** Epochs in the file written last (0: none yet). */
    int epochsDrawn() { return epochsDrawn; }

    private void draw(Map<String, double[]> history, int epochs) throws IOException {
        TrainingCharts.writePng(png, history);
        lastDrawn = clock.getAsLong();
        epochsDrawn = epochs;
    }
}
