package org.nabla.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * Broadcasting add and mul against a reference computed here element by element in float64 (or exact long
 * arithmetic for integers), over random shapes: each operand drops some leading dims of the result shape and has 1
 * in some others (NumPy's rules), zero-size dims included.
 */
class BroadcastingPropertiesTest {
    @Test
    void addAndMulMatchTheReference() {
        RandomTensors.forAll("broadcasting add/mul", 41, 300, rnd -> addAndMul(rnd));
    }

    private static void addAndMul(Random rnd) {
        int[] out = RandomTensors.shape(rnd, 4, 0, 4);
        DType dtype = new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}[rnd.nextInt(4)];
        int[] sa = operandShape(out, rnd);
        int[] sb = operandShape(out, rnd);
        int[] expected = broadcast(sa, sb); // out, unless both operands have 1 (or nothing) where out has another dim
        Tensor a = RandomTensors.random(dtype, sa, rnd.nextLong());
        Tensor b = RandomTensors.random(dtype, sb, rnd.nextLong());
        for (boolean add : new boolean[] {true, false}) {
            Tensor got = add ? Ops.add(a, b) : Ops.mul(a, b);
            String what = (add ? "add " : "mul ") + dtype + " " + Shape.of(sa) + " with " + Shape.of(sb);
            assertEquals(Shape.of(expected), got.shape(), what);
            assertEquals(dtype, got.dtype(), what);
            check(what, a, b, sa, sb, expected, got, add);
        }
    }

    /** NumPy's result shape: right-aligned, a dim of 1 (or a missing one) takes the other operand's. */
    private static int[] broadcast(int[] sa, int[] sb) {
        int rank = Math.max(sa.length, sb.length);
        int[] r = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - sa.length ? 1 : sa[i - (rank - sa.length)];
            int db = i < rank - sb.length ? 1 : sb[i - (rank - sb.length)];
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /** The result shape with some leading dims dropped and some others set to 1. */
    private static int[] operandShape(int[] out, Random rnd) {
        int drop = rnd.nextInt(out.length + 1);
        int[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int i = 0; i < s.length; i++) if (rnd.nextInt(3) == 0) s[i] = 1;
        return s;
    }

    private static void check(String what, Tensor a, Tensor b, int[] sa, int[] sb, int[] out, Tensor got, boolean add) {
        int n = Math.toIntExact(Shape.of(out).size());
        boolean floating = a.dtype().isFloating();
        double[] ad = floating ? a.toDoubleArray() : null;
        double[] bd = floating ? b.toDoubleArray() : null;
        long[] al = floating ? null : a.toLongArray();
        long[] bl = floating ? null : b.toLongArray();
        double[] gd = floating ? got.toDoubleArray() : null;
        long[] gl = floating ? null : got.toLongArray();
        for (int flat = 0; flat < n; flat++) {
            int[] idx = RandomTensors.index(flat, out);
            int ia = source(idx, sa);
            int ib = source(idx, sb);
            if (floating) {
                double exact = add ? ad[ia] + bd[ib] : ad[ia] * bd[ib];
                double ref = a.dtype() == DType.FLOAT32 ? (float) exact : exact;
                double g = gd[flat];
                boolean ok = Double.isNaN(ref) ? Double.isNaN(g)
                        : g == ref || Math.abs(g - ref) <= Math.ulp(a.dtype() == DType.FLOAT32 ? (float) ref : ref);
                assertTrue(ok, what + " at " + Arrays.toString(idx) + ": " + g + ", reference " + ref);
            } else {
                long exact = add ? al[ia] + bl[ib] : al[ia] * bl[ib];
                long ref = a.dtype() == DType.INT32 ? (int) exact : exact;
                if (gl[flat] != ref) assertArrayEquals(new long[] {ref}, new long[] {gl[flat]}, what + " at " + Arrays.toString(idx));
            }
        }
    }

    /** The flat position in an operand of shape {@code s} (right-aligned, 1 broadcasting) for result index idx. */
    private static int source(int[] idx, int[] s) {
        int[] strides = RandomTensors.strides(s);
        int offset = idx.length - s.length;
        int flat = 0;
        for (int i = 0; i < s.length; i++) if (s[i] != 1) flat += idx[i + offset] * strides[i];
        return flat;
    }
}
