package org.nabla.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Several rounds of the same benchmarks, Nabla and reference alternating, folded into one row each: the median
 * Nabla value, the median reference value, the median of the rounds' ratios, and every round's ratio in the note.
 * On a shared VM whose speed drifts by tens of percent, ratios from one round (same minutes) and medians over rounds
 * are what can be compared.
 */
public final class BenchRounds {
    private BenchRounds() {}

    /** Rows of equal keys across {@code rounds} (each round lists the same keys in the same order). */
    public static List<BenchResult> combine(List<List<BenchResult>> rounds) {
        if (rounds.isEmpty()) throw new IllegalArgumentException("no rounds to combine");
        if (rounds.size() == 1) return rounds.get(0);
        List<BenchResult> first = rounds.get(0);
        List<BenchResult> out = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            BenchResult row = first.get(i);
            double[] nabla = new double[rounds.size()];
            double[] reference = new double[rounds.size()];
            double[] ratio = new double[rounds.size()];
            StringBuilder ratios = new StringBuilder();
            for (int r = 0; r < rounds.size(); r++) {
                BenchResult x = rounds.get(r).get(i);
                if (!x.key().equals(row.key())) {
                    throw new IllegalStateException("round " + (r + 1) + " has " + x.key() + " where round 1 has "
                            + row.key());
                }
                nabla[r] = x.nabla();
                reference[r] = x.reference();
                ratio[r] = x.ratio();
                ratios.append(r == 0 ? "" : " ").append(format(x.ratio()));
            }
            String note = "median of " + rounds.size() + " rounds; ratios " + ratios;
            if (!row.note().isEmpty()) note += "; " + row.note();
            out.add(new BenchResult(row.key(), row.description(), row.unit(), row.higherIsBetter(), median(nabla),
                    median(reference), row.referenceName(), note, median(ratio)));
        }
        return out;
    }

    /** The median of the non-NaN values (NaN when there are none). */
    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String format(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
    }
}
