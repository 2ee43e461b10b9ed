package org.nabla.cli.bench;

/**
 * One benchmark row: Nabla's number and the reference's (NaN when not measured), in {@code unit}.
 *
 * @param key stable id used by {@code --only} and as the JSON key (sgemm_1024, conv2d, add, dispatch)
 * @param note why a value is missing, or what was measured
 */
public record BenchResult(String key, String description, String unit, boolean higherIsBetter, double nabla,
                          double reference, String referenceName, String note) {
    /** Nabla divided by the reference, NaN when either is missing. */
    public double ratio() { return nabla / reference; }

    public BenchResult withReference(double value, String name, String why) {
        String n = note.isEmpty() ? why : why.isEmpty() ? note : note + "; " + why;
        return new BenchResult(key, description, unit, higherIsBetter, nabla, value, name, n);
    }
}
