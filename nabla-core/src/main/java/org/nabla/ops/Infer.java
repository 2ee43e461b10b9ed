package org.nabla.ops;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;

/** Shared dtype and shape rules for op shape functions. Each failure names the op and the rule. */
public final class Infer {
    private Infer() {}

    /** NumPy broadcasting of two shapes; unknown dims (-1) broadcast to unknown unless the other side is known > 1. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) return a;
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da == db) out[i] = da;
            else if (da == 1) out[i] = db;
            else if (db == 1) out[i] = da;
            else if (da == Shape.UNKNOWN) out[i] = db;
            else if (db == Shape.UNKNOWN) out[i] = da;
            else {
                throw new OpException(op, "shapes " + a + " and " + b + " cannot be broadcast: dimension "
                        + (i - rank) + " is " + da + " vs " + db + " (each pair must be equal or one of them 1)");
            }
        }
        return Shape.of(out);
    }

    /** Both inputs must have the same dtype (no implicit promotion, as in TensorFlow). */
    public static DType sameDType(String op, TensorSpec a, TensorSpec b) {
        if (a.dtype() != b.dtype()) {
            throw new OpException(op, "inputs must have the same dtype, got " + a + " and " + b
                    + " (cast one of them first)");
        }
        return a.dtype();
    }

    /** Fails unless {@code spec.dtype()} is one of {@code allowed}. */
    public static void requireDType(String op, String input, TensorSpec spec, DType... allowed) {
        for (DType d : allowed) if (spec.dtype() == d) return;
        throw new OpException(op, "input '" + input + "' has dtype " + spec.dtype() + " (" + spec + "), expected one of "
                + Arrays.toString(allowed));
    }

    public static void requireNumeric(String op, String input, TensorSpec spec) {
        if (!spec.dtype().isNumeric()) {
            throw new OpException(op, "input '" + input + "' must be numeric, got " + spec);
        }
    }

    public static void requireFloating(String op, String input, TensorSpec spec) {
        if (!spec.dtype().isFloating()) {
            throw new OpException(op, "input '" + input + "' must be float16, bfloat16, float32 or float64, got " + spec);
        }
    }

    public static void requireRank(String op, String input, TensorSpec spec, int rank) {
        if (spec.shape().rank() != rank) {
            throw new OpException(op, "input '" + input + "' must have rank " + rank + ", got shape "
                    + spec.shape());
        }
    }

    /** A single output. */
    public static TensorSpec[] one(DType dtype, Shape shape) { return new TensorSpec[] {new TensorSpec(dtype, shape)}; }
}
