package org.nabla.kernels.cpu;

import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.cpu.ReduceLoops.Op;
import org.nabla.kernels.cpu.ReduceLoops.Plan;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.ReductionOps;
import org.nabla.ops.TensorSpec;

/** CPU kernels for {@link ReductionOps}; the loops live in {@link ReduceLoops}. */
public final class CpuReductionKernels implements KernelProvider {
    private static final List<DType> INTS = List.of(DType.INT32, DType.INT64, DType.UINT8);

    @Override
    public void registerKernels(KernelRegistry r) {
        reduction(r, ReductionOps.SUM, Op.SUM, true);
        reduction(r, ReductionOps.MEAN, Op.MEAN, true);
        reduction(r, ReductionOps.MAX, Op.MAX, true);
        reduction(r, ReductionOps.MIN, Op.MIN, true);
        reduction(r, ReductionOps.PROD, Op.PROD, true);
        reduction(r, ReductionOps.LOG_SUM_EXP, Op.LSE, false);
        String cpu = CpuDevice.TYPE;
        r.register(ReductionOps.ANY, cpu, DType.BOOL, (in, a, out) -> reduce(in[0], a, out[0], Op.MAX, "Any"), true);
        r.register(ReductionOps.ALL, cpu, DType.BOOL, (in, a, out) -> reduce(in[0], a, out[0], Op.MIN, "All"), true);
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.UINT8)) {
            r.register(ReductionOps.ARG_MAX, cpu, d, (in, a, out) -> argExtreme(in[0], a, out[0], true));
            r.register(ReductionOps.ARG_MIN, cpu, d, (in, a, out) -> argExtreme(in[0], a, out[0], false));
            r.register(ReductionOps.CUMSUM, cpu, d, (in, a, out) -> cumsum(in[0], a));
        }
    }

    private static void reduction(KernelRegistry r, OpDef def, Op op, boolean ints) {
        String cpu = CpuDevice.TYPE;
        r.register(def, cpu, DType.FLOAT32, (in, a, out) -> reduce(in[0], a, out[0], op, def.name()), true);
        r.register(def, cpu, DType.FLOAT64, (in, a, out) -> reduce(in[0], a, out[0], op, def.name()), true);
        if (ints) for (DType d : INTS) r.register(def, cpu, d, (in, a, out) -> reduce(in[0], a, out[0], op, def.name()), true);
    }

    private static Tensor[] reduce(Tensor x, Attrs attrs, TensorSpec out, Op op, String name) {
        boolean[] mask = ReductionOps.reducedAxes(name, x.shape(), attrs.getInts("axes"));
        DType dtype = x.dtype();
        Shape shape = out.shape();
        int n = shape.intSize();
        if (x.size() == 0 || n == 0) return new Tensor[] {Tensor.wrap(dtype, shape, filled(dtype, n, op))};
        Object z = switch (dtype.storage()) {
            case FLOAT -> ReduceLoops.reduceFloat(ReduceLoops.plan(x, mask), op);
            case DOUBLE -> ReduceLoops.reduceDouble(ReduceLoops.plan(x, mask), op);
            default -> {
                Plan p = ReduceLoops.plan(x, mask);
                if (dtype != DType.INT64) {
                    p = new Plan(Strided.toJavaArray(Tensor.wrap(dtype, Shape.of(p.outer(), p.red(), p.inner()),
                            p.data()), DType.Storage.LONG), p.outer(), p.red(), p.inner());
                }
                yield narrow(ReduceLoops.reduceLong(p, op), dtype);
            }
        };
        return new Tensor[] {Tensor.wrap(dtype, shape, z)};
    }

    /** The result of reducing nothing: the identity of the op (NaN for a float mean, 0 for an integer mean). */
    private static Object filled(DType dtype, int n, Op op) {
        Object z = Strided.allocate(dtype.storage(), n);
        boolean max = op == Op.MAX;
        switch (z) {
            case float[] a -> Arrays.fill(a, (float) floatIdentity(op));
            case double[] a -> Arrays.fill(a, floatIdentity(op));
            case int[] a -> Arrays.fill(a, op == Op.PROD ? 1 : max ? Integer.MIN_VALUE : op == Op.MIN ? Integer.MAX_VALUE : 0);
            case long[] a -> Arrays.fill(a, op == Op.PROD ? 1 : max ? Long.MIN_VALUE : op == Op.MIN ? Long.MAX_VALUE : 0);
            case byte[] a -> Arrays.fill(a, (byte) (op == Op.PROD ? 1 : op == Op.MIN ? (dtype == DType.BOOL ? 1 : 0xff) : 0));
            default -> throw new IllegalStateException();
        }
        return z;
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

    private static Tensor[] argExtreme(Tensor x, Attrs attrs, TensorSpec out, boolean max) {
        int rank = x.rank();
        int axis = attrs.getInt("axis") < 0 ? attrs.getInt("axis") + rank : attrs.getInt("axis");
        int[] g = around(x.shape(), axis);
        int outer = g[0], n = g[1], inner = g[2];
        long[] idx = new long[outer * inner];
        Object data = x.data();
        double[] vals = switch (data) {
            case float[] f -> null;
            case double[] d -> d;
            default -> null;
        };
        long[] ints = data instanceof float[] || data instanceof double[] ? null
                : (long[]) Strided.toJavaArray(x, DType.Storage.LONG);
        float[] fv = data instanceof float[] f ? f : null;
        Parallel.forRange(outer * inner, Math.max(1, Broadcasting.GRAIN / Math.max(1, n)), (from, to) -> {
            for (int k = from; k < to; k++) {
                int o = k / inner, i = k % inner;
                int base = o * n * inner + i;
                int best = 0;
                if (ints != null) {
                    long b = ints[base];
                    for (int j = 1; j < n; j++) {
                        long v = ints[base + j * inner];
                        if (max ? v > b : v < b) { b = v; best = j; }
                    }
                } else {
                    double b = fv != null ? fv[base] : vals[base];
                    for (int j = 1; j < n && !Double.isNaN(b); j++) {
                        double v = fv != null ? fv[base + j * inner] : vals[base + j * inner];
                        if (Double.isNaN(v) || (max ? v > b : v < b)) { b = v; best = j; }
                    }
                }
                idx[k] = best;
            }
        });
        return new Tensor[] {Tensor.wrap(out.dtype(), out.shape(), narrow(idx, out.dtype()))};
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
            long[] f = (long[]) Strided.toJavaArray(x, DType.Storage.LONG);
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
