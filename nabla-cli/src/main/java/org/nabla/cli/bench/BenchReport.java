package org.nabla.cli.bench;

import java.util.List;
import java.util.Locale;
import org.nabla.io.Json;

/** Formats benchmark rows as an aligned text table or as JSON. */
public final class BenchReport {
    private BenchReport() {}

    /** One line per row: benchmark, Nabla, reference, ratio (Nabla / reference), unit, notes. */
    public static String table(List<BenchResult> rows, String machine) {
        StringBuilder sb = new StringBuilder();
        sb.append(machine).append('\n');
        String fmt = "%-52s %12s %12s %8s  %-8s %s%n";
        sb.append(String.format(Locale.ROOT, fmt, "benchmark", "nabla", "reference", "ratio", "unit", "notes"));
        for (BenchResult r : rows) {
            String ref = Double.isNaN(r.reference()) ? "n/a" : num(r.reference()) + " " + r.referenceName();
            String ratio = Double.isNaN(r.ratio()) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.ratio());
            String unit = r.unit() + (r.higherIsBetter() ? "" : " (lower is better)");
            sb.append(String.format(Locale.ROOT, fmt, r.description(), Double.isNaN(r.nabla()) ? "n/a" : num(r.nabla()),
                    ref, ratio, unit, r.note()).stripTrailing()).append('\n');
        }
        sb.append("ratio = nabla / reference (reference: numpy for sgemm and add, torch for conv2d and dispatch)");
        sb.append(rows.stream().anyMatch(r -> !Double.isNaN(r.roundsRatio())) ? "; over rounds, the median ratio\n"
                : "\n");
        return sb.toString();
    }

    /** {"machine": ..., "results": {"sgemm_256": {...}, ...}}; missing values are null. */
    public static String json(List<BenchResult> rows, String machine) {
        StringBuilder sb = new StringBuilder("{\n  \"machine\": ").append(Json.quote(machine)).append(",\n  \"results\": {");
        for (int i = 0; i < rows.size(); i++) {
            BenchResult r = rows.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    ").append(Json.quote(r.key())).append(": {")
                    .append("\"description\": ").append(Json.quote(r.description()))
                    .append(", \"unit\": ").append(Json.quote(r.unit()))
                    .append(", \"higherIsBetter\": ").append(r.higherIsBetter())
                    .append(", \"nabla\": ").append(jsonNum(r.nabla()))
                    .append(", \"reference\": ").append(jsonNum(r.reference()))
                    .append(", \"referenceName\": ").append(Json.quote(r.referenceName()))
                    .append(", \"ratio\": ").append(jsonNum(r.ratio()))
                    .append(", \"note\": ").append(Json.quote(r.note())).append('}');
        }
        return sb.append("\n  }\n}\n").toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 10 ? "%.2f" : "%.3f", v);
    }

    private static String jsonNum(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }
}
