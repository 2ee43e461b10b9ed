package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.Attrs;
import org.nabla.ops.PoolWindow;
import org.nabla.storage.Strided;

/**
 * Every pooling kernel: MaxPool2D, AvgPool2D and their gradients, MaxPool, AvgPool and AvgPoolGrad, and nn's
 * MaxPoolWithArgmax, ArgmaxScatter and ArgmaxGather (public for those). Data is viewed as [outer, spatial..., inner]:
 * channels-last input has one outer slice per image and a lane per channel; channels-first input with several channels
 * is moved channels-last first (two transposes cost less than windows of one lane), and with one channel is one slice
 * per image with one lane. {@link #forEachWindow} is the one window loop: it tabulates once per call, from the
 * geometry ({@link PoolWindow}), the valid taps of every window of a slice, row-major, and every slice reuses that
 * table. The kernels reduce over those taps: the maximum (a window's first maximum wins, a NaN wins over numbers,
 * padding never takes part; float32 is compared as is, whole vectors of channel lanes at a time, the other dtypes as
 * float64, exact for int32 and uint8), the average (summed in float64, divided by the valid taps or with
 * countIncludePad by the taps inside the explicit padding too), and the average's gradient (added back over the same
 * taps, one slice per task so tasks never add into one element). The max family's gradients go through the maxima's
 * positions: a scatter-add (MaxPool2DGrad, ArgmaxScatter) or a gather (MaxPool2DGradGrad, ArgmaxGather).
 */
public final class NnPooling {
    private NnPooling() {}

    // ---------------------------------------------------------------- kernels

    /**
     * MaxPool2D {maxima}, MaxPool {maxima, int64 positions as ONNX numbers them} and MaxPoolWithArgmax {maxima,
     * int32 flat positions}. The maxima keep the input's dtype bit for bit.
     */
    public static Tensor[] maxPool(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Shape out = ctx.outputSpec(0).shape();
        PoolWindow tiled = ctx.outputSpecs().length == 1 && x.data() instanceof float[]
                ? TiledMaxPool.applicable(ctx.op().name(), x.shape(), ctx.attrs()) : null;
        if (tiled != null) {
            float[] y = ctx.allocateFloats(out.intSize());
            TiledMaxPool.forward((float[]) x.data(), x.shape(), tiled, y);
            return new Tensor[] {Tensor.wrap(x.dtype(), out, y)};
        }
        Grid g = Grid.of(ctx.op().name(), x.shape(), ctx.attrs());
        boolean floating = x.data() instanceof float[] || x.data() instanceof double[];
        Object y = floating && !g.moved ? ctx.allocate(x.dtype().storage(), out.intSize()) : null; // all written
        int[] at = argmax(x, g, y);
        Tensor values = Tensor.wrap(x.dtype(), out, y != null ? y : Gathering.take(x.data(), at));
        if (ctx.outputSpecs().length == 1) return new Tensor[] {values};
        if (ctx.outputSpec(1).dtype() == DType.INT32) return new Tensor[] {values, Tensor.wrap(DType.INT32, out, at)};
        return new Tensor[] {values, Tensor.wrap(DType.INT64, out, onnxIndices(at, g,
                ctx.attrs().getInt("storageOrder") == 1))};
    }

    /** MaxPool2DGrad(input, grad): each output gradient added at its window's maximum. */
    static Tensor[] maxPool2dGrad(KernelContext ctx) {
        Tensor x = ctx.input(0);
        PoolWindow tiled = x.data() instanceof float[] && ctx.input(1).data() instanceof float[]
                ? TiledMaxPool.applicable(ctx.op().name(), x.shape(), ctx.attrs()) : null;
        if (tiled != null) {
            float[] dx = ctx.allocateFloats(x.shape().intSize());
            TiledMaxPool.backward((float[]) x.data(), x.shape(), tiled, (float[]) ctx.input(1).data(), dx);
            return new Tensor[] {Tensor.wrap(x.dtype(), x.shape(), dx)};
        }
        int[] at = argmax(x, Grid.of(ctx.op().name(), x.shape(), ctx.attrs()), null);
        return new Tensor[] {scatterAdd(ctx, ctx.input(1), at, x.shape())};
    }

