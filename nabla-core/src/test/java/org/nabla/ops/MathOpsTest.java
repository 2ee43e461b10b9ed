package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.ops.MathTesting.NUMERIC;
import static org.nabla.ops.MathTesting.assertValues;
import static org.nabla.ops.MathTesting.bools;
import static org.nabla.ops.MathTesting.broadcastReference;
import static org.nabla.ops.MathTesting.randomValues;
import static org.nabla.ops.MathTesting.scalar;
import static org.nabla.ops.MathTesting.tensor;
import static org.nabla.ops.MathTesting.transposeValues;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.storage.HalfFloats;

/** Binary math ops, comparisons, logic, Clip and Select against plain-Java float64 references. */
class MathOpsTest {
    /** Shape pairs covering same shape, row, column, outer-product, rank-0 and rank-3 broadcasting. */
    private static final int[][][] SHAPES = {
        {{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{3, 1}, {1, 4}}, {{3, 1}, {4}}, {{}, {2, 3, 4}}, {{2, 3, 4}, {}},
        {{2, 1, 4}, {3, 1}}, {{1}, {5}}, {{}, {}},
    };

    private static final Map<OpDef, DoubleBinaryOperator> ARITHMETIC = Map.of(
            MathOps.ADD, (a, b) -> a + b,
            MathOps.SUB, (a, b) -> a - b,
            MathOps.MUL, (a, b) -> a * b,
            MathOps.DIV, (a, b) -> a / b,
            MathOps.FLOOR_DIV, (a, b) -> Math.floor(a / b),
            MathOps.MOD, (a, b) -> a - Math.floor(a / b) * b,
            MathOps.POW, Math::pow,
            MathOps.MAXIMUM, Math::max,
            MathOps.MINIMUM, Math::min);

    private static final Map<OpDef, DoubleBinaryOperator> COMPARISONS = Map.of(
            MathOps.EQUAL, (a, b) -> a == b ? 1 : 0,
            MathOps.NOT_EQUAL, (a, b) -> a != b ? 1 : 0,
            MathOps.GREATER, (a, b) -> a > b ? 1 : 0,
            MathOps.GREATER_EQUAL, (a, b) -> a >= b ? 1 : 0,
            MathOps.LESS, (a, b) -> a < b ? 1 : 0,
            MathOps.LESS_EQUAL, (a, b) -> a <= b ? 1 : 0);

    private static Tensor run(OpDef op, Tensor... inputs) { return Ops.run(op, Attrs.EMPTY, inputs); }

    /** The float64 result stored into {@code dtype}: integer division truncates, integers wrap. */
    private static double store(OpDef op, DType dtype, double v) {
        if (dtype == DType.FLOAT32) return (float) v;
        if (dtype == DType.FLOAT64) return v;
        // computed in float32, rounded once to 16 bits
        if (dtype.isHalfPrecision()) return HalfFloats.toFloat(dtype, HalfFloats.fromFloat(dtype, (float) v));
        long l = (long) v; // truncation toward zero: C-style integer Div
        return switch (dtype) {
            case INT8 -> (byte) l;
            case INT16 -> (short) l;
            case INT32 -> (int) l;
            case UINT8 -> l & 0xff;
            case UINT16 -> l & 0xffff;
            case UINT32 -> l & 0xffffffffL;
            case UINT64 -> l < 0 ? l + 0x1p64 : l; // the unsigned value of the wrapped bits, as a double
            default -> l;
        };
    }

    @Test
    void arithmeticMatchesFloat64ReferenceForEveryDTypeAndBroadcast() {
        Random rnd = new Random(42);
        for (Map.Entry<OpDef, DoubleBinaryOperator> e : ARITHMETIC.entrySet()) {
            OpDef op = e.getKey();
            for (DType dtype : NUMERIC) {
                for (int[][] shapes : SHAPES) {
                    int[] sa = shapes[0], sb = shapes[1];
                    int[] so = Infer.broadcast("test", Shape.of(sa), Shape.of(sb)).dims();
                    double[] a = randomValues(dtype, rnd, (int) Shape.of(sa).size(), false);
                    boolean division = op == MathOps.DIV || op == MathOps.FLOOR_DIV || op == MathOps.MOD;
                    double[] b = randomValues(dtype, rnd, (int) Shape.of(sb).size(), division && dtype.isInteger());
                    if (op == MathOps.POW && dtype.isInteger()) {
                        for (int i = 0; i < b.length; i++) b[i] = rnd.nextInt(4); // small exponents: no overflow
                    }
                    double[] expected = broadcastReference(e.getValue(), a, sa, b, sb, so);
                    for (int i = 0; i < expected.length; i++) expected[i] = store(op, dtype, expected[i]);
                    Tensor out = run(op, tensor(dtype, a, sa), tensor(dtype, b, sb));
                    double tol = dtype == DType.FLOAT32 ? 1e-6 : dtype == DType.FLOAT64 ? 1e-12 : 0;
                    String where = op + " " + dtype + " " + Shape.of(sa) + " with " + Shape.of(sb);
                    assertEquals(Shape.of(so), out.shape(), where);
                    try {
                        assertClose(expected, out, dtype, so, tol);
                    } catch (AssertionError err) {
                        throw new AssertionError(where + ": " + err.getMessage(), err);
                    }
                }
            }
        }
    }

    @Test
    void vectorizedFloatOpsAreExactOnLargeDenseScalarRowAndColumnInputs() {
        Random rnd = new Random(7);
        int n = 300, m = 257; // large enough to split across threads, m not a multiple of the vector length
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] x = randomValues(dtype, rnd, n * m, true);
            double[] y = randomValues(dtype, rnd, n * m, true);
            double[] row = randomValues(dtype, rnd, m, true);
            double[] col = randomValues(dtype, rnd, n, true);
            double[] s = {3.25};
            int[][][] cases = {{{n, m}, {n, m}}, {{n, m}, {m}}, {{m}, {n, m}}, {{n, m}, {}}, {{}, {n, m}},
                {{n, m}, {n, 1}}, {{n, 1}, {n, m}}};
            for (OpDef op : List.of(MathOps.ADD, MathOps.SUB, MathOps.MUL, MathOps.DIV, MathOps.MAXIMUM,
                    MathOps.MINIMUM)) {
                for (int[][] c : cases) {
                    double[] a = pick(c[0], x, row, col, s, n, m);
                    double[] b = pick(c[1], y, row, col, s, n, m);
                    double[] expected = broadcastReference(ARITHMETIC.get(op), a, c[0], b, c[1], new int[] {n, m});
                    for (int i = 0; i < expected.length; i++) expected[i] = store(op, dtype, expected[i]);
                    Tensor out = run(op, tensor(dtype, a, c[0]), tensor(dtype, b, c[1]));
                    assertValues(expected, out, dtype, n, m);
                }
            }
        }
    }

    private static double[] pick(int[] shape, double[] full, double[] row, double[] col, double[] s, int n, int m) {
        if (shape.length == 0) return s;
        if (shape.length == 1) return row;
        return shape[1] == 1 ? col : full;
    }

    @Test
    void divisionFamilyHandWorked() {
        Tensor x = Tensors.of(new int[] {7, -7, 7, -7, 0});
        Tensor y = Tensors.of(new int[] {2, 2, -2, -2, 3});
        assertValues(new double[] {3, -3, -3, 3, 0}, x.div(y), DType.INT32, 5);
        assertValues(new double[] {3, -4, -4, 3, 0}, x.floorDiv(y), DType.INT32, 5);
        assertValues(new double[] {1, 1, -1, -1, 0}, x.mod(y), DType.INT32, 5);
        Tensor lx = Tensors.of(new long[] {7, -7, Long.MIN_VALUE});
        Tensor ly = Tensors.of(new long[] {-2, 2, -1});
        assertEquals(List.of(-3L, -3L, Long.MIN_VALUE), box(lx.div(ly).toLongArray())); // MIN / -1 wraps
        assertEquals(List.of(-4L, -4L, Long.MIN_VALUE), box(lx.floorDiv(ly).toLongArray()));
        assertEquals(List.of(-1L, 1L, 0L), box(lx.mod(ly).toLongArray()));

        Tensor fx = Tensors.of(new double[] {7.5, -7.5, 7.5, -7.5, 1, -1, 0, 5});
        Tensor fy = Tensors.of(new double[] {2, 2, -2, -2, 0, 0, 0, Double.POSITIVE_INFINITY});
        assertValues(new double[] {3.75, -3.75, -3.75, 3.75, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, 0}, fx.div(fy), DType.FLOAT64, 8);
        assertValues(new double[] {3, -4, -4, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0},
                fx.floorDiv(fy), DType.FLOAT64, 8);
        assertValues(new double[] {1.5, 0.5, -0.5, -1.5, Double.NaN, Double.NaN, Double.NaN, 5}, fx.mod(fy),
                DType.FLOAT64, 8);
        Tensor f32 = Tensors.of(new float[] {-7.5f}).mod(Tensors.of(new float[] {2f}));
        assertValues(new double[] {0.5}, f32, DType.FLOAT32, 1);
    }

    @Test
    void uint8WrapsModulo256() {
        Tensor x = tensor(DType.UINT8, new double[] {250, 3, 16, 200, 255, 7}, 6);
        Tensor y = tensor(DType.UINT8, new double[] {10, 5, 16, 7, 255, 2}, 6);
        assertValues(new double[] {4, 8, 32, 207, 254, 9}, x.add(y), DType.UINT8, 6);
        assertValues(new double[] {240, 254, 0, 193, 0, 5}, x.sub(y), DType.UINT8, 6);
        assertValues(new double[] {196, 15, 0, 120, 1, 14}, x.mul(y), DType.UINT8, 6);
        assertValues(new double[] {25, 0, 1, 28, 1, 3}, x.div(y), DType.UINT8, 6);
        assertValues(new double[] {0, 3, 0, 4, 0, 1}, x.mod(y), DType.UINT8, 6);
        assertValues(new double[] {250, 5, 16, 200, 255, 7}, x.maximum(y), DType.UINT8, 6);
        assertValues(new double[] {1, 0, 1, 1, 1, 1}, x.greater(y).logicalOr(x.equal(y)).cast(DType.UINT8),
                DType.UINT8, 6);
        assertValues(new double[] {0}, tensor(DType.UINT8, new double[] {2}, 1).pow(8), DType.UINT8, 1);
        assertValues(new double[] {255}, Ops.sub(tensor(DType.UINT8, new double[] {0}), 1), DType.UINT8);
    }

    @Test
    void powMaximumMinimumHandWorked() {
        assertValues(new double[] {1024, 1, -8, 1, 0}, Tensors.of(new int[] {2, 0, -2, -1, 0})
                .pow(Tensors.of(new int[] {10, 0, 3, 4, 5})), DType.INT32, 5);
        assertValues(new double[] {0}, Tensors.of(new int[] {2}).pow(32), DType.INT32, 1); // wraps
        assertValues(new double[] {8, 0.25, 1, Double.NaN, 2}, Tensors.of(new double[] {2, 2, Double.NaN, -8, 4})
                .pow(Tensors.of(new double[] {3, -2, 0, 1.0 / 3, 0.5})), DType.FLOAT64, 5);
        float nan = Float.NaN;
        Tensor a = Tensors.of(new float[] {1, nan, 3, -0f});
        Tensor b = Tensors.of(new float[] {nan, 2, 1, 0f});
        assertValues(new double[] {nan, nan, 3, 0}, a.maximum(b), DType.FLOAT32, 4);
        assertValues(new double[] {nan, nan, 1, 0}, a.minimum(b), DType.FLOAT32, 4);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(a.minimum(b).toFloatArray()[3]));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(a.maximum(b).toFloatArray()[3]));
        assertValues(new double[] {Integer.MIN_VALUE}, Tensors.of(new int[] {Integer.MAX_VALUE}).add(1),
                DType.INT32, 1);
    }

    @Test
    void comparisonsMatchReferenceForEveryDTypeWithNaN() {
        Random rnd = new Random(3);
        for (Map.Entry<OpDef, DoubleBinaryOperator> e : COMPARISONS.entrySet()) {
            for (DType dtype : NUMERIC) {
                for (int[][] shapes : SHAPES) {
                    int[] sa = shapes[0], sb = shapes[1];
                    int[] so = Infer.broadcast("test", Shape.of(sa), Shape.of(sb)).dims();
                    double[] a = randomValues(dtype, rnd, (int) Shape.of(sa).size(), false);
                    double[] b = randomValues(dtype, rnd, (int) Shape.of(sb).size(), false);
                    for (int i = 0; i < b.length; i += 2) b[i] = a[i % a.length]; // some ties
                    if (dtype.isFloating() && a.length > 1) a[1] = Double.NaN;
                    Tensor out = run(e.getKey(), tensor(dtype, a, sa), tensor(dtype, b, sb));
                    assertValues(broadcastReference(e.getValue(), a, sa, b, sb, so), out, DType.BOOL, so);
                }
            }
        }
        Tensor x = bools(true, true, false, false);
        Tensor y = bools(true, false, true, false);
        assertValues(new double[] {1, 0, 0, 1}, x.equal(y), DType.BOOL, 4);
        assertValues(new double[] {0, 1, 1, 0}, x.notEqual(y), DType.BOOL, 4);
        assertValues(new double[] {0, 1}, Tensors.of(new float[] {Float.NaN, 1}).notEqual(Float.NaN).logicalNot()
                .logicalNot().logicalXor(bools(true, false)), DType.BOOL, 2);
        assertValues(new double[] {0, 1, 1}, Tensors.of(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 5})
                .less(Tensors.of(new long[] {Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 6})), DType.BOOL, 3);
        assertValues(new double[] {1, 0}, tensor(DType.UINT8, new double[] {200, 3}, 2).greater(tensor(DType.UINT8,
                new double[] {100, 4}, 2)), DType.BOOL, 2);
    }

    @Test
    void float32ComparisonsThroughVectorLanesHandleNaNAndSignedZeros() {
        Random rnd = new Random(13);
        int n = 1037;
        double[] special = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1};
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(4) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt(5) - 2;
            y[i] = rnd.nextInt(4) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt(5) - 2;
        }
        for (double sv : new double[] {0.0, -0.0, Double.NaN, 1}) {
            double[] s = {sv};
            for (Map.Entry<OpDef, DoubleBinaryOperator> e : COMPARISONS.entrySet()) {
                int[][][] cases = {{{n}, {n}}, {{n}, {}}, {{}, {n}}};
                for (int[][] c : cases) {
                    double[] a = c[0].length == 0 ? s : x;
                    double[] b = c[1].length == 0 ? s : y;
                    Tensor out = run(e.getKey(), tensor(DType.FLOAT32, a, c[0]), tensor(DType.FLOAT32, b, c[1]));
                    assertValues(broadcastReference(e.getValue(), a, c[0], b, c[1], new int[] {n}), out, DType.BOOL, n);
                }
            }
        }
    }

    @Test
    void logicalOpsTruthTablesAndBroadcasting() {
        Tensor x = bools(true, true, false, false);
        Tensor y = bools(true, false, true, false);
        assertValues(new double[] {1, 0, 0, 0}, x.logicalAnd(y), DType.BOOL, 4);
        assertValues(new double[] {1, 1, 1, 0}, x.logicalOr(y), DType.BOOL, 4);
        assertValues(new double[] {0, 1, 1, 0}, x.logicalXor(y), DType.BOOL, 4);
        assertValues(new double[] {0, 0, 1, 1}, x.logicalNot(), DType.BOOL, 4);
        Tensor col = Tensors.of(new boolean[][] {{true}, {false}});
        assertValues(new double[] {1, 0, 1, 0, 0, 0, 0, 0}, col.logicalAnd(y), DType.BOOL, 2, 4);
        assertValues(new double[] {1, 1}, Ops.logicalOr(Tensors.scalar(true), bools(false, true)), DType.BOOL, 2);
        // a [N, Tq, 1] mask against a [N, 1, Tk] one (MultiHeadAttention's padding masks): a fill or a copy per row
        Tensor q = Ops.reshape(bools(true, false, true, true), 2, 2, 1);
        Tensor k = Ops.reshape(bools(true, false, true, false, true, true), 2, 1, 3);
        double[] and = {1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1};
        assertValues(and, q.logicalAnd(k), DType.BOOL, 2, 2, 3);
        assertValues(and, k.logicalAnd(q), DType.BOOL, 2, 2, 3);
        assertValues(new double[] {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1}, q.logicalOr(k), DType.BOOL, 2, 2, 3);
        assertValues(new double[] {1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1}, k.logicalOr(q), DType.BOOL, 2, 2, 3);
    }

    @Test
    void clipBroadcastsBoundsToXsShape() {
        Tensor x = Tensors.of(new float[][] {{-3, 0.5f, 7}, {1, Float.NaN, -1}});
        assertValues(new double[] {-1, 0.5, 2, 1, Double.NaN, -1}, x.clip(-1, 2), DType.FLOAT32, 2, 3);
        Tensor lo = Tensors.of(new float[] {0, 1, -5});
        Tensor hi = Tensors.of(new float[][] {{1}, {0.5f}});
        assertValues(new double[] {0, 1, 1, 0.5, Double.NaN, -1}, x.clip(lo, hi), DType.FLOAT32, 2, 3);
        Tensor ints = Tensors.of(new long[] {-10, 5, 10});
        assertValues(new double[] {-2, 5, 7}, Ops.clip(ints, -2, 7), DType.INT64, 3);
        assertValues(new double[] {10, 10}, tensor(DType.UINT8, new double[] {3, 250}, 2).clip(10, 10), DType.UINT8,
                2);
        OpException e = assertThrows(OpException.class, () -> Ops.clip(Tensors.of(new float[] {1, 2}),
                Tensors.of(new float[][] {{0}, {1}}), 3f));
        assertEquals("Clip: 'min' of shape (2, 1) must broadcast to the shape of x (2,) without enlarging it",
                e.getMessage());
    }

    @Test
    void clipMatchesReferenceForEveryNumericDType() {
        Random rnd = new Random(9);
        for (DType dtype : NUMERIC) {
            double[] x = randomValues(dtype, rnd, 24, false);
            double[] lo = randomValues(dtype, rnd, 4, false);
            double[] hi = randomValues(dtype, rnd, 3, false);
            double[] expected = new double[24];
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 4; k++) {
                        int flat = (i * 3 + j) * 4 + k;
                        expected[flat] = Math.min(Math.max(x[flat], lo[k]), hi[j]);
                    }
                }
            }
            Tensor out = Ops.clip(tensor(dtype, x, 2, 3, 4), tensor(dtype, lo, 4), tensor(dtype, hi, 3, 1));
            assertValues(expected, out, dtype, 2, 3, 4);
        }
    }

    @Test
    void selectBroadcastsAllThreeInputsForEveryDType() {
        Tensor cond = Tensors.of(new boolean[][] {{true}, {false}}); // (2, 1)
        for (DType dtype : DType.values()) {
            if (dtype == DType.STRING || dtype.isLowPrecision()) continue; // StringTensorTest selects strings
            if (dtype.isComplex()) continue; // ComplexTensorTest selects complex values
            double[] xv = dtype == DType.BOOL ? new double[] {1, 0, 1} : new double[] {1, 2, 3};
            Tensor x = tensor(dtype, xv, 3);
            Tensor y = tensor(dtype, new double[] {0}, 1, 1);
            double[] expected = {xv[0], xv[1], xv[2], 0, 0, 0};
            assertValues(expected, Ops.where(cond, x, y), dtype, 2, 3);
        }
        Tensor out = Ops.where(Tensors.scalar(false), Tensors.of(new double[] {1, 2}), 9.0);
        assertValues(new double[] {9, 9}, out, DType.FLOAT64, 2);
        Tensor c3 = Tensors.of(new boolean[] {true, false, true, false});
        Tensor x3 = tensor(DType.INT32, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
            19, 20, 21, 22, 23, 24}, 2, 3, 4);
        double[] expected = new double[24];
        for (int i = 0; i < 24; i++) expected[i] = i % 2 == 0 ? i + 1 : -1;
        assertValues(expected, Ops.where(c3, x3, -1), DType.INT32, 2, 3, 4);
    }

    @Test
    void emptyTensorsBroadcastToEmptyResults() {
        Tensor empty = Tensors.of(new float[0], 0, 3);
        Tensor row = Tensors.of(new float[] {1, 2, 3});
        assertEquals(Shape.of(0, 3), empty.sub(row).shape());
        assertEquals(Shape.of(0, 3), row.mul(empty).shape());
        assertEquals(Shape.of(0, 3), empty.greater(row).shape());
        assertEquals(DType.BOOL, empty.greater(row).dtype());
        assertEquals(Shape.of(0, 3), Ops.where(Tensors.of(new boolean[] {true, false, true}), empty, row).shape());
        assertEquals(Shape.of(0, 3), empty.clip(0f, 1f).shape());
        Tensor emptyInts = Tensors.of(new int[0], 0);
        assertEquals(Shape.of(0), emptyInts.div(emptyInts).shape());
        assertEquals(Shape.of(0), emptyInts.div(1).shape());
    }

    @Test
    void nonContiguousInputsAreRead() {
        Random rnd = new Random(11);
        for (DType dtype : NUMERIC) {
            double[] v = randomValues(dtype, rnd, 12, true);
            double[] w = randomValues(dtype, rnd, 12, true);
            Tensor t = tensor(dtype, v, 3, 4).transpose(); // (4, 3) strided view
            assertFalse(t.isDense());
            Tensor u = tensor(dtype, w, 4, 3);
            double[] tv = transposeValues(v, 3, 4);
            double[] expected = new double[12];
            for (int i = 0; i < 12; i++) expected[i] = store(MathOps.SUB, dtype, tv[i] - w[i]);
            assertClose(expected, t.sub(u), dtype, new int[] {4, 3}, dtype == DType.FLOAT32 ? 1e-6 : 0);
            double[] eq = new double[12];
            for (int i = 0; i < 12; i++) eq[i] = tv[i] < w[i] ? 1 : 0;
            assertValues(eq, t.less(u), DType.BOOL, 4, 3);
            Tensor sel = Ops.where(t.less(u), t, u);
            double[] min = new double[12];
            for (int i = 0; i < 12; i++) min[i] = Math.min(tv[i], w[i]);
            assertValues(min, sel, dtype, 4, 3);
            assertValues(min, t.minimum(u), dtype, 4, 3);
        }
    }

    @Test
    void facadeMethodsRunTheirOps() {
        Tensor a = Tensors.of(new double[] {6, -3});
        assertValues(new double[] {4, -5}, a.sub(2), DType.FLOAT64, 2);
        assertValues(new double[] {-4, 5}, Ops.sub(2, a), DType.FLOAT64, 2);
        assertValues(new double[] {12, -6}, Ops.mul(a, 2), DType.FLOAT64, 2);
        assertValues(new double[] {3, -1.5}, a.div(2), DType.FLOAT64, 2);
        assertValues(new double[] {0.5, -1}, Ops.div(3, a), DType.FLOAT64, 2);
        assertValues(new double[] {1, -1}, Ops.floorDiv(a, 4), DType.FLOAT64, 2);
        assertValues(new double[] {2, 1}, Ops.mod(a, 4), DType.FLOAT64, 2);
        assertValues(new double[] {36, 9}, Ops.pow(a, 2), DType.FLOAT64, 2);
        assertValues(new double[] {6, 0}, Ops.maximum(a, 0), DType.FLOAT64, 2);
        assertValues(new double[] {0, -3}, Ops.minimum(a, 0), DType.FLOAT64, 2);
        assertValues(new double[] {1, 0}, Ops.greater(a, 0), DType.BOOL, 2);
        assertValues(new double[] {1, 0}, a.greaterEqual(6), DType.BOOL, 2);
        assertValues(new double[] {0, 1}, Ops.less(a, 0), DType.BOOL, 2);
        assertValues(new double[] {0, 1}, a.lessEqual(-3), DType.BOOL, 2);
        assertValues(new double[] {1, 0}, Ops.equal(a, 6), DType.BOOL, 2);
        assertValues(new double[] {0, 1}, Ops.notEqual(a, 6), DType.BOOL, 2);
        assertValues(new double[] {1, 0}, Ops.logicalAnd(bools(true, true), bools(true, false)), DType.BOOL, 2);
        assertValues(new double[] {1, 1}, Ops.logicalXor(bools(true, false), bools(false, true)), DType.BOOL, 2);
        assertValues(new double[] {3}, Ops.add(1, 2), DType.INT32);
    }

    private static String cpuPart(String listing) { return listing.split("; ")[0]; }

    @Test
    void everyMathOpHasCpuKernelsForItsDTypes() {
        KernelRegistry r = KernelRegistry.global();
        for (OpDef op : List.of(MathOps.ADD, MathOps.SUB, MathOps.MUL, MathOps.DIV, MathOps.FLOOR_DIV, MathOps.MOD,
                MathOps.POW, MathOps.MAXIMUM, MathOps.MINIMUM, MathOps.GREATER, MathOps.LESS, MathOps.CLIP,
                MathOps.NEG, MathOps.ABS, MathOps.SIGN, MathOps.SQUARE)) {
            for (DType d : NUMERIC) assertTrue(r.has(op, CpuDevice.TYPE, d), op + " " + d);
        }
        // the CPU part of the listing (the test-only OFFHEAP device registers kernels for every op after it)
        assertEquals("CPU: bool", cpuPart(r.describe(MathOps.LOGICAL_AND)));
        // float16 and bfloat16 run the float32 kernels, widened by the registry
        assertEquals("CPU: float32, float64, float16, bfloat16", cpuPart(r.describe(MathOps.ERF)));
        assertEquals("CPU: float32, float64, int32, int64, uint8, bool, int8, int16, uint16, uint32, uint64, float16, "
                + "bfloat16, string, complex64, complex128, float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, "
                + "uint4, int4, float4_e2m1fn, uint2, int2",
                cpuPart(r.describe(MathOps.CAST)));
        for (OpDef op : List.of(MathOps.SIGN, MathOps.FLOOR, MathOps.CEIL, MathOps.ROUND, MathOps.FLOOR_DIV,
                MathOps.EQUAL, MathOps.NOT_EQUAL, MathOps.GREATER, MathOps.GREATER_EQUAL, MathOps.LESS,
                MathOps.LESS_EQUAL, MathOps.LOGICAL_AND, MathOps.LOGICAL_OR, MathOps.LOGICAL_XOR, MathOps.LOGICAL_NOT,
                MathOps.IS_NAN, MathOps.IS_FINITE)) {
            assertFalse(op.isDifferentiable(), op.name());
        }
        for (OpDef op : List.of(MathOps.ADD, MathOps.MOD, MathOps.POW, MathOps.CAST, MathOps.SELECT, MathOps.CLIP,
                MathOps.ERF)) {
            assertTrue(op.isDifferentiable(), op.name());
        }
        assertSame(MathOps.SELECT, OpRegistry.get("Select"));
    }

    @Test
    void errorsNameTheOpTheInputsAndTheRule() {
        Tensor f = Tensors.of(new float[] {1, 2, 3});
        Tensor i = Tensors.of(new int[] {1, 0, 3});
        assertEquals("Sub: inputs must have the same dtype, got float32(3,) and int32(3,) (cast one of them first)",
                assertThrows(OpException.class, () -> f.sub(i)).getMessage());
        assertEquals("Mul: input 'x' must be numeric (float32, float64, int32, int64, uint8), got bool(2,); cast "
                + "bools to a number first", assertThrows(OpException.class,
                        () -> bools(true, false).mul(bools(true, true))).getMessage());
        assertEquals("Maximum: shapes (3,) and (2,) cannot be broadcast: dimension -1 is 3 vs 2 (each pair must be "
                + "equal or one of them 1)", assertThrows(OpException.class,
                        () -> f.maximum(Tensors.of(new float[] {1, 2}))).getMessage());
        assertEquals("Div: integer division by zero: divisor y int32(3,) holds 0 at flat index 1",
                assertThrows(OpException.class, () -> Tensors.of(new int[] {4, 5, 6}).div(i)).getMessage());
        assertTrue(assertThrows(OpException.class, () -> Ops.floorDiv(Tensors.of(new long[] {1}), 0L))
                .getMessage().startsWith("FloorDiv: integer division by zero"));
        assertTrue(assertThrows(OpException.class, () -> tensor(DType.UINT8, new double[] {1}, 1).mod(
                tensor(DType.UINT8, new double[] {0}, 1))).getMessage().startsWith("Mod: integer division by zero"));
        assertEquals("Pow: integers cannot be raised to a negative power: exponent y int32() holds -1 at flat index 0;"
                + " cast to a float dtype first", assertThrows(OpException.class, () -> i.pow(-1)).getMessage());
        assertEquals("Greater: cannot order bool inputs bool(1,) and bool(1,); compare numbers, or use "
                + "Equal/NotEqual/LogicalXor for bools", assertThrows(OpException.class,
                        () -> bools(true).greater(bools(false))).getMessage());
        assertEquals("LogicalAnd: input 'y' has dtype float32 (float32(3,)), expected one of [bool]",
                assertThrows(OpException.class, () -> bools(true).logicalAnd(f)).getMessage());
        assertEquals("LogicalNot: input 'x' has dtype int32 (int32(3,)), expected one of [bool]",
                assertThrows(OpException.class, i::logicalNot).getMessage());
        assertEquals("Select: input 'condition' has dtype float32 (float32(3,)), expected one of [bool]",
                assertThrows(OpException.class, () -> Ops.where(f, f, f)).getMessage());
        assertEquals("Select: inputs must have the same dtype, got float32(3,) and int32(3,) (cast one of them "
                + "first)", assertThrows(OpException.class, () -> Ops.where(bools(true), f, i)).getMessage());
        assertEquals("Select: shapes (2,) and (3,) cannot be broadcast: dimension -1 is 2 vs 3 (each pair must be "
                + "equal or one of them 1)", assertThrows(OpException.class,
                        () -> Ops.where(bools(true, false), f, f)).getMessage());
        assertEquals("Clip: inputs must have the same dtype, got float32(3,) and int32(3,) (cast one of them first)",
                assertThrows(OpException.class, () -> Ops.clip(f, i, 1f)).getMessage());
        assertThrows(OpException.class, () -> Ops.run(MathOps.ADD, Attrs.EMPTY, f));
        assertEquals(DType.FLOAT32, scalar(DType.FLOAT32, 1).dtype());
    }

    @Test
    void shapeInferenceAcceptsUnknownDims() {
        TensorSpec x = TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3));
        TensorSpec row = TensorSpec.of(DType.FLOAT32, Shape.of(3));
        TensorSpec col = TensorSpec.of(DType.FLOAT32, Shape.of(-1, 1));
        TensorSpec cond = TensorSpec.of(DType.BOOL, Shape.of(-1));
        assertEquals(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3)),
                MathOps.SUB.infer(new TensorSpec[] {x, row}, Attrs.EMPTY)[0]);
        assertEquals(TensorSpec.of(DType.BOOL, Shape.of(-1, 3)),
                MathOps.LESS.infer(new TensorSpec[] {col, row}, Attrs.EMPTY)[0]);
        assertEquals(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3)),
                MathOps.CLIP.infer(new TensorSpec[] {x, col, row}, Attrs.EMPTY)[0]);
        assertEquals(TensorSpec.of(DType.FLOAT32, Shape.of(-1, 3)),
                MathOps.SELECT.infer(new TensorSpec[] {cond, x, row}, Attrs.EMPTY)[0]);
        assertEquals(TensorSpec.of(DType.INT64, Shape.of(-1, 3)),
                MathOps.CAST.infer(new TensorSpec[] {x}, Attrs.of("dtype", DType.INT64))[0]);
        assertEquals(TensorSpec.of(DType.BOOL, Shape.of(-1, 1)),
                MathOps.IS_NAN.infer(new TensorSpec[] {col}, Attrs.EMPTY)[0]);
    }

    private static List<Long> box(long[] v) { return java.util.Arrays.stream(v).boxed().toList(); }
}
