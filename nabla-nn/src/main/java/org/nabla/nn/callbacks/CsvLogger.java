package org.nabla.nn.callbacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the epoch logs as CSV ({@code epoch,loss,accuracy,val_loss,...}, epoch 0-based like Keras). The whole file
 * is rewritten atomically (temporary file, rename) after every epoch, so it is never seen half-written.
 */
public final class CsvLogger implements Callback {
    private final Path file;
    private final List<String> rows = new ArrayList<>();
    private List<String> keys;

    /** Logs to {@code file} (replaced at the first epoch end). */
    public CsvLogger(Path file) { this.file = file; }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        rows.clear();
        keys = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (keys == null) keys = new ArrayList<>(logs.keySet());
        StringBuilder b = new StringBuilder().append(epoch);
        for (String k : keys) {
            Double v = logs.get(k);
            b.append(',').append(v == null ? "" : format(v));
        }
        rows.add(b.toString());
        StringBuilder all = new StringBuilder("epoch");
        for (String k : keys) all.append(',').append(k);
        all.append('\n');
        for (String r : rows) all.append(r).append('\n');
        try {
            org.nabla.io.AtomicFiles.write(file, all.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("CsvLogger: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String format(double v) { return String.format(Locale.ROOT, "%.6g", v); }
}
