package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.ops.MathTesting.assertUlps;
import static org.nabla.ops.MathTesting.assertValues;
import static org.nabla.ops.MathTesting.bools;
import static org.nabla.ops.MathTesting.tensor;
import static org.nabla.ops.MathTesting.transposeValues;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Unary math ops, IsNan/IsFinite and Cast against plain-Java float64 references and hand-worked edge cases. */
class MathUnaryOpsTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** Reference function and input domain [lo, hi) of each float op. */
    private record Case(DoubleUnaryOperator f, double lo, double hi) {}

    private static final Map<OpDef, Case> FLOAT_OPS = new LinkedHashMap<>();

    static {
        FLOAT_OPS.put(MathOps.NEG, new Case(x -> -x, -10, 10));
        FLOAT_OPS.put(MathOps.ABS, new Case(Math::abs, -10, 10));
        FLOAT_OPS.put(MathOps.SIGN, new Case(x -> x > 0 ? 1 : x < 0 ? -1 : x, -10, 10));
        FLOAT_OPS.put(MathOps.SQUARE, new Case(x -> x * x, -10, 10));
        FLOAT_OPS.put(MathOps.EXP, new Case(Math::exp, -20, 20));
        FLOAT_OPS.put(MathOps.LOG, new Case(Math::log, 1e-3, 1e3));
        FLOAT_OPS.put(MathOps.LOG1P, new Case(Math::log1p, -0.999, 100));
        FLOAT_OPS.put(MathOps.SQRT, new Case(Math::sqrt, 0, 1e4));
        FLOAT_OPS.put(MathOps.RSQRT, new Case(x -> 1 / Math.sqrt(x), 1e-4, 1e4));
        FLOAT_OPS.put(MathOps.RECIPROCAL, new Case(x -> 1 / x, 0.01, 100));
        FLOAT_OPS.put(MathOps.SIN, new Case(Math::sin, -10, 10));
        FLOAT_OPS.put(MathOps.COS, new Case(Math::cos, -10, 10));
        FLOAT_OPS.put(MathOps.TANH, new Case(x -> (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1), -5, 5));
        FLOAT_OPS.put(MathOps.ERF, new Case(MathUnaryOpsTest::erfSeries, -2, 2));
        FLOAT_OPS.put(MathOps.FLOOR, new Case(Math::floor, -10, 10));
        FLOAT_OPS.put(MathOps.CEIL, new Case(Math::ceil, -10, 10));
        FLOAT_OPS.put(MathOps.ROUND, new Case(MathUnaryOpsTest::roundHalfEven, -10, 10));
    }

    /** erf by its Maclaurin series: 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)); accurate to ~1e-15 for |x| <= 2. */
    static double erfSeries(double x) {
        double sum = 0;
        double term = x; // (-1)^n x^(2n+1) / n!
        for (int n = 0; n < 100; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    static double roundHalfEven(double x) {
        double f = Math.floor(x);
        double diff = x - f;
        if (diff > 0.5) return f + 1;
        if (diff < 0.5) return f;
        return f % 2 == 0 ? f : f + 1;
    }

    private static Tensor run(OpDef op, Tensor x) { return Ops.run(op, Attrs.EMPTY, x); }

    @Test
    void floatOpsMatchFloat64ReferenceWithin2UlpsInFloat32() {
        Random rnd = new Random(5);
        for (Map.Entry<OpDef, Case> e : FLOAT_OPS.entrySet()) {
            Case c = e.getValue();
            for (int n : new int[] {1, 37, 1003, 70_001}) { // scalar tail only, vector + tail, parallel chunks
                double[] x = new double[n];
                for (int i = 0; i < n; i++) x[i] = (float) (c.lo() + rnd.nextDouble() * (c.hi() - c.lo()));
                if (e.getKey() == MathOps.ROUND && n > 4) x[3] = 2.5; // an exact tie
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) expected[i] = c.f().applyAsDouble(x[i]);
                Tensor out32 = run(e.getKey(), tensor(DType.FLOAT32, x, n));
                assertEquals(DType.FLOAT32, out32.dtype());
                try {
                    assertUlps(expected, out32, 2);
                } catch (AssertionError err) {
                    throw new AssertionError(e.getKey() + " float32 n=" + n + ": " + err.getMessage(), err);
                }
                assertClose(expected, run(e.getKey(), tensor(DType.FLOAT64, x, n)), DType.FLOAT64, new int[] {n},
                        e.getKey() == MathOps.ERF ? 1e-14 : 1e-15);
            }
        }
    }

    @Test
    void float32EdgeValuesThroughVectorAndScalarPaths() {
        // 40 copies make sure the values go through full vector lanes as well as the scalar tail.
        double[] in = {NAN, INF, -INF, 0.0, -0.0, 1e-30, -1};
        double[] x = new double[in.length * 40];
        for (int i = 0; i < x.length; i++) x[i] = in[i % in.length];
        Map<OpDef, double[]> expected = new LinkedHashMap<>();
        expected.put(MathOps.EXP, new double[] {NAN, INF, 0, 1, 1, 1, Math.exp(-1)});
        expected.put(MathOps.LOG, new double[] {NAN, INF, NAN, -INF, -INF, Math.log(1e-30), NAN});
        expected.put(MathOps.LOG1P, new double[] {NAN, INF, NAN, 0, -0.0, 1e-30, -INF});
        expected.put(MathOps.SQRT, new double[] {NAN, INF, NAN, 0, -0.0, Math.sqrt(1e-30), NAN});
        expected.put(MathOps.RSQRT, new double[] {NAN, 0, NAN, INF, -INF, 1 / Math.sqrt(1e-30), NAN});
        expected.put(MathOps.RECIPROCAL, new double[] {NAN, 0, -0.0, INF, -INF, 1e30, -1});
        expected.put(MathOps.TANH, new double[] {NAN, 1, -1, 0, -0.0, 1e-30, Math.tanh(-1)});
        expected.put(MathOps.SIN, new double[] {NAN, NAN, NAN, 0, -0.0, 1e-30, Math.sin(-1)});
        expected.put(MathOps.COS, new double[] {NAN, NAN, NAN, 1, 1, 1, Math.cos(-1)});
        expected.put(MathOps.ERF, new double[] {NAN, 1, -1, 0, -0.0, 1.1283791670955126e-30, -0.8427007929497149});
        expected.put(MathOps.ABS, new double[] {NAN, INF, INF, 0, 0, 1e-30, 1});
        expected.put(MathOps.NEG, new double[] {NAN, -INF, INF, -0.0, 0, -1e-30, 1});
        expected.put(MathOps.SIGN, new double[] {NAN, 1, -1, 0, -0.0, 1, -1});
        expected.put(MathOps.SQUARE, new double[] {NAN, INF, INF, 0, 0, 1e-60, 1});
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Map.Entry<OpDef, double[]> e : expected.entrySet()) {
                double[] want = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    double w = e.getValue()[i % in.length];
                    want[i] = dtype == DType.FLOAT32 ? (float) w : w;
                    if (dtype == DType.FLOAT32 && x[i] == 1e-30 && e.getKey() != MathOps.SQUARE) {
                        want[i] = e.getKey() == MathOps.SIGN ? 1 : (float) e.getValue()[5]; // input is (float) 1e-30
                    }
                }
                Tensor out = run(e.getKey(), tensor(dtype, x, x.length));
                double[] got = out.toDoubleArray();
                for (int i = 0; i < x.length; i++) {
                    double w = want[i];
                    boolean ok = Double.isNaN(w) ? Double.isNaN(got[i])
                            : w == 0 ? Double.compare(w, got[i]) == 0 // signed zeros must match
                            : w == got[i] || Math.abs(got[i] - w) <= 2 * ulp(dtype, w);
                    assertTrue(ok, e.getKey() + " " + dtype + " of " + x[i] + ": expected " + w + " got " + got[i]);
                }
            }
        }
    }

    private static double ulp(DType dtype, double w) { return dtype == DType.FLOAT32 ? Math.ulp((float) w) : Math.ulp(w); }

    @Test
    void roundingIsHalfToEvenAndKeepsSignedZeros() {
        double[] x = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 3.5000001, -0.2, 1e20, NAN, -INF};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] round = {0, 2, 2, -0.0, -2, -2, 2, 4, -0.0, 1e20, NAN, -INF};
            double[] floor = {0, 1, 2, -1, -2, -3, 2, 3, -1, 1e20, NAN, -INF};
            double[] ceil = {1, 2, 3, -0.0, -1, -2, 3, 4, -0.0, 1e20, NAN, -INF};
            if (dtype == DType.FLOAT32) round[9] = floor[9] = ceil[9] = (float) 1e20;
            Tensor t = tensor(dtype, x, x.length);
            assertBits(round, t.round());
            assertBits(floor, t.floor());
            assertBits(ceil, t.ceil());
        }
    }

    private static void assertBits(double[] expected, Tensor actual) {
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(got[i]),
                    () -> "expected " + java.util.Arrays.toString(expected) + " got " + java.util.Arrays.toString(got));
        }
    }

    @Test
    void erfMatchesKnownValuesTo1e12() {
        // erf from CPython's math.erf (about 1 ulp); the first 10 digits agree with Abramowitz & Stegun table 7.1.
        double[][] known = {
            {0.1, 0.1124629160182849}, {0.3, 0.3286267594591274}, {0.46875, 0.49261347321793797},
            {0.5, 0.5204998778130465}, {0.75, 0.7111556336535151}, {1.0, 0.8427007929497149},
            {1.5, 0.9661051464753108}, {2.0, 0.9953222650189527}, {2.5, 0.999593047982555},
            {3.0, 0.9999779095030014}, {3.9, 0.9999999652077514}, {4.0, 0.9999999845827421},
            {4.5, 0.9999999998033839}, {5.0, 0.9999999999984626}, {10.0, 1.0}, {1e-10, 1.1283791670955126e-10},
        };
        double[] x = new double[known.length * 2];
        double[] want = new double[x.length];
        for (int i = 0; i < known.length; i++) {
            x[2 * i] = known[i][0];
            want[2 * i] = known[i][1];
            x[2 * i + 1] = -known[i][0];
            want[2 * i + 1] = -known[i][1];
        }
        Tensor out = Tensors.of(x).erf();
        assertClose(want, out, DType.FLOAT64, new int[] {x.length}, 1e-12);
        double[] got = out.toDoubleArray();
        for (int i = 0; i < x.length; i++) assertTrue(Math.abs(got[i] - want[i]) <= 2 * Math.ulp(want[i]), "x=" + x[i]);
        // Continuity across the approximation's interval boundaries.
        double[] edges = {Math.nextDown(0.46875), 0.46875, Math.nextUp(0.46875), Math.nextDown(4.0), 4.0,
            Math.nextUp(4.0), Math.nextDown(6.0), 6.0};
        double[] e = Tensors.of(edges).erf().toDoubleArray();
        for (int i = 1; i < e.length; i++) assertTrue(e[i] >= e[i - 1], "erf is monotonic at " + edges[i]);
    }

    @Test
    void integerUnaryOpsWrap() {
        long[] v = {-5, 0, 7, Integer.MIN_VALUE, Integer.MAX_VALUE};
        assertEquals(java.util.List.of(5, 0, -7, Integer.MIN_VALUE, -Integer.MAX_VALUE), java.util.Arrays.stream(
                Tensors.of(new int[] {-5, 0, 7, Integer.MIN_VALUE, Integer.MAX_VALUE}).neg().toIntArray()).boxed()
                .toList());
        Tensor i32 = Tensors.of(new int[] {-5, 0, 7, Integer.MIN_VALUE, Integer.MAX_VALUE});
        assertValues(new double[] {5, 0, 7, Integer.MIN_VALUE, Integer.MAX_VALUE}, i32.abs(), DType.INT32, 5);
        assertValues(new double[] {-1, 0, 1, -1, 1}, i32.sign(), DType.INT32, 5);
        assertValues(new double[] {25, 0, 49, 0, 1}, i32.square(), DType.INT32, 5);
        Tensor i64 = Tensors.of(v);
        assertValues(new double[] {5, 0, 7, 2147483648.0, Integer.MAX_VALUE}, i64.abs(), DType.INT64, 5);
        assertValues(new double[] {25, 0, 49, 4611686018427387904.0, 4611686014132420609.0}, i64.square(),
                DType.INT64, 5);
        assertEquals(Long.MIN_VALUE, Tensors.of(new long[] {Long.MIN_VALUE}).abs().toLongArray()[0]);
        Tensor u8 = tensor(DType.UINT8, new double[] {0, 1, 200, 255}, 4);
        assertValues(new double[] {0, 255, 56, 1}, u8.neg(), DType.UINT8, 4);
        assertValues(new double[] {0, 1, 200, 255}, u8.abs(), DType.UINT8, 4);
        assertValues(new double[] {0, 1, 1, 1}, u8.sign(), DType.UINT8, 4);
        assertValues(new double[] {0, 1, 64, 1}, u8.square(), DType.UINT8, 4);
    }

    @Test
    void isNanIsFinite() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor t = tensor(dtype, new double[] {NAN, INF, -INF, 0, -1.5, 3e38}, 2, 3);
            assertValues(new double[] {1, 0, 0, 0, 0, 0}, t.isNan(), DType.BOOL, 2, 3);
            assertValues(new double[] {0, 0, 0, 1, 1, 1}, t.isFinite(), DType.BOOL, 2, 3);
        }
    }

    @Test
    void castConvertsEveryPairOfDTypes() {
        double[] values = {0, 1, 2, 100};
        for (DType from : MathTesting.NUMERIC_AND_BOOL) {
            double[] in = from == DType.BOOL ? new double[] {0, 1, 1, 0} : values;
            Tensor x = tensor(from, in, 2, 2);
            for (DType to : MathTesting.NUMERIC_AND_BOOL) {
                double[] want = new double[in.length];
                for (int i = 0; i < in.length; i++) want[i] = to == DType.BOOL ? (in[i] != 0 ? 1 : 0) : in[i];
                Tensor y = x.cast(to);
                assertValues(want, y, to, 2, 2);
                if (from == to) assertSame(x, y);
            }
        }
    }

    @Test
    void largeCastsAndIntegerUnaryOpsSplitAcrossThreads() {
        int n = 200_003;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i % 256;
        Tensor u8 = tensor(DType.UINT8, v, n);
        assertValues(v, u8.cast(DType.FLOAT32), DType.FLOAT32, n);
        double[] halves = new double[n];
        double[] truncated = new double[n];
        for (int i = 0; i < n; i++) {
            halves[i] = (i - n / 2) * 0.5;
            truncated[i] = (long) halves[i];
        }
        assertValues(truncated, tensor(DType.FLOAT64, halves, n).cast(DType.INT64), DType.INT64, n);
        double[] neg = new double[n];
        for (int i = 0; i < n; i++) neg[i] = -truncated[i];
        assertValues(neg, tensor(DType.INT32, truncated, n).neg(), DType.INT32, n);
        double[] nonZero = new double[n];
        for (int i = 0; i < n; i++) nonZero[i] = v[i] != 0 ? 1 : 0;
        assertValues(nonZero, u8.cast(DType.BOOL), DType.BOOL, n);
    }

    @Test
    void castHandWorkedTruncationSaturationAndWrapping() {
        Tensor f = Tensors.of(new float[] {1.9f, -1.9f, Float.NaN, 3e9f, -3e9f, 0.5f, -0f, 255.7f, -1.5f, 300f});
        assertEquals(java.util.List.of(1, -1, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 0, 255, -1, 300),
                java.util.Arrays.stream(f.cast(DType.INT32).toIntArray()).boxed().toList());
        assertValues(new double[] {1, -1, 0, 3e9, -3e9, 0, 0, 255, -1, 300}, f.cast(DType.INT64), DType.INT64, 10);
        assertValues(new double[] {1, 255, 0, 0, 0, 0, 0, 255, 255, 44}, f.cast(DType.UINT8), DType.UINT8, 10);
        assertValues(new double[] {1, 1, 1, 1, 1, 1, 0, 1, 1, 1}, f.cast(DType.BOOL), DType.BOOL, 10);
        Tensor i = Tensors.of(new int[] {300, -1, 255, 16777217});
        assertValues(new double[] {44, 255, 255, 1}, i.cast(DType.UINT8), DType.UINT8, 4);
        assertValues(new double[] {300, -1, 255, 16777216}, i.cast(DType.FLOAT32), DType.FLOAT32, 4); // rounds
        assertValues(new double[] {5, -1}, Tensors.of(new long[] {(1L << 40) + 5, -1}).cast(DType.INT32), DType.INT32,
                2);
        assertValues(new double[] {200, 1}, tensor(DType.UINT8, new double[] {200, 1}, 2).cast(DType.INT32),
                DType.INT32, 2);
        assertValues(new double[] {1, 0}, bools(true, false).cast(DType.FLOAT32), DType.FLOAT32, 2);
        assertValues(new double[] {1.5}, Ops.cast(1.5, DType.FLOAT32), DType.FLOAT32);
    }

    @Test
    void emptyRankZeroAndNonContiguousInputs() {
        assertEquals(Shape.of(0, 2), Tensors.of(new float[0], 0, 2).exp().shape());
        assertEquals(Shape.of(0), Tensors.of(new int[0], 0).neg().shape());
        assertEquals(Shape.of(0), Tensors.of(new double[0], 0).isNan().shape());
        assertEquals(Shape.of(3, 0), Tensors.of(new long[0], 3, 0).cast(DType.FLOAT32).shape());
        assertValues(new double[] {Math.E}, Ops.exp(1.0), DType.FLOAT64);
        assertValues(new double[] {(float) Math.sqrt(2)}, Ops.sqrt(2f), DType.FLOAT32);
        double[] v = {1, 2, 3, 4, 5, 6};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.UINT8}) {
            Tensor t = tensor(dtype, v, 2, 3).transpose();
            double[] tv = transposeValues(v, 2, 3);
            double[] sq = new double[6];
            for (int i = 0; i < 6; i++) sq[i] = tv[i] * tv[i];
            assertValues(sq, t.square(), dtype, 3, 2);
            assertValues(tv, t.cast(DType.FLOAT64), DType.FLOAT64, 3, 2);
            if (dtype.isFloating()) {
                double[] ex = new double[6];
                for (int i = 0; i < 6; i++) ex[i] = Math.exp(tv[i]);
                assertClose(ex, t.exp(), dtype, new int[] {3, 2}, 1e-6);
            }
        }
    }

    @Test
    void fluentMethodsRunTheirOps() {
        Tensor x = Tensors.of(new double[] {0.25, 4});
        assertValues(new double[] {0.5, 2}, x.sqrt(), DType.FLOAT64, 2);
        assertValues(new double[] {2, 0.5}, x.rsqrt(), DType.FLOAT64, 2);
        assertValues(new double[] {4, 0.25}, x.reciprocal(), DType.FLOAT64, 2);
        assertValues(new double[] {Math.log(0.25), Math.log(4)}, x.log(), DType.FLOAT64, 2);
        assertValues(new double[] {Math.log1p(0.25), Math.log1p(4)}, x.log1p(), DType.FLOAT64, 2);
        assertValues(new double[] {Math.sin(0.25), Math.sin(4)}, x.sin(), DType.FLOAT64, 2);
        assertValues(new double[] {Math.cos(0.25), Math.cos(4)}, Ops.cos(x), DType.FLOAT64, 2);
        assertValues(new double[] {Math.tanh(0.25), Math.tanh(4)}, Ops.tanh(x), DType.FLOAT64, 2);
        assertValues(new double[] {0, 4}, Ops.floor(x), DType.FLOAT64, 2);
        assertValues(new double[] {1, 4}, Ops.ceil(x), DType.FLOAT64, 2);
        assertValues(new double[] {0, 4}, Ops.round(x), DType.FLOAT64, 2);
        assertValues(new double[] {-0.25, -4}, Ops.neg(x), DType.FLOAT64, 2);
        assertValues(new double[] {0.25, 4}, Ops.abs(x.neg()), DType.FLOAT64, 2);
        assertValues(new double[] {-1, -1}, Ops.sign(x.neg()), DType.FLOAT64, 2);
        assertValues(new double[] {0.0625, 16}, Ops.square(x), DType.FLOAT64, 2);
        assertValues(new double[] {0, 0}, Ops.isNan(x), DType.BOOL, 2);
        assertValues(new double[] {1, 1}, Ops.isFinite(x), DType.BOOL, 2);
        assertValues(new double[] {1, 0}, Ops.logicalNot(bools(false, true)), DType.BOOL, 2);
        assertValues(new double[] {Math.exp(0.25), Math.exp(4)}, Ops.exp(x), DType.FLOAT64, 2);
        assertValues(new double[] {0.2763263901682369, 0.9999999845827421}, Ops.erf(x), DType.FLOAT64, 2);
    }

    @Test
    void errorsNameTheOpAndTheDType() {
        Tensor ints = Tensors.of(new int[] {1, 2});
        assertEquals("Exp: input 'x' must be float16, bfloat16, float32 or float64, got int32(2,); cast integers to a float dtype first",
                assertThrows(OpException.class, ints::exp).getMessage());
        assertEquals("Erf: input 'x' must be float16, bfloat16, float32 or float64, got bool(1,)",
                assertThrows(OpException.class, () -> bools(true).erf()).getMessage());
        assertEquals("IsNan: input 'x' must be float16, bfloat16, float32 or float64, got int32(2,); cast integers to a float dtype "
                + "first", assertThrows(OpException.class, ints::isNan).getMessage());
        assertEquals("Neg: input 'x' must be numeric (float32, float64, int32, int64, uint8), got bool(1,); cast "
                + "bools to a number first", assertThrows(OpException.class, () -> bools(true).neg()).getMessage());
        assertTrue(assertThrows(OpException.class, () -> Ops.run(MathOps.CAST, Attrs.EMPTY, ints)).getMessage()
                .startsWith("Cast: missing required attribute 'dtype'"));
    }
}
