package org.nabla.kernels;

import java.util.Locale;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.ops.OpException;

/**
 * Finds NaN and infinite values: for the {@code CheckNumerics} op, and for the "check numerics" mode
 * ({@link org.nabla.Debugging#enableCheckNumerics}), in which the eager context and the graph executor check every
 * floating output of every op and fail at the first op that produced a NaN or an infinity, naming it and summing up
 * its inputs (TensorFlow's {@code tf.debugging.enable_check_numerics}). Off by default ({@code
 * -Dnabla.checkNumerics=true} turns it on for a whole JVM); when off it costs one volatile read per op.
 */
public final class NumericsCheck {
    private static volatile boolean enabled = Boolean.getBoolean("nabla.checkNumerics");

    private NumericsCheck() {}

    /** Whether every op's outputs are checked. */
    public static boolean enabled() { return enabled; }

    /** Turns the check of every op's outputs on or off (for the whole JVM). */
    public static void setEnabled(boolean on) { enabled = on; }

    /** NaN and infinity counts of a floating tensor ({0, 0} for other dtypes and symbolic tensors). */
    public static long[] badCounts(Tensor t) {
        long nan = 0, inf = 0;
        if (t == null || t.isSymbolic() || !t.dtype().isFloating()) return new long[2];
        Tensor d = t.isDenseFromZero() ? t : t.dense();
        int n = (int) t.shape().size();
        if (t.dtype() != DType.FLOAT64) {
            float[] a = t.dtype() == DType.FLOAT32 ? (float[]) d.data() : d.toFloatArray(); // 16-bit: widened
            for (int i = 0; i < n; i++) {
                float v = a[i];
                if (v != v) nan++;
                else if (Float.isInfinite(v)) inf++;
            }
        } else {
            double[] a = (double[]) d.data();
            for (int i = 0; i < n; i++) {
                double v = a[i];
                if (v != v) nan++;
                else if (Double.isInfinite(v)) inf++;
            }
        }
        return new long[] {nan, inf};
    }

    /** True when {@code t} holds a NaN or an infinity. */
    public static boolean hasNonFinite(Tensor t) {
        long[] c = badCounts(t);
        return c[0] + c[1] > 0;
    }

    /** "float32(32, 10): 3 NaN, 1 Inf, finite min -2.5 max 4" (or only dtype and shape for other tensors). */
    public static String summary(Tensor t) {
        if (t == null) return "none";
        StringBuilder b = new StringBuilder(t.dtype() + "" + t.shape());
        if (t.isSymbolic() || !t.dtype().isFloating()) return b.toString();
        long[] c = badCounts(t);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : (t.dtype() == DType.FLOAT64 ? t.toDoubleArray() : toDoubles(t.toFloatArray()))) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        b.append(": ").append(c[0]).append(" NaN, ").append(c[1]).append(" Inf");
        if (min <= max) b.append(String.format(Locale.ROOT, ", finite min %.6g max %.6g", min, max));
        return b.toString();
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /**
     * Fails when an output of {@code op} (node {@code node}, null in eager mode) holds a NaN or an infinity: the
     * message names the op, the output and its counts, and sums up every input.
     */
    public static void check(String op, String node, Tensor[] inputs, Tensor[] outputs) {
        for (int k = 0; k < outputs.length; k++) {
            long[] c = badCounts(outputs[k]);
            if (c[0] + c[1] == 0) continue;
            StringBuilder b = new StringBuilder("check numerics: ");
            b.append(node == null ? "the eager op" : "node '" + node + "'").append(" produced ")
                    .append(c[0] > 0 ? "NaN" : "Inf").append(" in output ").append(k).append(" (")
                    .append(summary(outputs[k])).append(")");
            for (int i = 0; i < inputs.length; i++) b.append("; input ").append(i).append(": ").append(summary(inputs[i]));
            throw new OpException(op, b.toString());
        }
    }
}
