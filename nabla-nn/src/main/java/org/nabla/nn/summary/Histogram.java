package org.nabla.nn.summary;

/**
 * A histogram as TensorBoard's {@code HistogramProto} holds it: bucket {@code i} counts the values between
 * {@code bucketLimits[i-1]} (the first from {@code min}) and {@code bucketLimits[i]}. Made by {@link #of} with
 * equal-width buckets from min to max, each holding its left edge and the last also max, as
 * {@code tf.summary.histogram} does.
 */
public record Histogram(double min, double max, double count, double sum, double sumSquares, double[] bucketLimits,
                        double[] bucketCounts) {
    /** {@code tf.summary.histogram}'s default bucket count. */
    public static final int DEFAULT_BUCKETS = 30;

    /** Checks that there is one count per bucket limit and keeps copies of both arrays. */
    public Histogram {
        if (bucketLimits.length != bucketCounts.length) {
            throw new IllegalArgumentException("a histogram needs one count per bucket limit, got "
                    + bucketLimits.length + " limits and " + bucketCounts.length + " counts");
        }
        bucketLimits = bucketLimits.clone();
        bucketCounts = bucketCounts.clone();
    }

    /** The buckets' upper edges, ascending (a copy). */
    @Override public double[] bucketLimits() { return bucketLimits.clone(); }

    /** How many values fell in each bucket (a copy). */
    @Override public double[] bucketCounts() { return bucketCounts.clone(); }

    /**
     * {@code buckets} equal-width buckets from the smallest to the largest of {@code values} (one bucket when all are
     * equal). NaN and infinite values are rejected: a histogram of them would hide the problem.
     */
    public static Histogram of(double[] values, int buckets) {
        if (values.length == 0) throw new IllegalArgumentException("a histogram needs at least one value");
        if (buckets <= 0) throw new IllegalArgumentException("buckets must be positive, got " + buckets);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sumSquares = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a histogram's values must be finite, got " + v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += v * v;
        }
        if (min == max) return new Histogram(min, max, values.length, sum, sumSquares, new double[] {max},
                new double[] {values.length});
        double width = (max - min) / buckets;
        double[] limits = new double[buckets];
        for (int i = 0; i < buckets; i++) limits[i] = min + width * (i + 1);
        limits[buckets - 1] = max;  // exact, whatever the rounding of min + width * buckets
        double[] counts = new double[buckets];
        for (double v : values) counts[Math.min(buckets - 1, (int) ((v - min) / width))]++;
        return new Histogram(min, max, values.length, sum, sumSquares, limits, counts);
    }

    /** The histogram of float values (a weight's contents). */
    public static Histogram of(float[] values, int buckets) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        return of(d, buckets);
    }
}
