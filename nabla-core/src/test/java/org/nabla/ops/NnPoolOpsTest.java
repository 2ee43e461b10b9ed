package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.PoolOptions;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Output;
import org.nabla.runtime.SerialExecutor;

/** MaxPool and AvgPool (ONNX-style, channels first, 1-3 spatial dims) against plain float64 loops. */
class NnPoolOpsTest {
    // ---------------------------------------------------------------- reference

    /** The reference result: output shape, values, row-major and column-major argmax positions. */
    private record Ref(int[] shape, double[] values, long[] rowMajor, long[] colMajor) {}

    /**
     * Pooling straight from the ONNX definition: every output position visits every tap of its window, taps outside
     * the input are padding (never the max; counted by the average only with countIncludePad when inside the pads).
     */
    private static Ref reference(double[] x, int[] shape, PoolOptions o, boolean max) {
        int nd = shape.length - 2;
        int[] in = new int[nd], out = new int[nd], k = o.kernel();
        int[] s = o.strides().length == 0 ? ones(nd) : o.strides();
        int[] d = o.dilations().length == 0 ? ones(nd) : o.dilations();
        int[] pb = new int[nd], pe = new int[nd];
        for (int i = 0; i < nd; i++) {
            in[i] = shape[2 + i];
            int eff = (k[i] - 1) * d[i] + 1;
            if (o.padding().startsWith("SAME")) {
                out[i] = (in[i] + s[i] - 1) / s[i];
                int total = Math.max(0, (out[i] - 1) * s[i] + eff - in[i]);
                pb[i] = o.padding().equals("SAME") ? total / 2 : total - total / 2;
                pe[i] = total - pb[i];
                continue;
            }
            if (o.pads().length > 0) {
                pb[i] = o.pads()[i];
                pe[i] = o.pads()[nd + i];
            }
            double span = in[i] + pb[i] + pe[i] - eff;
            out[i] = (int) (o.ceilMode() ? Math.ceil(span / s[i]) : Math.floor(span / s[i])) + 1;
            if (o.ceilMode() && (out[i] - 1) * s[i] >= in[i] + pb[i]) out[i]--;
        }
        int planes = shape[0] * shape[1], inPlane = prod(in), outPlane = prod(out);
        double[] y = new double[planes * outPlane];
        long[] rm = new long[y.length], cm = new long[y.length];
        for (int p = 0; p < planes; p++) {
            for (int q = 0; q < outPlane; q++) {
                int[] oi = unravel(q, out);
                double best = Double.NaN, sum = 0;
                int arg = -1, valid = 0, padded = 0;
                for (int t = 0; t < prod(k); t++) {
                    int[] ti = unravel(t, k);
                    int[] pos = new int[nd];
                    boolean inside = true, inPads = true;
                    for (int i = 0; i < nd; i++) {
                        pos[i] = oi[i] * s[i] - pb[i] + ti[i] * d[i];
                        inside &= pos[i] >= 0 && pos[i] < in[i];
                        inPads &= pos[i] >= -pb[i] && pos[i] < in[i] + pe[i];
                    }
                    if (inPads) padded++;
                    if (!inside) continue;
                    int flat = 0;
                    for (int i = 0; i < nd; i++) flat = flat * in[i] + pos[i];
                    double v = x[p * inPlane + flat];
                    valid++;
                    sum += v;
                    if (arg < 0 || v > best || Double.isNaN(v) && !Double.isNaN(best)) {
                        best = v;
                        arg = flat;
                        int col = 0;
                        for (int i = nd - 1; i >= 0; i--) col = col * in[i] + pos[i];
                        cm[p * outPlane + q] = (long) p * inPlane + col;
                    }
                }
                rm[p * outPlane + q] = (long) p * inPlane + arg;
                y[p * outPlane + q] = max ? best : sum / (o.countIncludePad() ? padded : valid);
            }
        }
        int[] outShape = new int[shape.length];
        outShape[0] = shape[0];
        outShape[1] = shape[1];
        System.arraycopy(out, 0, outShape, 2, nd);
        return new Ref(outShape, y, rm, cm);
    }

    private static int[] ones(int n) {
        int[] v = new int[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    private static int prod(int[] v) {
        int n = 1;
        for (int x : v) n *= x;
        return n;
    }

    private static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = flat % dims[i];
            flat /= dims[i];
        }
        return idx;
    }

    private static final SplittableRandom RANDOM = new SplittableRandom(7);