    /** MaxPool2DGradGrad(input, grad): each output element takes grad at its window's maximum in input. */
    static Tensor[] maxPool2dGradGrad(KernelContext ctx) {
        Tensor x = ctx.input(0), grad = ctx.input(1);
        int[] at = argmax(x, Grid.of(ctx.op().name(), x.shape(), ctx.attrs()), null);
        return new Tensor[] {Tensor.wrap(grad.dtype(), ctx.outputSpec(0).shape(), Gathering.take(grad.data(), at))};
    }

    /** ArgmaxScatter(grad, argmax, like): zeros like {@code like} with grad[k] added at argmax[k]. */
    public static Tensor[] argmaxScatter(KernelContext ctx) {
        return new Tensor[] {scatterAdd(ctx, ctx.input(0), (int[]) ctx.input(1).data(), ctx.input(2).shape())};
    }

    /** ArgmaxGather(values, argmax): values.flat[argmax[k]], shaped like argmax. */
    public static Tensor[] argmaxGather(KernelContext ctx) {
        Tensor values = ctx.input(0), at = ctx.input(1);
        return new Tensor[] {Tensor.wrap(values.dtype(), at.shape(), Gathering.take(values.data(), (int[]) at.data()))};
    }

    /** AvgPool2D and AvgPool. */
    static Tensor[] avgPool(KernelContext ctx) {
        Tensor x = ctx.input(0);
        Grid g = Grid.of(ctx.op().name(), x.shape(), ctx.attrs());
        boolean includePad = countIncludePad(ctx.attrs());
        Object data = g.toLast(x.data(), x.dtype(), true);
        float[] xf = data instanceof float[] f ? f : null;
        double[] xd = xf == null ? (double[]) data : null, y = new double[g.outSize()];
        int inner = g.inner;
        forEachWindow(g, false, (in, o, taps, t0, t1, padded) -> {
            for (int t = t0; t < t1; t++) {
                int s = in + taps[t];
                if (xf != null) for (int l = 0; l < inner; l++) y[o + l] += xf[s + l];
                else for (int l = 0; l < inner; l++) y[o + l] += xd[s + l];
            }
            double divisor = includePad ? padded : t1 - t0;
            for (int l = 0; l < inner; l++) y[o + l] /= divisor;
        });
        return new Tensor[] {typed(g.toFirst(y, false), ctx.outputSpec(0).shape(), x.dtype())};
    }

    /** AvgPool2DGrad and AvgPoolGrad (grad, like): each output gradient spread over the taps it was divided by. */
    static Tensor[] avgPoolGrad(KernelContext ctx) {
        Tensor grad = ctx.input(0);
        Shape like = ctx.input(1).shape();
        Grid g = Grid.of(ctx.op().name(), like, ctx.attrs());
        boolean includePad = countIncludePad(ctx.attrs());
        double[] gy = (double[]) g.toLast(grad.toDoubleArray(), DType.FLOAT64, false), dx = new double[like.intSize()];
        int inner = g.inner;
        forEachWindow(g, true, (in, o, taps, t0, t1, padded) -> {
            double divisor = includePad ? padded : t1 - t0;
            for (int t = t0; t < t1; t++) {
                for (int l = 0, s = in + taps[t]; l < inner; l++) dx[s + l] += gy[o + l] / divisor;
            }
        });
        return new Tensor[] {typed(g.toFirst(dx, true), like, grad.dtype())};
    }

    private static boolean countIncludePad(Attrs a) { return a.has("countIncludePad") && a.getBool("countIncludePad"); }

    // ---------------------------------------------------------------- the window loop

    /** One spatial axis's tables, indexed by output position (see {@link PoolWindow.Axis}). */
    private record Axis(int in, int out, int dilation, int[] start, int[] t0, int[] t1, int[] padded) {
        static final Axis UNIT = new Axis(1, 1, 1, new int[] {0}, new int[] {0}, new int[] {1}, new int[] {1});

        static Axis of(PoolWindow.Axis a) {
            int n = a.out();
            int[] start = new int[n], t0 = new int[n], t1 = new int[n], padded = new int[n];
            for (int o = 0; o < n; o++) {
                start[o] = a.start(o);
                t0[o] = a.firstTap(o);
                t1[o] = a.endTap(o);
                padded[o] = a.paddedTaps(o);
            }
            return new Axis(a.in(), n, a.dilation(), start, t0, t1, padded);
        }

