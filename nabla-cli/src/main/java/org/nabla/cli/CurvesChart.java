package org.nabla.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.nabla.charts.TrainingCharts;

/**
 * A run's curves.png, redrawn from the history at most once per {@link #INTERVAL_NANOS} during training and always
 * after the last epoch. Drawing costs ~0.4 s the first time in a JVM (Java2D and fonts load) and 50-80 ms after that
 * (the drawing code runs uncompiled, and compiling it takes the JIT's core from the training step): a 5-epoch mlp run
 * paid ~0.6 s of its ~6 s for charts nobody looked at between epochs. When nothing reads the file between epochs
 * ({@code inBackground}: no TensorBoard callback showing it), the last epoch's chart is drawn on its own thread while
 * the run saves its model, and {@link #finish} waits for it.
 */
final class CurvesChart {
    /** Long runs still get a fresh chart this often, so a killed run leaves a recent one. */
    static final long INTERVAL_NANOS = 30_000_000_000L;

    private final Path png;
    private final boolean inBackground;
    private final LongSupplier clock;
    private long lastDrawn;
    private int epochsDrawn;
    private CompletableFuture<Void> drawing;
    private int epochsDrawing;

    CurvesChart(Path png, boolean inBackground) { this(png, inBackground, System::nanoTime); }

    CurvesChart(Path png, boolean inBackground, LongSupplier clock) {
        this.png = png;
        this.inBackground = inBackground;
        this.clock = clock;
        this.lastDrawn = clock.getAsLong();   // training starts now: its first chart is due after an interval
    }

    /** After each epoch: draws {@code history} ({@code epochs} epochs so far) when it is due or {@code last}. */
    void epochEnded(Map<String, double[]> history, int epochs, boolean last) throws IOException {
        if (last && inBackground) {
            epochsDrawing = epochs;
            drawing = CompletableFuture.runAsync(() -> {
                try {
                    TrainingCharts.writePng(png, history);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, r -> Thread.ofPlatform().daemon().name("nabla-curves").start(r));
        } else if (last || clock.getAsLong() - lastDrawn >= INTERVAL_NANOS) {
            draw(history, epochs);
        }
    }

    /**
     * At the end (also after an early stop): waits for a drawing in progress, then draws {@code history} unless its
     * last epoch is drawn already.
     */
    void finish(Map<String, double[]> history, int epochs) throws IOException {
        if (drawing != null) {
            try {
                drawing.get();
                epochsDrawn = epochsDrawing;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while drawing " + png, e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof UncheckedIOException u ? u.getCause()
                        : new IOException("cannot draw " + png + ": " + e.getCause(), e.getCause());
            } finally {
                drawing = null;
            }
        }
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
