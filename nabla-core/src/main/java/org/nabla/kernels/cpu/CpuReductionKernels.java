package org.nabla.kernels.cpu;

import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.cpu.ReduceLoops.Op;
import org.nabla.kernels.cpu.ReduceLoops.Plan;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.ReductionOps;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/** CPU kernels for {@link ReductionOps}; the loops live in {@link ReduceLoops}. */
public final class CpuReductionKernels {
    private CpuReductionKernels() {}

    private static final List<DType> INTS = Arrays.stream(DType.values()).filter(DType::isInteger).toList();

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        reduction(r, ReductionOps.SUM, Op.SUM, INTS);
        reduction(r, ReductionOps.MEAN, Op.MEAN, INTS);
        reduction(r, ReductionOps.MAX, Op.MAX, INTS);
        reduction(r, ReductionOps.MIN, Op.MIN, INTS);
        reduction(r, ReductionOps.PROD, Op.PROD, INTS);
        reduction(r, ReductionOps.LOG_SUM_EXP, Op.LSE, List.of());
        String cpu = CpuDevice.TYPE;
        r.register(ReductionOps.ANY, cpu, DType.BOOL, ctx ->
                reduce(ctx.input(0), ctx.attrs(), ctx.outputSpec(0), Op.MAX, "Any"), true);
        r.register(ReductionOps.ALL, cpu, DType.BOOL, ctx ->
                reduce(ctx.input(0), ctx.attrs(), ctx.outputSpec(0), Op.MIN, "All"), true);
        // float16/bfloat16 run the float32 kernels, widened by the registry
        for (DType d : Arrays.stream(DType.values()).filter(d -> d.isNumeric() && !d.isHalfPrecision()
                && !d.isComplex()).toList()) {
            r.register(ReductionOps.ARG_MAX, cpu, d, ctx ->
                    argExtreme(ctx.input(0), ctx.attrs(), ctx.outputSpec(0), true));
            r.register(ReductionOps.ARG_MIN, cpu, d, ctx ->
                    argExtreme(ctx.input(0), ctx.attrs(), ctx.outputSpec(0), false));
            r.register(ReductionOps.CUMSUM, cpu, d, ctx -> cumsum(ctx.input(0), ctx.attrs()));
        }
    }

    private static void reduction(KernelRegistry r, OpDef def, Op op, List<DType> ints) {
        String cpu = CpuDevice.TYPE;
        r.register(def, cpu, DType.FLOAT32, ctx ->
                reduce(ctx.input(0), ctx.attrs(), ctx.outputSpec(0), op, def.name()), true);
        r.register(def, cpu, DType.FLOAT64, ctx ->
                reduce(ctx.input(0), ctx.attrs(), ctx.outputSpec(0), op, def.name()), true);
        for (DType d : ints) r.register(def, cpu, d, ctx ->
                reduce(ctx.input(0), ctx.attrs(), ctx.outputSpec(0), op, def.name()), true);
    }

    private static Tensor[] reduce(Tensor x, Attrs attrs, TensorSpec out, Op op, String name) {
        boolean[] mask = ReductionOps.reducedAxes(name, x.shape(), attrs.getInts("axes"));
        DType dtype = x.dtype();
        Shape shape = out.shape();
        int n = shape.intSize();
        if (x.size() == 0 || n == 0) return new Tensor[] {Tensor.wrap(dtype, shape, filled(dtype, n, op))};
        return new Tensor[] {Tensor.wrap(dtype, shape, reduceData(x, mask, op))};
    }

    /** The reduced values, row-major over the kept axes in their input order. */
    private static Object reduceData(Tensor x, boolean[] mask, Op op) {
        if (!x.isDense()) {
            Object z = reducePermuted(x, mask, op);
            if (z != null) return z;
        }
        DType dtype = x.dtype();
        int[] dims = x.shape().dims();
        if (dtype.isFloating() && !ReduceLoops.isSimple(dims, mask)) {
            // Several separate runs of reduced axes (e.g. axes 0 and 2 of a 3-d tensor): reduce the last run first,
            // keeping it as size-1 axes, then the rest. Every float reduction composes this way (a mean of equal-size
            // means is the mean; a logSumExp of logSumExps is the logSumExp), and no input copy is needed.
            int end = dims.length - 1;
            while (!mask[end] || dims[end] == 1) end--;
            int start = end;
            while (start > 0 && (mask[start - 1] || dims[start - 1] == 1)) start--;
            boolean[] last = new boolean[dims.length];
            int[] kept = dims.clone();
            for (int i = start; i <= end; i++) {
                last[i] = mask[i];
                if (mask[i]) kept[i] = 1;
            }
            Tensor partial = Tensor.wrap(dtype, Shape.of(kept), reduceData(x, last, op));
            return reduceData(partial, mask, op);
        }
        return switch (dtype.storage()) {
            case FLOAT -> ReduceLoops.reduceFloat(ReduceLoops.plan(x, mask), op);
            case DOUBLE -> ReduceLoops.reduceDouble(ReduceLoops.plan(x, mask), op);
            case INT -> dtype == DType.INT32 && op != Op.MEAN ? ReduceLoops.reduceInt(ReduceLoops.plan(x, mask), op)
                    : narrow(ReduceLoops.reduceLong(widen(ReduceLoops.plan(x, mask), dtype), op), dtype);
            default -> {
                Plan p = ReduceLoops.plan(x, mask);
                if (dtype == DType.UINT64 && (op == Op.MAX || op == Op.MIN)) {
                    // Unsigned order is signed order with the sign bit flipped, on the way in and out.
                    long[] v = (long[]) widen(p, dtype).data();
                    for (int i = 0; i < v.length; i++) v[i] ^= Long.MIN_VALUE;
                    long[] z = ReduceLoops.reduceLong(new Plan(v, p.outer(), p.red(), p.inner()), op);
                    for (int i = 0; i < z.length; i++) z[i] ^= Long.MIN_VALUE;
                    yield z;
                }
                if (dtype == DType.UINT64 && op == Op.MEAN) {
                    // The 64-bit sum (wrapping past 2^64, as int64's does past 2^63) divided as unsigned.
                    long[] z = ReduceLoops.reduceLong(p, Op.SUM);
                    for (int i = 0; i < z.length; i++) z[i] = Long.divideUnsigned(z[i], p.red());
                    yield z;
                }
                yield narrow(ReduceLoops.reduceLong(dtype == DType.INT64 ? p : widen(p, dtype), op), dtype);
            }
        };
    }

    /** The plan's data as a fresh long[] (integers by value, uint64 as its bits, bool as 0/1). */
    private static Plan widen(Plan p, DType dtype) {
        Tensor t = Tensor.wrap(dtype, Shape.of(p.outer(), p.red(), p.inner()), p.data());
        return new Plan(t.toLongArray(), p.outer(), p.red(), p.inner());
    }

    /**
     * A view that is a permutation of a dense block (a transpose) is reduced in storage order, without copying the
     * input; only the (smaller) result is permuted back. Returns null for other layouts.
     */
    private static Object reducePermuted(Tensor x, boolean[] mask, Op op) {
        int rank = x.rank();
        int[] dims = x.shape().dims(), strides = x.strides();
        Integer[] order = new Integer[rank];
        for (int i = 0; i < rank; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(Math.abs(strides[b]), Math.abs(strides[a])));
        long expected = 1;
        for (int k = rank - 1; k >= 0; k--) {
            int a = order[k];
            if (dims[a] == 1) continue;
            if (strides[a] != expected) return null;
            expected *= dims[a];
        }
        int[] pd = new int[rank];
        boolean[] pm = new boolean[rank];
        int kept = 0;
        for (int k = 0; k < rank; k++) {
            pd[k] = dims[order[k]];
            pm[k] = mask[order[k]];
            if (!pm[k]) kept++;
        }
        Shape ps = Shape.of(pd);
        Object reduced = reduceData(Tensor.view(x, ps, x.offset(), ps.contiguousStrides()), pm, op);
        // reduced holds the kept axes in storage order; view it in input order and copy.
        int[] td = new int[kept], axisAt = new int[rank];
        for (int k = 0, t = 0; k < rank; k++) {
            if (!pm[k]) {
                td[t] = pd[k];
                axisAt[order[k]] = t++;
            }
        }
        Shape ts = Shape.of(td);
        int[] tstr = ts.contiguousStrides();
        int[] od = new int[kept], os = new int[kept];
        for (int a = 0, t = 0; a < rank; a++) {
            if (!mask[a]) {
                od[t] = dims[a];
                os[t++] = tstr[axisAt[a]];
            }
        }
        Tensor t = Tensor.wrap(x.dtype(), ts, reduced);
        return Tensor.view(t, Shape.of(od), 0, os).dense().data();
    }

    /** The result of reducing nothing: the identity of the op (NaN for a float mean, 0 for an integer mean). */
    private static Object filled(DType dtype, int n, Op op) {
        Object z = Strided.allocate(dtype.storage(), n);
        boolean max = op == Op.MAX;
        switch (z) {
            case float[] a -> Arrays.fill(a, (float) floatIdentity(op));
            case double[] a -> Arrays.fill(a, floatIdentity(op));
            default -> { // integers and bool: Max starts at the dtype's smallest value, Min at its largest
                long v = op == Op.PROD ? 1 : max ? lowest(dtype) : op == Op.MIN ? highest(dtype) : 0;
                long[] filled = new long[n];
                Arrays.fill(filled, v);
                z = narrow(filled, dtype);
            }
        }
        return z;
    }

    private static long lowest(DType dtype) {
        return dtype.isUnsigned() || dtype == DType.BOOL ? 0 : -1L << (8 * dtype.byteSize() - 1);
    }

    /** The largest value's bits (all ones for uint64). */
    private static long highest(DType dtype) {
        if (dtype == DType.BOOL) return 1;
        int bits = 8 * dtype.byteSize() - (dtype.isUnsigned() ? 0 : 1);
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    private static double floatIdentity(Op op) {
        return switch (op) {
            case SUM -> 0;
            case MEAN -> Double.NaN;
            case PROD -> 1;
            case MAX, LSE -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    /** 64-bit results narrowed to the dtype's storage, wrapping as a C cast does. */
    static Object narrow(long[] v, DType dtype) {
        return switch (dtype.storage()) {
            case LONG -> v;
            case INT -> { int[] a = new int[v.length]; for (int i = 0; i < v.length; i++) a[i] = (int) v[i]; yield a; }
            case BYTE -> { byte[] a = new byte[v.length]; for (int i = 0; i < v.length; i++) a[i] = (byte) v[i]; yield a; }
            case SHORT -> { short[] a = new short[v.length]; for (int i = 0; i < v.length; i++) a[i] = (short) v[i]; yield a; }
            default -> throw new IllegalStateException(dtype.toString());
        };
    }

    /** Sizes of the axes before, at and after {@code axis}. */
    static int[] around(Shape s, int axis) {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s.dim(i);
        for (int i = axis + 1; i < s.rank(); i++) inner *= s.dim(i);
        return new int[] {outer, s.dim(axis), inner};
    }

    /**
     * ArgMax/ArgMin as {@code [outer, n, inner]}: whole input rows are compared against a row of best values, so
     * reducing a leading axis streams memory instead of walking it with stride {@code inner}. Floats keep the first
     * NaN (NaN wins); ties keep the first index.
     */
    private static Tensor[] argExtreme(Tensor x, Attrs attrs, TensorSpec out, boolean max) {
        int rank = x.rank();
        int axis = attrs.getInt("axis") < 0 ? attrs.getInt("axis") + rank : attrs.getInt("axis");
        int[] g = around(x.shape(), axis);
        int n = g[1], inner = g[2];
        long[] idx = new long[g[0] * inner];
        Object data = x.data();
        double[] dv = data instanceof double[] d ? d : null;
        float[] fv = data instanceof float[] f ? f : null;
        long[] lv = fv == null && dv == null ? x.toLongArray() : null;
        if (lv != null && x.dtype() == DType.UINT64) for (int i = 0; i < lv.length; i++) lv[i] ^= Long.MIN_VALUE;
        if (inner == 1) {
            Parallel.forRange(g[0], Math.max(1, Broadcasting.GRAIN / Math.max(1, n)), (from, to) -> {
                for (int o = from; o < to; o++) idx[o] = argRow(fv, dv, lv, o * n, n, max);
            });
            return new Tensor[] {Tensor.wrap(out.dtype(), out.shape(), narrow(idx, out.dtype()))};
        }
        ReduceLoops.forOutputs(new Plan(null, g[0], n, inner), (o, from, to) -> {
            int len = to - from, zb = o * inner + from, b0 = o * n * inner + from;
            double[] best = lv == null ? new double[len] : null;
            long[] bestL = lv == null ? null : new long[len];
            for (int i = 0; i < len; i++) {
                if (fv != null) best[i] = fv[b0 + i];
                else if (dv != null) best[i] = dv[b0 + i];
                else bestL[i] = lv[b0 + i];
            }
            for (int j = 1; j < n; j++) {
                int b = b0 + j * inner;
                if (fv != null) {
                    for (int i = 0; i < len; i++) {
                        float v = fv[b + i];
                        double c = best[i];
                        if ((max ? v > c : v < c) || (v != v && c == c)) { best[i] = v; idx[zb + i] = j; }
                    }
                } else if (dv != null) {
                    for (int i = 0; i < len; i++) {
                        double v = dv[b + i], c = best[i];
                        if ((max ? v > c : v < c) || (v != v && c == c)) { best[i] = v; idx[zb + i] = j; }
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        long v = lv[b + i];
                        if (max ? v > bestL[i] : v < bestL[i]) { bestL[i] = v; idx[zb + i] = j; }
                    }
                }
            }
        });
        return new Tensor[] {Tensor.wrap(out.dtype(), out.shape(), narrow(idx, out.dtype()))};
    }

    /** The arg-extreme of one contiguous row; exactly one of {@code fv, dv, lv} is non-null. */
    private static int argRow(float[] fv, double[] dv, long[] lv, int base, int n, boolean max) {
        int best = 0;
        if (fv != null) {
            float b = fv[base];
            for (int j = 1; j < n && b == b; j++) {
                float v = fv[base + j];
                if ((max ? v > b : v < b) || v != v) { b = v; best = j; }
            }
        } else if (dv != null) {
            double b = dv[base];
            for (int j = 1; j < n && b == b; j++) {
                double v = dv[base + j];
                if ((max ? v > b : v < b) || v != v) { b = v; best = j; }
            }
        } else {
            long b = lv[base];
            for (int j = 1; j < n; j++) {
                long v = lv[base + j];
                if (max ? v > b : v < b) { b = v; best = j; }
            }
        }
        return best;
    }

    private static Tensor[] cumsum(Tensor x, Attrs attrs) {
        int rank = x.rank();
        int axis = attrs.getInt("axis") < 0 ? attrs.getInt("axis") + rank : attrs.getInt("axis");
        boolean exclusive = attrs.getBool("exclusive"), reverse = attrs.getBool("reverse");
        int[] g = around(x.shape(), axis);
        int outer = g[0], n = g[1], inner = g[2];
        Object data = x.data();
        Object z;
        if (data instanceof float[] f) {
            float[] r = new float[f.length];
            Parallel.forRange(outer, Math.max(1, Broadcasting.GRAIN / Math.max(1, n * inner)), (from, to) -> {
                float[] acc = new float[inner];
                for (int o = from; o < to; o++) {
                    if (inner == 1) { // one running scalar per row
                        int b = o * n, step = reverse ? -1 : 1;
                        float a = 0;
                        for (int k = 0, p = reverse ? b + n - 1 : b; k < n; k++, p += step) {
                            float v = f[p];
                            if (exclusive) { r[p] = a; a += v; } else { a += v; r[p] = a; }
                        }
                        continue;
                    }
                    Arrays.fill(acc, 0);
                    for (int k = 0; k < n; k++) {
                        int b = (o * n + (reverse ? n - 1 - k : k)) * inner;
                        for (int i = 0; i < inner; i++) {
                            float v = f[b + i];
                            if (exclusive) { r[b + i] = acc[i]; acc[i] += v; } else { acc[i] += v; r[b + i] = acc[i]; }
                        }
                    }
                }
            });
            z = r;
        } else if (data instanceof double[] f) {
            double[] r = new double[f.length];
            Parallel.forRange(outer, Math.max(1, Broadcasting.GRAIN / Math.max(1, n * inner)), (from, to) -> {
                double[] acc = new double[inner];
                for (int o = from; o < to; o++) {
                    if (inner == 1) { // one running scalar per row
                        int b = o * n, step = reverse ? -1 : 1;
                        double a = 0;
                        for (int k = 0, p = reverse ? b + n - 1 : b; k < n; k++, p += step) {
                            double v = f[p];
                            if (exclusive) { r[p] = a; a += v; } else { a += v; r[p] = a; }
                        }
                        continue;
                    }
                    Arrays.fill(acc, 0);
                    for (int k = 0; k < n; k++) {
                        int b = (o * n + (reverse ? n - 1 - k : k)) * inner;
                        for (int i = 0; i < inner; i++) {
                            double v = f[b + i];
                            if (exclusive) { r[b + i] = acc[i]; acc[i] += v; } else { acc[i] += v; r[b + i] = acc[i]; }
                        }
                    }
                }
            });
            z = r;
        } else {
            long[] f = x.toLongArray();
            long[] r = new long[f.length];
            long[] acc = new long[inner];
            for (int o = 0; o < outer; o++) {
                Arrays.fill(acc, 0);
                for (int k = 0; k < n; k++) {
                    int b = (o * n + (reverse ? n - 1 - k : k)) * inner;
                    for (int i = 0; i < inner; i++) {
                        long v = f[b + i];
                        if (exclusive) { r[b + i] = acc[i]; acc[i] += v; } else { acc[i] += v; r[b + i] = acc[i]; }
                    }
                }
            }
            z = narrow(r, x.dtype());
        }
        return new Tensor[] {Tensor.wrap(x.dtype(), x.shape(), z)};
    }
}
