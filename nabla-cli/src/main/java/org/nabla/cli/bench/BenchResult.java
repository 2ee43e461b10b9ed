package org.nabla.cli.bench;

/**
 * One benchmark row: Nabla's number and the reference's (NaN when not measured), in {@code unit}.
 *
 * @param key stable id used by {@code --only} and as the JSON key (sgemm_1024, conv2d, add, dispatch)
 * @param note why a value is missing, or what was measured
 * @param roundsRatio for rows folded from several rounds, the median of the rounds' ratios (NaN otherwise)
 */
public record BenchResult(String key, String description, String unit, boolean higherIsBetter, double nabla,
                          double reference, String referenceName, String note, double roundsRatio) {
    public BenchResult(String key, String description, String unit, boolean higherIsBetter, double nabla,
                       double reference, String referenceName, String note) {
        this(key, description, unit, higherIsBetter, nabla, reference, referenceName, note, Double.NaN);
    }

    /**
     * Nabla divided by the reference, NaN when either is missing; over several rounds, the median of each round's
     * ratio (each compares two numbers measured minutes apart, which a drifting machine makes fairer).
     */
    public double ratio() { return Double.isNaN(roundsRatio) ? nabla / reference : roundsRatio; }

    public BenchResult withReference(double value, String name, String why) {
        String n = note.isEmpty() ? why : why.isEmpty() ? note : note + "; " + why;
        return new BenchResult(key, description, unit, higherIsBetter, nabla, value, name, n, roundsRatio);
    }
}
