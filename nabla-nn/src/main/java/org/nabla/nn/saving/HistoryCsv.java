package org.nabla.nn.saving;

import org.nabla.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.io.TextFiles;

/**
 * A training history as CSV: a header {@code epoch,<metric>,...} (in the map's order, e.g. loss, accuracy, val_loss,
 * val_accuracy) and one row per epoch, numbers in Java's locale-independent notation, an empty cell where a metric has
 * no value for that epoch (NaN or a shorter series). Written atomically.
 */
public final class HistoryCsv {
    private HistoryCsv() {}

    /** Writes {@code history} (metric name -> value per epoch) to {@code file}. */
    public static void write(Path file, Map<String, double[]> history) throws IOException {
        AtomicFiles.write(file, toCsv(history).getBytes(StandardCharsets.UTF_8));
    }

    static String toCsv(Map<String, double[]> history) {
        int epochs = 0;
        StringBuilder sb = new StringBuilder("epoch");
        for (Map.Entry<String, double[]> e : history.entrySet()) {
            String k = e.getKey();
            if (k == null || k.isEmpty() || k.contains(",") || k.contains("\"") || k.contains("\n")) {
                throw new IllegalArgumentException("HistoryCsv: metric name '" + k + "' cannot be a CSV column");
            }
            sb.append(',').append(k);
            epochs = Math.max(epochs, e.getValue().length);
        }
        sb.append('\n');
        for (int i = 0; i < epochs; i++) {
            sb.append(i + 1);
            for (double[] v : history.values()) {
                sb.append(',');
                if (i < v.length && !Double.isNaN(v[i])) sb.append(v[i]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Reads a history written by {@link #write}; empty cells read as NaN. */
    public static Map<String, double[]> read(Path file) throws IOException {
        List<String> lines = TextFiles.readUtf8Lines(file);
        if (lines.isEmpty() || !lines.getFirst().startsWith("epoch")) {
            throw new IOException(file + ": not a training history CSV (no \"epoch,...\" header)");
        }
        String[] names = lines.getFirst().split(",", -1);
        List<double[]> rows = new ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isEmpty()) continue;
            String[] cells = lines.get(r).split(",", -1);
            if (cells.length != names.length) {
                throw new IOException(file + ": line " + (r + 1) + " has " + cells.length + " cells, the header "
                        + names.length);
            }
            double[] row = new double[names.length - 1];
            for (int c = 1; c < cells.length; c++) {
                try {
                    row[c - 1] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": line " + (r + 1) + ": \"" + cells[c] + "\" is not a number");
                }
            }
            rows.add(row);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int c = 1; c < names.length; c++) {
            double[] v = new double[rows.size()];
            for (int r = 0; r < v.length; r++) v[r] = rows.get(r)[c - 1];
            out.put(names[c], v);
        }
        return out;
    }
}