    /** Distinct values in [-4, 4) (no ties, so the argmax is unique). */
    private static double[] values(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = RANDOM.nextDouble(-4, 4);
        return v;
    }

    private static Tensor tensor(DType dtype, int[] shape, double[] v) {
        return Ops.cast(Tensor.wrap(DType.FLOAT64, Shape.of(shape), v), dtype);
    }

    /** Both ops on random data of {@code shape} in both float dtypes and both storage orders, against the reference. */
    private static void check(int[] shape, PoolOptions o) {
        double[] x = values(prod(shape));
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            Tensor t = tensor(dtype, shape, x);
            double[] xs = t.toDoubleArray(); // the float32-rounded values for the float32 reference
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
            Ref max = reference(xs, shape, o, true);
            Tensor[] mp = Ops.maxPoolWithIndices(t, o);
            assertClose(max.values(), mp[0], dtype, max.shape(), 0);
            assertArrayEquals(max.rowMajor(), mp[1].toLongArray(), () -> "indices of " + o);
            assertEquals(DType.INT64, mp[1].dtype());
            assertArrayEquals(max.colMajor(), Ops.maxPoolWithIndices(t, o.storageOrder(1))[1].toLongArray());
            for (boolean include : new boolean[] {false, true}) {
                Ref avg = reference(xs, shape, o.countIncludePad(include), false);
                assertClose(avg.values(), Ops.avgPool(t, o.countIncludePad(include)), dtype, avg.shape(), tol);
            }
        }
    }

    // ---------------------------------------------------------------- values

    @Test
    void handWorked1d() {
        Tensor x = Tensor.wrap(DType.FLOAT64, Shape.of(1, 1, 5), new double[] {1, 3, 2, 5, 4});
        // kernel 2, stride 2, pads 1+1: windows [pad, 1], [3, 2], [5, 4]
        PoolOptions o = PoolOptions.of(2).strides(2).pads(1, 1);
        Tensor[] mp = Ops.maxPoolWithIndices(x, o);
        assertClose(new double[] {1, 3, 5}, mp[0], DType.FLOAT64, new int[] {1, 1, 3}, 0);
        assertArrayEquals(new long[] {0, 1, 3}, mp[1].toLongArray());
        assertClose(new double[] {1, 2.5, 4.5}, Ops.avgPool(x, o), DType.FLOAT64, new int[] {1, 1, 3}, 1e-15);
        assertClose(new double[] {0.5, 2.5, 4.5}, Ops.avgPool(x, o.countIncludePad(true)), DType.FLOAT64,
                new int[] {1, 1, 3}, 1e-15);
        // ceil mode: 5 + 2 - 2 = 5, ceil(5 / 2) + 1 = 4 but the 4th window would start at 5 = in + pad: dropped
        assertEquals(Shape.of(1, 1, 3), Ops.maxPool(x, o.ceilMode(true)).shape());
        // without pads, ceil mode keeps the window starting at 4: [4]
        assertClose(new double[] {3, 5, 4}, Ops.maxPool(x, PoolOptions.of(2).strides(2).ceilMode(true)),
                DType.FLOAT64, new int[] {1, 1, 3}, 0);
    }

    @Test
    void handWorked2dIndicesAndStorageOrder() {
        // [1, 2, 2, 3]: per channel a 2x3 plane; kernel 2x2 stride 1 -> 1x2 outputs per channel
        Tensor x = Tensor.wrap(DType.FLOAT32, Shape.of(1, 2, 2, 3), new float[] {1, 9, 2, 3, 4, 8, 6, 5, 4, 7, 3, 2});
        Tensor[] mp = Ops.maxPoolWithIndices(x, PoolOptions.of(2, 2));
        assertClose(new double[] {9, 9, 7, 5}, mp[0], DType.FLOAT32, new int[] {1, 2, 1, 2}, 0);
        assertArrayEquals(new long[] {1, 1, 9, 7}, mp[1].toLongArray());
        // column-major over (h, w): (h, w) -> h + w * 2 within a plane of 6; 9 at (0, 1) -> 2; in plane 1, 7 at
        // (1, 0) -> 6 + 1 and 5 at (0, 1) -> 6 + 2
        assertArrayEquals(new long[] {2, 2, 7, 8}, Ops.maxPoolWithIndices(x,
                PoolOptions.of(2, 2).storageOrder(1))[1].toLongArray());
    }

    @Test
    void tiesGoToTheFirstMaximumAndNanWins() {
        Tensor x = Tensor.wrap(DType.FLOAT64, Shape.of(1, 1, 4), new double[] {2, 2, Double.NaN, 1});
        Tensor[] mp = Ops.maxPoolWithIndices(x, PoolOptions.of(2));
        assertClose(new double[] {2, Double.NaN, Double.NaN}, mp[0], DType.FLOAT64, new int[] {1, 1, 3}, 0);
        assertArrayEquals(new long[] {0, 2, 2}, mp[1].toLongArray());
        Tensor neg = Tensor.wrap(DType.FLOAT32, Shape.of(1, 1, 2), new float[] {-3, -5});
        // padding never wins, even against negative values
        assertClose(new double[] {-3, -3, -5}, Ops.maxPool(neg, PoolOptions.of(2).pads(1, 1)), DType.FLOAT32,
                new int[] {1, 1, 3}, 0);
    }

    @Test
    void oneTwoAndThreeSpatialDimsAgainstTheReference() {
        check(new int[] {2, 3, 11}, PoolOptions.of(3).strides(2).pads(1, 2));
        check(new int[] {1, 2, 9}, PoolOptions.of(2).dilations(3).ceilMode(true));
        check(new int[] {2, 2, 7, 8}, PoolOptions.of(3, 2).strides(2, 3).pads(2, 0, 1, 1).ceilMode(true));
        check(new int[] {1, 3, 9, 7}, PoolOptions.of(2, 3).dilations(2, 2).strides(1, 2).pads(1, 2, 2, 1));
        check(new int[] {1, 1, 6, 6}, PoolOptions.of(3, 3).strides(2, 2).padding("SAME"));
        check(new int[] {1, 1, 6, 5}, PoolOptions.of(2, 2).strides(2, 2).padding("SAME_LOWER"));
        check(new int[] {1, 2, 5, 6}, PoolOptions.of(4, 1).padding("VALID"));
        check(new int[] {2, 2, 5, 6, 4}, PoolOptions.of(2, 3, 2).strides(2, 2, 1).pads(1, 1, 0, 0, 2, 1));
        check(new int[] {1, 1, 9, 9, 9}, PoolOptions.of(3, 2, 2).dilations(2, 3, 1).strides(3, 2, 2).ceilMode(true));
    }

    @Test
    void ceilModeWithDilationAndIndicesThroughPadding() {
        // each spatial rank with ceil mode, dilation and explicit padding together: the last window is cut short
        // by the input end and starts inside the padding's reach; indices in both storage orders
        check(new int[] {2, 3, 10}, PoolOptions.of(3).dilations(2).strides(3).pads(2, 1).ceilMode(true));
        check(new int[] {1, 2, 8, 9}, PoolOptions.of(2, 3).dilations(3, 2).strides(2, 2).pads(1, 2, 2, 1)
                .ceilMode(true));
        check(new int[] {1, 2, 6, 7, 5}, PoolOptions.of(2, 2, 3).dilations(2, 1, 2).strides(2, 3, 1)
                .pads(1, 1, 2, 1, 1, 1).ceilMode(true));
        // SAME_LOWER with dilation puts the odd padding element first; the windows at the start see mostly padding
        check(new int[] {1, 1, 9, 4, 6}, PoolOptions.of(3, 2, 2).dilations(2, 2, 3).strides(2, 1, 2)
                .padding("SAME_LOWER"));
        // a window whose only input element is the last one before the end padding
        Tensor x = Tensor.wrap(DType.FLOAT64, Shape.of(1, 1, 5), new double[] {5, 1, 2, 3, -4});
        Tensor[] mp = Ops.maxPoolWithIndices(x, PoolOptions.of(2).strides(2).pads(0, 1).ceilMode(true));
        assertClose(new double[] {5, 3, -4}, mp[0], DType.FLOAT64, new int[] {1, 1, 3}, 0);
        assertArrayEquals(new long[] {0, 3, 4}, mp[1].toLongArray());
    }

    @Test
    void bigInputRunsInParallelAndMatches() {
        check(new int[] {2, 8, 30, 31}, PoolOptions.of(3, 3).strides(2, 2).pads(1, 1, 1, 1));
    }

    @Test
    void integerMaxPoolKeepsItsDtype() {
        byte[] u = {(byte) 200, 3, 7, (byte) 255, 0, 1};
        Tensor x = Tensor.wrap(DType.UINT8, Shape.of(1, 1, 6), u);
        Tensor[] mp = Ops.maxPoolWithIndices(x, PoolOptions.of(2).strides(2));
        assertEquals(DType.UINT8, mp[0].dtype());
        assertArrayEquals(new long[] {200, 255, 1}, mp[0].toLongArray());
        assertArrayEquals(new long[] {0, 3, 5}, mp[1].toLongArray());
        Tensor i = Tensor.wrap(DType.INT32, Shape.of(1, 1, 2, 2), new int[] {-7, 16777217, 16777216, -1});
        Tensor y = Ops.maxPool(i, PoolOptions.of(2, 2));
        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(new long[] {16777217}, y.toLongArray());
        OpException e = assertThrows(OpException.class, () -> Ops.avgPool(i, PoolOptions.of(2, 2)));
        assertTrue(e.getMessage().contains("AvgPool") && e.getMessage().contains("bfloat16, float32 or float64"),
                e.getMessage());
    }

    @Test
    void emptyBatchAndNonContiguousInput() {
        Tensor empty = Tensor.wrap(DType.FLOAT32, Shape.of(0, 3, 4, 4), new float[0]);
        Tensor[] mp = Ops.maxPoolWithIndices(empty, PoolOptions.of(2, 2));
        assertEquals(Shape.of(0, 3, 3, 3), mp[0].shape());
        assertEquals(Shape.of(0, 3, 3, 3), mp[1].shape());
        assertEquals(Shape.of(0, 3, 2, 2), Ops.avgPool(empty, PoolOptions.of(2, 2).strides(2, 2)).shape());
        double[] v = values(2 * 5 * 3);
        Tensor nhw = Tensor.wrap(DType.FLOAT64, Shape.of(2, 5, 3), v);
        Tensor view = Ops.transpose(nhw, 0, 2, 1); // [2, 3, 5], not contiguous
        PoolOptions o = PoolOptions.of(2).pads(0, 1);
        double[] dense = view.toDoubleArray();
        Ref ref = reference(dense, new int[] {2, 3, 5}, o, true);
        assertClose(ref.values(), Ops.maxPool(view, o), DType.FLOAT64, ref.shape(), 0);
    }

    // ---------------------------------------------------------------- shapes and errors

    private static TensorSpec[] infer(OpDef op, PoolOptions o, DType dtype, int... shape) {
        return op.infer(new TensorSpec[] {TensorSpec.of(dtype, Shape.of(shape))}, op.resolveAttrs(
                o.attrs(op == NnOps.MAX_POOL)));
    }

    @Test
    void shapeInferenceKeepsUnknownDims() {
        TensorSpec[] s = infer(NnOps.MAX_POOL, PoolOptions.of(3, 3).strides(2, 2).pads(1, 1, 1, 1), DType.FLOAT32,
                -1, 3, -1, 9);
        assertEquals(Shape.of(-1, 3, -1, 5), s[0].shape());
        assertEquals(DType.INT64, s[1].dtype());
        assertEquals(Shape.of(-1, 3, -1, 5), s[1].shape());
        assertEquals(Shape.of(2, -1, 4), infer(NnOps.AVG_POOL, PoolOptions.of(2).strides(2).ceilMode(true),
                DType.FLOAT64, 2, -1, 7)[0].shape());
    }

    @Test
    void graphWithUnknownDimsRunsTheSameKernels() throws java.io.IOException {
        Tensor x = tensor(DType.FLOAT32, new int[] {2, 3, 6, 5}, values(180));
        PoolOptions o = PoolOptions.of(2, 3).strides(2, 1).pads(1, 0, 0, 1).ceilMode(true);
        Graph g = new Graph();
        Tensor[] out;
        Map<Output, Tensor> feeds = new HashMap<>();
        try (ExecutionContext.Scope scope = g.asDefault()) {
            Tensor ph = g.placeholder("x", DType.FLOAT32, Shape.of(-1, 3, -1, -1));
            feeds.put(g.outputOf(ph), x);
            Tensor[] mp = Ops.maxPoolWithIndices(ph, o);
            out = new Tensor[] {mp[0], mp[1], Ops.avgPool(ph, o)};
            assertEquals(Shape.of(-1, 3, -1, -1), out[0].shape());
        }
        List<Output> fetches = new ArrayList<>();
        for (Tensor t : out) fetches.add(g.outputOf(t));
        List<Tensor> got = SerialExecutor.run(g, feeds, fetches, List.of());
        Tensor[] eager = Ops.maxPoolWithIndices(x, o);
        assertArrayEquals(eager[0].toDoubleArray(), got.get(0).toDoubleArray());
        assertArrayEquals(eager[1].toLongArray(), got.get(1).toLongArray());
        assertArrayEquals(Ops.avgPool(x, o).toDoubleArray(), got.get(2).toDoubleArray());
        // the attributes survive the graph file
        Graph back = GraphIO.fromBytes(GraphIO.toBytes(g));
        Map<Output, Tensor> backFeeds = Map.of(back.outputOf(back.tensor("x")), x);
        List<Output> backFetches = fetches.stream().map(f -> back.outputOf(back.tensor(f.toString()))).toList();
        List<Tensor> again = SerialExecutor.run(back, backFeeds, backFetches, List.of());
        for (int i = 0; i < 3; i++) assertArrayEquals(got.get(i).toDoubleArray(), again.get(i).toDoubleArray());
    }

    private static void assertError(String expected, PoolOptions o, int... shape) {
        Tensor x = Tensor.wrap(DType.FLOAT32, Shape.of(shape), new float[prod(shape)]);
        for (boolean max : new boolean[] {true, false}) {
            OpException e = assertThrows(OpException.class, () -> {
                if (max) Ops.maxPool(x, o);
                else Ops.avgPool(x, o);
            });
            assertTrue(e.getMessage().startsWith(max ? "MaxPool: " : "AvgPool: "), e.getMessage());
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    @Test
    void badAttributesAreNamed() {
        assertError("kernel [2] has 1 entries but input (1, 1, 4, 4) has 2 spatial dims", PoolOptions.of(2),
                1, 1, 4, 4);
        assertError("1 to 3 spatial dims (rank 3 to 5), got shape (1, 4)", PoolOptions.of(2), 1, 4);
        assertError("1 to 3 spatial dims (rank 3 to 5), got shape (1, 1, 2, 2, 2, 2)", PoolOptions.of(1, 1, 1, 1),
                1, 1, 2, 2, 2, 2);
        assertError("strides must be >= 1, got [0, 1]", PoolOptions.of(2, 2).strides(0, 1), 1, 1, 4, 4);
        assertError("strides [1] must have one entry per spatial axis (2) or none",
                PoolOptions.of(2, 2).strides(1), 1, 1, 4, 4);
        assertError("dilations must be >= 1, got [1, -1]", PoolOptions.of(2, 2).dilations(1, -1), 1, 1, 4, 4);
        assertError("kernel entries must be >= 1, got [0, 2]", PoolOptions.of(0, 2), 1, 1, 4, 4);
        assertError("pads [1, 1] must have 4 entries", PoolOptions.of(2, 2).pads(1, 1), 1, 1, 4, 4);
        assertError("smaller than the window extent 3 (kernel 3, dilation 1) of spatial axis 0",
                PoolOptions.of(3).pads(3, 0), 1, 1, 8);
        assertError("smaller than the window extent 2 (kernel 2, dilation 1) of spatial axis 1",
                PoolOptions.of(2, 2).pads(0, 0, 0, -1), 1, 1, 4, 4);
        assertError("padding must be \"EXPLICIT\", \"VALID\", \"SAME\" or \"SAME_LOWER\", got \"FULL\"",
                PoolOptions.of(2).padding("FULL"), 1, 1, 4);
        assertError("pads [1, 1] are only allowed with padding \"EXPLICIT\"",
                PoolOptions.of(2).pads(1, 1).padding("SAME"), 1, 1, 4);
        assertError("input size 3 padded by 0+0 is smaller than the window extent 5 (kernel 3, dilation 2)",
                PoolOptions.of(3).dilations(2), 1, 1, 3);
        assertError("window 0 of spatial axis 0 covers only padding", PoolOptions.of(2).dilations(3).pads(2, 1),
                1, 1, 1);
        OpException e = assertThrows(OpException.class, () -> Ops.maxPool(Tensor.wrap(DType.FLOAT32,
                Shape.of(1, 1, 4), new float[4]), PoolOptions.of(2).storageOrder(2)));
        assertTrue(e.getMessage().contains("storageOrder must be 0 (row-major) or 1 (column-major), got 2"),
                e.getMessage());
    }
}
