package org.nabla.nn.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras-style progress: on a terminal, one line per epoch redrawn in place
 * ({@code 120/1875 [=>..........] - ETA: 12s - loss: 0.4312 - accuracy: 0.8750}); when the output is not a terminal
 * ({@code System.console()} is null or not a terminal) or in {@link Mode#EPOCH_LINES}, one plain line at each epoch
 * end (with the
 * epoch time and validation metrics). {@link org.nabla.nn.Model#fit} adds one unless {@code verbose(0)}.
 */
public final class ProgressBar implements Callback {
    /** AUTO: a live bar on a terminal, plain epoch lines otherwise. */
    public enum Mode {
        /** A live bar on a terminal, plain epoch lines otherwise. */
        AUTO,
        /** Always a live bar. */
        BAR,
        /** One plain line per epoch end. */
        EPOCH_LINES
    }

    private final PrintStream out;
    private final boolean live;
    private int epochs = -1;
    private int steps = -1;
    private int seenSteps;
    private long epochStart;
    private long lastDraw;

    /** A progress bar on standard output. */
    public ProgressBar(Mode mode) { this(mode, System.out); }

    /** A progress bar written to {@code out}. */
    public ProgressBar(Mode mode, PrintStream out) {
        this.out = out;
        this.live = mode == Mode.BAR || (mode == Mode.AUTO && isTerminal());
    }

    /** Whether standard output is a terminal (Java 22+ returns a Console even when redirected; ask it). */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Epoch count and steps per epoch (-1 when unknown: learned from the first epoch). */
    public void setParams(int epochs, int stepsPerEpoch) {
        this.epochs = epochs;
        this.steps = stepsPerEpoch;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        epochStart = System.nanoTime();
        lastDraw = 0;
        seenSteps = 0;
        out.println("Epoch " + (epoch + 1) + "/" + (epochs < 0 ? "?" : epochs));
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        seenSteps = batch + 1;
        if (!live) return;
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && (steps < 0 || seenSteps < steps)) return;
        lastDraw = now;
        out.print("\r" + barLine(seenSteps, steps, (now - epochStart) / 1e9, logs) + "\u001b[K");
        out.flush();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        double secs = (System.nanoTime() - epochStart) / 1e9;
        if (steps < 0) steps = seenSteps;
        String line = live ? barLine(seenSteps, steps, secs, Map.of()) : seenSteps + "/" + steps;
        StringBuilder b = new StringBuilder(line);
        b.append(String.format(Locale.ROOT, " - %.0fs %.0fms/step", secs, 1000 * secs / Math.max(1, seenSteps)));
        appendLogs(b, logs);
        out.print((live ? "\r" : "") + b + (live ? "\u001b[K" : "") + "\n");
        out.flush();
    }

    /** The bar text for {@code done} of {@code total} steps after {@code secs} seconds. */
    public static String barLine(int done, int total, double secs, Map<String, Double> logs) {
        StringBuilder b = new StringBuilder();
        if (total > 0) {
            int width = 30;
            int filled = (int) ((long) width * done / total);
            String digits = Integer.toString(total);
            b.append(String.format(Locale.ROOT, "%" + digits.length() + "d/%s [", done, digits));
            for (int i = 0; i < width; i++) {
                b.append(i < filled - 1 || (i == filled - 1 && done == total) ? '=' : i == filled - 1 ? '>' : '.');
            }
            b.append(']');
            if (done < total) {
                double eta = secs / Math.max(1, done) * (total - done);
                b.append(" - ETA: ").append(eta >= 60
                        ? String.format(Locale.ROOT, "%d:%02d", (int) eta / 60, (int) eta % 60)
                        : String.format(Locale.ROOT, "%ds", (int) Math.ceil(eta)));
            }
        } else {
            b.append(done).append("/Unknown");
        }
        appendLogs(b, logs);
        return b.toString();
    }

    private static void appendLogs(StringBuilder b, Map<String, Double> logs) {
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            b.append(" - ").append(e.getKey()).append(": ").append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
    }
}
