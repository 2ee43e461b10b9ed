package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;
import static org.nabla.TensorAssert.assertExact;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

class ReductionOpsTest {
    // ---------------------------------------------------------------- hand-worked cases

    @Test
    void reducesHandWorkedMatrix() {
        Tensor m = Tensors.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertClose(new double[] {21}, m.sum(), DType.FLOAT32, new int[0], 0);
        assertClose(new double[] {5, 7, 9}, m.sum(0), DType.FLOAT32, new int[] {3}, 0);
        assertClose(new double[] {6, 15}, m.sum(true, -1), DType.FLOAT32, new int[] {2, 1}, 0);
        assertClose(new double[] {2.5, 3.5, 4.5}, m.mean(0), DType.FLOAT32, new int[] {3}, 0);
        assertClose(new double[] {3, 6}, m.max(1), DType.FLOAT32, new int[] {2}, 0);
        assertClose(new double[] {1, 2, 3}, m.min(0), DType.FLOAT32, new int[] {3}, 0);
        assertClose(new double[] {720}, m.prod(), DType.FLOAT32, new int[0], 0);
        assertClose(new double[] {Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)),
                Math.log(Math.exp(4) + Math.exp(5) + Math.exp(6))}, m.logSumExp(1), DType.FLOAT32, new int[] {2}, 1e-6);
        assertEquals(Shape.of(1, 1), m.sum(true).shape());
    }

    @Test
    void logSumExpIsStableForLargeAndInfiniteValues() {
        Tensor big = Tensors.of(new double[] {1000, 1000});
        assertClose(new double[] {1000 + Math.log(2)}, big.logSumExp(), DType.FLOAT64, new int[0], 1e-12);
        Tensor small = Tensors.of(new float[] {-1000, -1000, -1000});
        assertClose(new double[] {-1000 + Math.log(3)}, small.logSumExp(), DType.FLOAT32, new int[0], 1e-6);
        Tensor inf = Tensors.of(new float[][] {{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, {1, Float.POSITIVE_INFINITY}});
        assertClose(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, inf.logSumExp(1), DType.FLOAT32,
                new int[] {2}, 0);
        assertClose(new double[] {1, Double.POSITIVE_INFINITY}, inf.logSumExp(0), DType.FLOAT32, new int[] {2}, 0);
    }

    @Test
    void integerAndBoolReductions() {
        Tensor i = Tensors.of(new int[][] {{1, 2, 4}, {-3, 7, 8}});
        assertExact(new long[] {-2, 9, 12}, i.sum(0), DType.INT32, 3);
        assertExact(new long[] {2, 4}, i.mean(1), DType.INT32, 2); // 7/3 = 2, 12/3 = 4 truncated
        assertExact(new long[] {-1}, Tensors.of(new int[] {-1, -2}).mean(), DType.INT32); // -3/2 truncates to -1
        assertExact(new long[] {8}, i.max(), DType.INT32);
        assertExact(new long[] {-3}, i.min(), DType.INT32);
        assertExact(new long[] {-1344}, i.prod(), DType.INT32);
        Tensor l = Tensors.of(new long[] {Long.MAX_VALUE - 1, 1});
        assertExact(new long[] {Long.MAX_VALUE}, l.sum(), DType.INT64);
        Tensor u = Tensors.of(new byte[] {(byte) 200, (byte) 100, 3});
        assertExact(new long[] {(200 + 100 + 3) & 0xff}, u.sum(), DType.UINT8); // wraps like TF
        assertExact(new long[] {200}, u.max(), DType.UINT8);
        assertExact(new long[] {101}, u.mean(), DType.UINT8);
        Tensor b = Tensors.of(new boolean[][] {{true, false}, {true, true}});
        assertArrayEquals(new boolean[] {false, true}, b.all(1).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true}, b.any(0).toBooleanArray());
        assertTrue(b.any().booleanValue());
        assertFalse(b.all().booleanValue());
        assertEquals(DType.BOOL, b.all().dtype());
    }

    @Test
    void emptyReductionsGiveIdentities() {
        Tensor e = Tensors.of(new float[0], 0, 3);
        assertClose(new double[] {0, 0, 0}, e.sum(0), DType.FLOAT32, new int[] {3}, 0);
        assertClose(new double[] {1, 1, 1}, e.prod(0), DType.FLOAT32, new int[] {3}, 0);
        double ninf = Double.NEGATIVE_INFINITY, inf = Double.POSITIVE_INFINITY;
        assertClose(new double[] {ninf, ninf, ninf}, e.max(0), DType.FLOAT32, new int[] {3}, 0);
        assertClose(new double[] {inf}, e.min(), DType.FLOAT32, new int[0], 0);
        assertClose(new double[] {Double.NaN}, e.mean(), DType.FLOAT32, new int[0], 0);
        assertClose(new double[] {ninf}, e.logSumExp(), DType.FLOAT32, new int[0], 0);
        assertEquals(Shape.of(0), e.sum(1).shape());
        assertEquals(Shape.of(0, 1), e.sum(true, 1).shape());
        assertExact(new long[] {Integer.MIN_VALUE}, Tensors.of(new int[0]).max(), DType.INT32);
        assertExact(new long[] {255}, Tensors.of(new byte[0]).min(), DType.UINT8);
        assertTrue(Tensors.of(new boolean[0]).all().booleanValue());
        assertFalse(Tensors.of(new boolean[0]).any().booleanValue());
    }

    @Test
    void scalarsReduceToThemselves() {
        Tensor s = Tensors.scalar(3.5f);
        assertClose(new double[] {3.5}, s.sum(), DType.FLOAT32, new int[0], 0);
        assertClose(new double[] {3.5}, s.max(true), DType.FLOAT32, new int[0], 0);
        assertClose(new double[] {3.5}, Ops.cumsum(Tensors.of(new float[] {3.5f}), 0), DType.FLOAT32, new int[] {1}, 0);
    }

    @Test
    void nanPropagatesThroughMaxAndMinOnRowsAndColumns() {
        float[] v = new float[100];
        for (int i = 0; i < v.length; i++) v[i] = i;
        v[37] = Float.NaN;
        assertTrue(Float.isNaN(Tensors.of(v).max().floatValue()));
        assertTrue(Float.isNaN(Tensors.of(v).min().floatValue()));
        Tensor cols = Tensors.of(v, 4, 25); // NaN at row 1, column 12
        float[] mx = cols.max(0).toFloatArray();
        assertTrue(Float.isNaN(mx[12]));
        assertEquals(99f, mx[24]);
    }

    // ---------------------------------------------------------------- float64 reference on random data

    private static double[] reference(double[] x, int[] dims, boolean[] mask, DoubleBinaryOperator f, double init) {
        int rank = dims.length;
        int outSize = 1;
        for (int i = 0; i < rank; i++) if (!mask[i]) outSize *= dims[i];
        double[] out = new double[outSize];
        java.util.Arrays.fill(out, init);
        int[] idx = new int[rank];
        for (int k = 0; k < x.length; k++) {
            int o = 0;
            for (int i = 0; i < rank; i++) if (!mask[i]) o = o * dims[i] + idx[i];
            out[o] = f.applyAsDouble(out[o], x[k]);
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < dims[i]) break;
                idx[i] = 0;
            }
        }
        return out;
    }

    /** A tensor of {@code dtype} from doubles (int64 through a long[] so no value is rounded). */
    static Tensor tensor(double[] xs, DType dtype) {
        if (dtype != DType.INT64) return Tensors.convert(xs, dtype);
        long[] l = new long[xs.length];
        for (int i = 0; i < xs.length; i++) l[i] = (long) xs[i];
        return Tensors.of(l);
    }

    private static boolean[] mask(int rank, int... axes) {
        boolean[] m = new boolean[rank];
        if (axes.length == 0) java.util.Arrays.fill(m, true);
        for (int a : axes) m[a < 0 ? a + rank : a] = true;
        return m;
    }

    @Test
    void matchesFloat64ReferenceForEveryAxisSetAndDtype() {
        Random rnd = new Random(7);
        int[] dims = {3, 4, 5, 6};
        int n = 360;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextInt(21) - 10 + (rnd.nextBoolean() ? 0.5 : 0);
        int[][] axesSets = {{}, {0}, {1}, {2}, {3}, {-1}, {0, 1}, {1, 2}, {0, 2}, {1, 3}, {0, 3}, {0, 2, 3}, {2, -1},
            {0, 1, 2, 3}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
            double[] xs = x.clone();
            if (dt.isInteger()) for (int i = 0; i < n; i++) xs[i] = Math.floor(xs[i]);
            Tensor t = tensor(xs, dt).reshape(dims);
            for (int[] axes : axesSets) {
                boolean[] m = mask(4, axes);
                int cnt = 1;
                for (int i = 0; i < 4; i++) if (m[i]) cnt *= dims[i];
                String what = dt + " axes " + java.util.Arrays.toString(axes);
                double[] sum = reference(xs, dims, m, Double::sum, 0);
                assertClose(sum, t.sum(axes).toDoubleArray(), 1e-5);
                assertClose(reference(xs, dims, m, Math::max, Double.NEGATIVE_INFINITY), t.max(axes).toDoubleArray(), 0);
                assertClose(reference(xs, dims, m, Math::min, Double.POSITIVE_INFINITY), t.min(axes).toDoubleArray(), 0);
                double[] mean = sum.clone();
                for (int i = 0; i < mean.length; i++) mean[i] = dt.isInteger() ? (long) (mean[i] / cnt) : mean[i] / cnt;
                assertClose(mean, t.mean(axes).toDoubleArray(), 1e-5);
                Tensor kept = t.sum(true, axes);
                assertEquals(4, kept.rank(), what);
                if (dt.isFloating()) {
                    double[] mx = reference(xs, dims, m, Math::max, Double.NEGATIVE_INFINITY);
                    double[] lse = reference(xs, dims, m, Double::sum, 0);
                    // lse reference: sum exp(x - max) per output, computed via a second pass over the same grouping
                    double[] s = reference(xs, dims, m, (acc, v) -> acc + Math.exp(v), 0);
                    for (int i = 0; i < lse.length; i++) lse[i] = Math.log(s[i]);
                    assertClose(lse, t.logSumExp(axes).toDoubleArray(), 1e-5);
                    assertClose(mx, t.max(axes).toDoubleArray(), 0);
                }
            }
        }
        // prod on small values to stay in range
        double[] small = new double[n];
        for (int i = 0; i < n; i++) small[i] = 0.9 + 0.2 * rnd.nextDouble();
        Tensor ps = Tensors.convert(small, DType.FLOAT64).reshape(dims);
        for (int[] axes : axesSets) {
            assertClose(reference(small, dims, mask(4, axes), (a, b) -> a * b, 1), ps.prod(axes).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void nonContiguousInputsMatchTheirDenseCopies() {
        Random rnd = new Random(3);
        float[] v = new float[6 * 7 * 8];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() * 4 - 2;
        Tensor t = Tensors.of(v, 6, 7, 8).transpose(2, 0, 1); // strided view of shape (8, 6, 7)
        Tensor d = t.dense();
        for (int[] axes : new int[][] {{}, {0}, {1}, {2}, {0, 2}, {1, 2}}) {
            assertClose(d.sum(axes).toDoubleArray(), t.sum(axes).toDoubleArray(), 1e-5);
            assertClose(d.max(axes).toDoubleArray(), t.max(axes).toDoubleArray(), 0);
            assertClose(d.logSumExp(true, axes).toDoubleArray(), t.logSumExp(true, axes).toDoubleArray(), 1e-6);
        }
        Tensor ti = Tensors.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose();
        assertExact(new long[] {5, 7, 9}, ti.sum(1), DType.INT32, 3);
        assertExact(new long[] {1, 1, 1}, ti.argmax(1), DType.INT64, 3);
        assertExact(new long[] {1, 3, 6, 4, 9, 15}, Ops.cumsum(ti, 0).transpose(), DType.INT32, 2, 3);
    }

    @Test
    void float32SumsOfAMillionElementsAreAccurate() {
        Random rnd = new Random(11);
        int n = 1_000_000;
        float[] v = new float[n];
        double ref = 0;
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat();
            ref += v[i];
        }
        Tensor t = Tensors.of(v);
        assertEquals(ref, t.sum().floatValue(), Math.abs(ref) * 2e-7);
        assertEquals(ref / n, t.mean().floatValue(), Math.abs(ref / n) * 2e-7);
        // the same elements as columns: reducing the leading axis accumulates rows
        Tensor cols = Tensors.of(v, 1000, 1000);
        double[] colRef = new double[1000];
        double[] rowRef = new double[1000];
        for (int i = 0; i < n; i++) {
            colRef[i % 1000] += v[i];
            rowRef[i / 1000] += v[i];
        }
        assertClose(colRef, cols.sum(0).toDoubleArray(), 2e-7);
        assertClose(rowRef, cols.sum(1).toDoubleArray(), 2e-7);
        float[] mx = cols.max(0).toFloatArray();
        float[] ref0 = new float[1000];
        java.util.Arrays.fill(ref0, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) ref0[i % 1000] = Math.max(ref0[i % 1000], v[i]);
        assertArrayEquals(ref0, mx);
    }

    // ---------------------------------------------------------------- argmax / argmin

    @Test
    void argMaxAndArgMinFollowTensorFlowAndNumPy() {
        Tensor m = Tensors.of(new float[][] {{1, 5, 5}, {7, 2, 7}});
        assertExact(new long[] {1, 0}, m.argmax(1), DType.INT64, 2);
        assertExact(new long[] {1, 0, 1}, m.argmax(0), DType.INT64, 3);
        assertExact(new long[] {0, 1}, Ops.argmin(m, -1, DType.INT32), DType.INT32, 2);
        Tensor nan = Tensors.of(new double[] {1, Double.NaN, 9, Double.NaN});
        assertExact(new long[] {1}, nan.argmax(0), DType.INT64);
        assertExact(new long[] {1}, nan.argmin(0), DType.INT64);
        assertExact(new long[] {2}, Tensors.of(new byte[] {1, (byte) 200, (byte) 250}).argmax(0), DType.INT64);
        assertExact(new long[] {0}, Tensors.of(new long[] {Long.MIN_VALUE, 0}).argmin(0), DType.INT64);
        assertFalse(ReductionOps.ARG_MAX.isDifferentiable());
        OpException e = assertThrows(OpException.class, () -> Tensors.of(new float[0]).argmax(0));
        assertTrue(e.getMessage().contains("empty axis"), e.getMessage());
        OpException t = assertThrows(OpException.class, () -> Ops.argmax(m, 0, DType.FLOAT32));
        assertTrue(t.getMessage().contains("outputType"), t.getMessage());
    }

    @Test
    void argMaxMatchesReferenceOnRandomData() {
        Random rnd = new Random(5);
        int a = 7, b = 9, c = 11;
        double[] x = new double[a * b * c];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextInt(10);
        Tensor t = Tensors.of(x, a, b, c);
        long[] ref = new long[a * c];
        for (int i = 0; i < a; i++) {
            for (int k = 0; k < c; k++) {
                int best = 0;
                for (int j = 1; j < b; j++) if (x[(i * b + j) * c + k] > x[(i * b + best) * c + k]) best = j;
                ref[i * c + k] = best;
            }
        }
        assertExact(ref, t.argmax(1), DType.INT64, a, c);
        assertExact(ref, Tensors.convert(x, DType.FLOAT32).reshape(a, b, c).argmax(-2), DType.INT64, a, c);
        assertExact(ref, Tensors.convert(x, DType.INT32).reshape(a, b, c).argmax(1), DType.INT64, a, c);
    }

    // ---------------------------------------------------------------- cumsum

    @Test
    void cumsumModes() {
        Tensor v = Tensors.of(new float[] {1, 2, 3, 4});
        assertClose(new double[] {1, 3, 6, 10}, v.cumsum(0), DType.FLOAT32, new int[] {4}, 0);
        assertClose(new double[] {0, 1, 3, 6}, Ops.cumsum(v, 0, true, false), DType.FLOAT32, new int[] {4}, 0);
        assertClose(new double[] {10, 9, 7, 4}, Ops.cumsum(v, 0, false, true), DType.FLOAT32, new int[] {4}, 0);
        assertClose(new double[] {9, 7, 4, 0}, Ops.cumsum(v, -1, true, true), DType.FLOAT32, new int[] {4}, 0);
        Tensor m = Tensors.of(new long[][] {{1, 2}, {3, 4}, {5, 6}});
        assertExact(new long[] {1, 2, 4, 6, 9, 12}, m.cumsum(0), DType.INT64, 3, 2);
        assertExact(new long[] {1, 3, 3, 7, 5, 11}, m.cumsum(1), DType.INT64, 3, 2);
        assertExact(new long[] {1, 3, 6}, Tensors.of(new int[] {1, 2, 3}).cumsum(0), DType.INT32, 3);
        assertClose(new double[] {1, 3, 6}, Tensors.of(new double[] {1, 2, 3}).cumsum(0), DType.FLOAT64, new int[] {3}, 0);
        assertExact(new long[] {200, 44}, Tensors.of(new byte[] {(byte) 200, 100}).cumsum(0), DType.UINT8, 2);
        assertEquals(Shape.of(0, 2), Tensors.of(new float[0], 0, 2).cumsum(1).shape());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badAxesAndDtypesAreNamed() {
        Tensor m = Tensors.of(new float[][] {{1, 2}, {3, 4}});
        OpException out = assertThrows(OpException.class, () -> m.sum(2));
        assertEquals("Sum: axis 2 is out of range for an input of rank 2 (shape (2, 2)); expected -2 <= axis < 2",
                out.getMessage());
        OpException neg = assertThrows(OpException.class, () -> m.max(-3));
        assertTrue(neg.getMessage().startsWith("Max: axis -3 is out of range"), neg.getMessage());
        OpException dup = assertThrows(OpException.class, () -> m.mean(1, -1));
        assertEquals("Mean: axis -1 is repeated in axes [1, -1] (input rank 2)", dup.getMessage());
        OpException scalar = assertThrows(OpException.class, () -> Tensors.scalar(1f).sum(0));
        assertTrue(scalar.getMessage().contains("rank 0"), scalar.getMessage());
        OpException bool = assertThrows(OpException.class, () -> Tensors.of(new boolean[] {true}).sum());
        assertTrue(bool.getMessage().startsWith("Sum: input 'x' must be numeric"), bool.getMessage());
        OpException any = assertThrows(OpException.class, () -> m.any());
        assertTrue(any.getMessage().startsWith("Any: input 'x' has dtype float32"), any.getMessage());
        OpException lse = assertThrows(OpException.class, () -> Tensors.of(new int[] {1}).logSumExp());
        assertTrue(lse.getMessage().startsWith("LogSumExp: input 'x' must be float16, bfloat16, float32 or float64"), lse.getMessage());
        OpException cum = assertThrows(OpException.class, () -> m.cumsum(5));
        assertTrue(cum.getMessage().startsWith("Cumsum: axis 5 is out of range"), cum.getMessage());
    }

    @Test
    void logSumExpMatchesReferenceOnWideRowsAndColumns() {
        Random rnd = new Random(13);
        int a = 40, b = 67;
        float[] v = new float[a * b];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * 5);
        double[] rows = new double[a], cols = new double[b];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                rows[i] += Math.exp(v[i * b + j]);
                cols[j] += Math.exp(v[i * b + j]);
            }
        }
        for (int i = 0; i < a; i++) rows[i] = Math.log(rows[i]);
        for (int j = 0; j < b; j++) cols[j] = Math.log(cols[j]);
        Tensor t = Tensors.of(v, a, b);
        assertClose(rows, t.logSumExp(1).toDoubleArray(), 1e-6);
        assertClose(cols, t.logSumExp(0).toDoubleArray(), 1e-6);
        assertClose(cols, t.transpose().logSumExp(1).toDoubleArray(), 1e-6);
        assertClose(rows, Ops.logSumExp(Tensors.convert(v, DType.FLOAT64).reshape(a, b), 1).toDoubleArray(), 1e-12);
    }

    @Test
    void reductionsOfPermutedAndSlicedViewsMatchDenseCopies() {
        Random rnd = new Random(17);
        float[] v = new float[4 * 50 * 33];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat();
        Tensor base = Tensors.of(v, 4, 50, 33);
        Tensor[] views = {base.transpose(1, 2, 0), base.transpose(2, 1, 0),
            Ops.stridedSlice(base, new int[] {0, 0, 0}, new int[] {4, 50, 33}, new int[] {1, -2, 3}, 7, 7, 0, 0, 0),
            base.slice(new int[] {1, 3, 2}, new int[] {2, 40, 30})};
        for (Tensor t : views) {
            Tensor d = t.dense();
            for (int[] axes : new int[][] {{}, {0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}}) {
                assertClose(d.sum(axes).toDoubleArray(), t.sum(axes).toDoubleArray(), 1e-6);
                assertClose(d.min(true, axes).toDoubleArray(), t.min(true, axes).toDoubleArray(), 0);
                assertEquals(d.mean(true, axes).shape(), t.mean(true, axes).shape());
                assertClose(d.argmax(axes.length == 0 ? 0 : axes[0]).toDoubleArray(),
                        t.argmax(axes.length == 0 ? 0 : axes[0]).toDoubleArray(), 0);
            }
        }
        Tensor iv = Tensors.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose();
        assertExact(new long[] {6, 15}, iv.sum(0), DType.INT64, 2);
        assertExact(new long[] {5, 7, 9}, iv.sum(true, 1), DType.INT64, 3, 1);
    }

    @Test
    void fullReductionsOfLongVectorsSplitAcrossThreads() {
        Random rnd = new Random(23);
        int n = 300_001;
        double[] x = new double[n];
        double sum = 0, max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY, prod = 1, sexp = 0;
        for (int i = 0; i < n; i++) {
            x[i] = (float) (1 + (rnd.nextDouble() - 0.5) * 1e-4); // exact in float32 too
            sum += x[i];
            max = Math.max(max, x[i]);
            min = Math.min(min, x[i]);
            prod *= x[i];
            sexp += Math.exp(x[i]);
        }
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor t = Tensors.convert(x, dt);
            double tol = dt == DType.FLOAT32 ? 2e-7 : 1e-12;
            assertClose(new double[] {sum}, t.sum().toDoubleArray(), tol);
            assertClose(new double[] {sum / n}, t.mean().toDoubleArray(), tol);
            assertClose(new double[] {max}, t.max().toDoubleArray(), 0);
            assertClose(new double[] {min}, t.min().toDoubleArray(), 0);
            assertClose(new double[] {prod}, t.prod().toDoubleArray(), dt == DType.FLOAT32 ? 1e-5 : 1e-10);
            assertClose(new double[] {Math.log(sexp)}, t.logSumExp().toDoubleArray(), tol);
        }
    }

    @Test
    void uint8ReductionsMatchReferenceModulo256() {
        Random rnd = new Random(29);
        int[] dims = {5, 7, 9};
        byte[] b = new byte[5 * 7 * 9];
        rnd.nextBytes(b);
        double[] x = new double[b.length];
        for (int i = 0; i < b.length; i++) x[i] = b[i] & 0xff;
        Tensor t = Tensor.wrap(DType.UINT8, Shape.of(dims), b.clone());
        for (int[] axes : new int[][] {{}, {0}, {1}, {2}, {0, 2}, {1, 2}}) {
            boolean[] m = mask(3, axes);
            int cnt = 1;
            for (int i = 0; i < 3; i++) if (m[i]) cnt *= dims[i];
            double[] sum = reference(x, dims, m, Double::sum, 0);
            double[] wrapped = new double[sum.length], mean = new double[sum.length];
            for (int i = 0; i < sum.length; i++) {
                wrapped[i] = (long) sum[i] & 0xff;
                mean[i] = (long) sum[i] / cnt;
            }
            assertClose(wrapped, t.sum(axes).toDoubleArray(), 0);
            assertClose(mean, t.mean(axes).toDoubleArray(), 0);
            assertClose(reference(x, dims, m, Math::max, 0), t.max(axes).toDoubleArray(), 0);
            assertClose(reference(x, dims, m, Math::min, 255), t.min(axes).toDoubleArray(), 0);
            assertEquals(DType.UINT8, t.sum(axes).dtype());
        }
    }

    @Test
    void tallNarrowColumnReductionsSplitRowsAcrossThreads() {
        Random rnd = new Random(31);
        int rows = 20_000, cols = 9;
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        double[] sum = new double[cols], sexp = new double[cols];
        double[] max = new double[cols], min = new double[cols];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        for (int i = 0; i < v.length; i++) {
            int c = i % cols;
            sum[c] += v[i];
            sexp[c] += Math.exp(v[i]);
            max[c] = Math.max(max[c], v[i]);
            min[c] = Math.min(min[c], v[i]);
        }
        Tensor t = Tensors.of(v, rows, cols);
        double[] mean = new double[cols], lse = new double[cols];
        for (int c = 0; c < cols; c++) {
            mean[c] = sum[c] / rows;
            lse[c] = Math.log(sexp[c]);
        }
        assertClose(sum, t.sum(0).toDoubleArray(), 1e-5);
        assertClose(mean, t.mean(0).toDoubleArray(), 1e-5);
        assertClose(max, t.max(0).toDoubleArray(), 0);
        assertClose(min, t.min(0).toDoubleArray(), 0);
        assertClose(lse, t.logSumExp(0).toDoubleArray(), 1e-6);
    }
}