        int maxValidTaps() {
            int m = 0;
            for (int o = 0; o < out; o++) m = Math.max(m, t1[o] - t0[o]);
            return m;
        }
    }

    /**
     * The windows of one call over flat data [outer, d, h, w, inner] (missing leading spatial axes have size 1). A
     * slice is one outer index; its output rows are the positions (od, oh), each with a window per position ow. All
     * slices have the same windows at the same offsets. {@code moved}: the call's data is channels-first with several
     * channels, which the kernels read channels-last ({@link #toLast}, {@link #toFirst}).
     */
    private record Grid(Axis d, Axis h, Axis w, int outer, int inner, boolean moved) {
        static Grid of(String op, Shape input, Attrs a) {
            PoolWindow pw = PoolWindow.of(op, input, a);
            Axis[] t = {Axis.UNIT, Axis.UNIT, Axis.UNIT};
            for (int i = 0; i < pw.rank(); i++) t[3 - pw.rank() + i] = Axis.of(pw.axis(i));
            int n = input.dim(0), c = input.dim(pw.channelsLast() ? input.rank() - 1 : 1);
            boolean moved = !pw.channelsLast() && c > 1, last = moved || pw.channelsLast();
            return new Grid(t[0], t[1], t[2], last ? n : n * c, last ? c : 1, moved);
        }

        /** The spatial elements of input-shaped or of output-shaped data. */
        int spatial(boolean inputShaped) { return inputShaped ? d.in * h.in * w.in : rows() * w.out; }

        /** Data of the call [N, C, spatial...] as the kernels read it: [N, spatial..., C] when moved. */
        Object toLast(Object data, DType dtype, boolean inputShaped) {
            if (!moved) return data;
            int p = spatial(inputShaped);
            return Strided.denseCopy(data, 0, new int[] {outer, p, inner}, new int[] {inner * p, 1, p}, dtype.storage(),
                    outer * p * inner);
        }

        /** Results the kernels wrote channels-last, back in the call's layout. */
        double[] toFirst(double[] v, boolean inputShaped) {
            if (!moved) return v;
            int p = spatial(inputShaped);
            return (double[]) Strided.denseCopy(v, 0, new int[] {outer, inner, p}, new int[] {p * inner, 1, inner},
                    DType.Storage.DOUBLE, v.length);
        }

        /**
         * Positions in the moved data, in its output order, as positions in the channels-first input, in its output
         * order.
         */
        int[] toFirst(int[] at) {
            if (!moved) return at;
            int c = inner, p = spatial(true), q = spatial(false);
            int[] first = new int[at.length];
            for (int b = 0, k = 0; b < outer; b++) {
                for (int o = 0; o < q; o++) {
                    for (int ch = 0; ch < c; ch++, k++) {
                        first[(b * c + ch) * q + o] = (b * c + ch) * p + (at[k] - b * p * c) / c;
                    }
                }
            }
            return first;
        }

        int rows() { return d.out * h.out; }

        int inSlice() { return d.in * h.in * w.in * inner; }

        int outSize() { return outer * rows() * w.out * inner; }

        int maxRowTaps() { return w.out * d.maxValidTaps() * h.maxValidTaps() * w.maxValidTaps(); }

        /**
         * The windows of rows [r0, r1) of a slice: window q (row r0 + q / w.out, position q % w.out) has the valid
         * taps taps[ends[q], ends[q + 1]), row-major, each the offset of its first lane within the slice, and
         * padded[q] taps inside the input or its explicit padding.
         */
        Table table(int r0, int r1) {
            int windows = (r1 - r0) * w.out;
            int[] taps = new int[(r1 - r0) * maxRowTaps()], ends = new int[windows + 1], padded = new int[windows];
            int n = 0, q = 0;
            for (int r = r0; r < r1; r++) {
                int od = r / h.out, oh = r % h.out;
                for (int ow = 0; ow < w.out; ow++, q++) {
                    for (int kd = d.t0[od]; kd < d.t1[od]; kd++) {
                        for (int kh = h.t0[oh]; kh < h.t1[oh]; kh++) {
                            int row = ((d.start[od] + kd * d.dilation) * h.in + h.start[oh] + kh * h.dilation) * w.in;
                            for (int kw = w.t0[ow]; kw < w.t1[ow]; kw++) {
                                taps[n++] = (row + w.start[ow] + kw * w.dilation) * inner;
                            }
                        }
                    }
                    ends[q + 1] = n;
                    padded[q] = d.padded[od] * h.padded[oh] * w.padded[ow];
                }
            }
            return new Table(taps, ends, padded);
        }
    }

