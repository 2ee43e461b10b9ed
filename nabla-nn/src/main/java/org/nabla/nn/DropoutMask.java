package org.nabla.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * StepDropout's float32 mask and product, eight elements at a time: the same SplitMix64 hash of (key, index) as
 * {@link TrainingOps#keep} in 64-bit lanes (integer arithmetic, so the mask is bitwise the scalar one), the keep
 * decisions turned into a float mask of as many lanes.
 */
final class DropoutMask {
    private DropoutMask() {}

    private static final VectorSpecies<Long> L = LongVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int N = L.length();
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** out[i] = x[i] * m[i] and m[i] = scale or 0 (kept or dropped) for i in [from, to). */
    static void apply(long key, long threshold, float scale, float[] x, float[] out, float[] m, int from, int to) {
        int i = from;
        if (L.length() == F.length()) {
            LongVector lanes = LongVector.zero(L).addIndex(1);
            FloatVector zero = FloatVector.zero(F), kept = FloatVector.broadcast(F, scale);
            for (int end = from + (to - from) / N * N; i < end; i += N) {
                LongVector z = lanes.add(i).mul(GOLDEN).add(key);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                VectorMask<Float> keep = z.lanewise(VectorOperators.LSHR, 11).compare(VectorOperators.GE, threshold)
                        .cast(F);
                FloatVector k = zero.blend(kept, keep);
                k.intoArray(m, i);
                k.mul(FloatVector.fromArray(F, x, i)).intoArray(out, i);
            }
        }
        for (; i < to; i++) {
            float k = TrainingOps.keep(key, i, threshold) ? scale : 0f;
            m[i] = k;
            out[i] = x[i] * k;
        }
    }
}