    /** The windows of some rows of a slice; see {@link Grid#table}. */
    private record Table(int[] taps, int[] ends, int[] padded) {}

    /**
     * One window of one slice: the slice's input starts at {@code in}, the window's output lanes at {@code o}, its
     * valid taps are {@code in + taps[t]} for t in [t0, t1), and {@code padded} counts its taps inside the padding too.
     */
    @FunctionalInterface
    private interface WindowBody {
        void window(int in, int o, int[] taps, int t0, int t1, int padded);
    }

    /** The most window taps a call tabulates at once: larger slices are walked in slabs of rows. */
    private static final int TABLE_LIMIT = 1 << 20;

    /**
     * The one window loop: hands every window of every slice to {@code body}, in parallel. The windows' taps are
     * tabulated once per call (per slab of rows, for huge slices) and shared by all slices. With {@code bySlice} a
     * task takes whole slices, for kernels that add into input elements (only one slice's windows share them).
     */
    private static void forEachWindow(Grid g, boolean bySlice, WindowBody body) {
        int rows = g.rows(), windows = g.w.out, inner = g.inner, inSlice = g.inSlice();
        int slab = (int) Math.max(1, Math.min(rows, TABLE_LIMIT / Math.max(1, g.maxRowTaps())));
        for (int r0 = 0; r0 < rows; r0 += slab) {
            int n = Math.min(slab, rows - r0), first = r0;
            Table t = g.table(r0, r0 + n);
            int per = bySlice ? n : 1; // rows per unit of parallel work: a slice's rows of this slab, or one row
            long work = (long) Math.max(1, t.ends[t.ends.length - 1] / n) * Math.max(1, inner) * per;
            Parallel.forRange(bySlice ? g.outer : g.outer * n, (int) Math.max(1, CpuNnKernels.GRAIN / work),
                    (from, to) -> {
                for (int u = from * per; u < to * per; u++) { // u = slice * n + row - r0
                    int p = u / n, q = u % n * windows, in = p * inSlice;
                    int o = ((p * rows + first + u % n) * windows) * inner;
                    for (int j = 0; j < windows; j++, q++, o += inner) {
                        body.window(in, o, t.taps, t.ends[q], t.ends[q + 1], t.padded[q]);
                    }
                }
            });
        }
    }

    // ---------------------------------------------------------------- max

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

    /**
     * The flat input position of every output's maximum, in the call's layout, writing the maxima into {@code y}
     * (float[] for float32 input, double[] for float64; not when the grid moved the data) unless it is null.
     */
    private static int[] argmax(Tensor x, Grid g, Object y) {
        int[] at = new int[g.outSize()];
        Object data = g.toLast(x.data() instanceof float[] || x.data() instanceof double[] ? x.data()
                : x.toDoubleArray(), x.data() instanceof float[] ? DType.FLOAT32 : DType.FLOAT64, true);
        float[] xf = data instanceof float[] f ? f : null, yf = y instanceof float[] f ? f : null;
        double[] xd = (double[]) (xf != null ? null : data);
        double[] yd = y instanceof double[] d ? d : null;
        forEachWindow(g, false, (in, o, taps, t0, t1, padded) -> {
            int lane = xf == null ? 0 : argmaxVectors(xf, in, taps, t0, t1, g.inner, o, at, yf);
            for (; lane < g.inner; lane++) {
                int m = xf != null ? argmax(xf, in + lane, taps, t0, t1) : argmax(xd, in + lane, taps, t0, t1);
                at[o + lane] = m;
                if (yf != null) yf[o + lane] = xf[m];
                else if (yd != null) yd[o + lane] = xd[m];
            }
        });
        return g.toFirst(at);
    }

    /** Whether {@code v} takes over from the running maximum {@code m}: it is larger, or the first NaN. */
    private static boolean wins(double v, double m) { return v > m || v != v && m == m; }

    /** The position of the maximum of x[at + taps[t]] over t in [t0, t1). */
    private static int argmax(float[] x, int at, int[] taps, int t0, int t1) {
        int m = at + taps[t0];
        for (int t = t0 + 1; t < t1; t++) if (wins(x[at + taps[t]], x[m])) m = at + taps[t];
        return m;
    }

    /** The float64 twin of {@link #argmax(float[], int, int[], int, int)}. */
    private static int argmax(double[] x, int at, int[] taps, int t0, int t1) {
        int m = at + taps[t0];
        for (int t = t0 + 1; t < t1; t++) if (wins(x[at + taps[t]], x[m])) m = at + taps[t];
        return m;
    }

    /**
     * {@link #argmax(Tensor, Grid, Object)} of one window for whole vectors of lanes, where "larger wins" alone is
     * enough: as long as the window holds no NaN. A NaN makes the sum of the window's values NaN (so do infinities of
     * both signs, which merely take the slower path); the vector holding it and all lanes after it are left to the
     * scalar loop, whose first lane this returns.
     */
    private static int argmaxVectors(float[] x, int in, int[] taps, int t0, int t1, int inner, int o, int[] at,
                                     float[] y) {
        if (F.length() != I.length()) return 0;
        int k = 0;
        for (int end = F.loopBound(inner); k < end; k += F.length()) {
            FloatVector m = FloatVector.fromArray(F, x, in + taps[t0] + k), sum = m;
            IntVector where = IOTA.add(in + taps[t0] + k);
            for (int t = t0 + 1; t < t1; t++) {
                FloatVector v = FloatVector.fromArray(F, x, in + taps[t] + k);
                VectorMask<Float> larger = v.compare(VectorOperators.GT, m);
                m = m.blend(v, larger);
                where = where.blend(IOTA.add(in + taps[t] + k), larger.cast(I));
                sum = sum.add(v);
            }
            if (sum.test(VectorOperators.IS_NAN).anyTrue()) return k;
            if (y != null) m.intoArray(y, o + k);
            where.intoArray(at, o + k);
        }
        return k;
    }

    /**
     * ONNX MaxPool's positions from flat channels-first ones: the same row-major, or with {@code columnMajor} the
     * spatial part column-major ({@code d + h * D + w * D * H}).
     */
    private static long[] onnxIndices(int[] at, Grid g, boolean columnMajor) {
        long[] idx = new long[at.length];
        int hw = g.h.in * g.w.in, plane = g.d.in * hw;
        for (int k = 0; k < at.length; k++) {
            int local = at[k] % plane, id = local / hw, ih = local / g.w.in % g.h.in, iw = local % g.w.in;
            idx[k] = columnMajor ? at[k] - local + id + (long) ih * g.d.in + (long) iw * g.d.in * g.h.in : at[k];
        }
        return idx;
    }

    /**
     * Zeros shaped like {@code like} with grad[k] added at position at[k], in the gradient's dtype. One image (first
     * dim) per task: a maximum's position never leaves its image.
     */
    private static Tensor scatterAdd(KernelContext ctx, Tensor grad, int[] at, Shape like) {
        int n = like.rank() == 0 ? 1 : Math.max(1, like.dim(0)), per = at.length / n;
        int size = like.intSize(), image = size / n;
        // recycled memory, zeroed here image by image (the task that scatters into an image zeros it first)
        Object dx = ctx.allocate(grad.dtype().storage(), size), g = grad.data();
        Parallel.forRange(n, Math.max(1, Broadcasting.GRAIN / Math.max(1, per)), (from, to) -> {
            int end = to == n ? at.length : to * per;
            int zeroEnd = to == n ? size : to * image;
            if (g instanceof float[] gf) {
                float[] d = (float[]) dx;
                java.util.Arrays.fill(d, from * image, zeroEnd, 0f);
                for (int k = from * per; k < end; k++) d[at[k]] += gf[k];
            } else {
                double[] gd = (double[]) g, d = (double[]) dx;
                java.util.Arrays.fill(d, from * image, zeroEnd, 0.0);
                for (int k = from * per; k < end; k++) d[at[k]] += gd[k];
            }
        });
        return Tensor.wrap(grad.dtype(), like, dx);
    }

    /** float64 results as a tensor of {@code dtype} (float32 or float64). */
    private static Tensor typed(double[] v, Shape shape, DType dtype) {
        if (dtype == DType.FLOAT64) return Tensor.wrap(DType.FLOAT64, shape, v);
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
        return Tensor.wrap(DType.FLOAT32, shape, f);
    }
}
