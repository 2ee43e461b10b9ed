package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.NumericsCheck;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpException;
import org.nabla.ops.StridedSlicing;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * CPU kernels for {@link ArrayOps}. Layout-only ops (reshape, transpose, slices, split, squeeze, expandDims,
 * broadcastTo, identity) return views that share the input's array; data movement is dtype-generic through
 * {@link System#arraycopy}. Gathers and padding live in {@link Gathering}, sorting in {@link Sorting}.
 */
public final class CpuArrayKernels {
    private CpuArrayKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        DType any = null; // data movement: one kernel serves every dtype
        r.register(ArrayOps.RESHAPE, cpu, any, ctx -> new Tensor[] {reshaped(ctx.input(0), ctx.outputSpec(0).shape())},
                true);
        r.register(ArrayOps.SHAPE, cpu, any, ctx -> {
            int[] d = ctx.input(0).shape().dims();
            Shape s = Shape.of(d.length);
            if (ctx.attrs().getDType("dtype") == DType.INT32) return new Tensor[] {Tensor.wrap(DType.INT32, s, d)};
            long[] l = new long[d.length];
            for (int i = 0; i < d.length; i++) l[i] = d[i];
            return new Tensor[] {Tensor.wrap(DType.INT64, s, l)};
        }, true);
        r.register(ArrayOps.DYNAMIC_RESHAPE, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            long[] target = ctx.input(1).toLongArray();
            int[] dims = new int[target.length];
            for (int i = 0; i < dims.length; i++) {
                long v = target[i];
                if (v == 0 && ctx.attrs().getBool("zeroCopiesInput")) {
                    if (i >= x.rank()) {
                        throw new OpException("DynamicReshape", "shape " + java.util.Arrays.toString(target)
                                + " copies dimension " + i + " of an input of shape " + x.shape());
                    }
                    v = x.shape().dim(i);
                }
                if (v < -1 || v > Integer.MAX_VALUE) {
                    throw new OpException("DynamicReshape", "bad dimension " + v + " ctx.inputs() shape "
                            + java.util.Arrays.toString(target));
                }
                dims[i] = (int) v;
            }
            return new Tensor[] {reshaped(x, ArrayOps.reshapeTarget(x.shape(), dims))};
        }, true);
        r.register(ArrayOps.TRANSPOSE, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            int[] perm = ctx.attrs().getInts("perm");
            int[] strides = x.strides();
            int[] s = new int[perm.length];
            for (int i = 0; i < perm.length; i++) s[i] = strides[perm[i] < 0 ? perm[i] + perm.length : perm[i]];
            Shape shape = ctx.outputSpec(0).shape();
            return new Tensor[] {Tensor.view(x, shape, x.offset(), s)};
        }, true);
        r.register(ArrayOps.IDENTITY, cpu, any, ctx -> new Tensor[] {ctx.input(0)}, true);
        r.register(ArrayOps.CHECK_NUMERICS, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            long[] bad = NumericsCheck.badCounts(x);
            if (bad[0] + bad[1] > 0) {
                throw new OpException("CheckNumerics", ctx.attrs().getString("message") + " : Tensor had "
                        + (bad[0] > 0 ? "NaN" : "Inf") + " values (" + NumericsCheck.summary(x) + ")");
            }
            return new Tensor[] {x};
        }, true);
        r.register(ArrayOps.SLICE, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            int[] begin = ctx.attrs().getInts("begin"), strides = x.strides();
            int offset = x.offset();
            for (int i = 0; i < begin.length; i++) offset += begin[i] * strides[i];
            return new Tensor[] {view(x, ctx.outputSpec(0), offset, strides)};
        }, true);
        r.register(ArrayOps.STRIDED_SLICE, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            StridedSlicing s = StridedSlicing.of(x.shape(), ctx.attrs());
            int[] xs = x.strides();
            int offset = x.offset();
            int[] start = s.inputStart();
            for (int i = 0; i < start.length; i++) offset += start[i] * xs[i];
            int[] src = s.outputSource(), step = s.outputStep();
            int[] strides = new int[src.length];
            for (int i = 0; i < src.length; i++) strides[i] = src[i] < 0 ? 0 : step[i] * xs[src[i]];
            return new Tensor[] {view(x, ctx.outputSpec(0), offset, strides)};
        }, true);
        r.register(ArrayOps.SPLIT, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            int axis = axis(ctx, x.rank());
            int[] strides = x.strides();
            Tensor[] parts = new Tensor[ctx.outputSpecs().length];
            int offset = x.offset();
            for (int i = 0; i < ctx.outputSpecs().length; i++) {
                parts[i] = view(x, ctx.outputSpec(i), offset, strides);
                offset += ctx.outputSpec(i).shape().dim(axis) * strides[axis];
            }
            return parts;
        }, true);
        r.register(ArrayOps.BROADCAST_TO, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            Shape target = ctx.outputSpec(0).shape();
            int[] xs = x.strides();
            int off = target.rank() - x.rank();
            int[] strides = new int[target.rank()];
            for (int i = 0; i < x.rank(); i++) strides[off + i] = x.shape().dim(i) == target.dim(off + i) ? xs[i] : 0;
            return new Tensor[] {view(x, ctx.outputSpec(0), x.offset(), strides)};
        }, true);
        r.register(ArrayOps.SQUEEZE, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            int[] axes = ctx.attrs().getInts("axes");
            int[] xs = x.strides();
            boolean[] drop = new boolean[x.rank()];
            for (int a : axes) drop[a < 0 ? a + x.rank() : a] = true;
            if (axes.length == 0) for (int i = 0; i < drop.length; i++) drop[i] = x.shape().dim(i) == 1;
            int[] strides = new int[ctx.outputSpec(0).shape().rank()];
            int k = 0;
            for (int i = 0; i < xs.length; i++) if (!drop[i]) strides[k++] = xs[i];
            return new Tensor[] {view(x, ctx.outputSpec(0), x.offset(), strides)};
        }, true);
        r.register(ArrayOps.EXPAND_DIMS, cpu, any, ctx -> {
            Tensor x = ctx.input(0);
            int axis = axis(ctx, x.rank() + 1);
            int[] xs = x.strides();
            int[] strides = new int[xs.length + 1];
            System.arraycopy(xs, 0, strides, 0, axis);
            System.arraycopy(xs, axis, strides, axis + 1, xs.length - axis);
            return new Tensor[] {view(x, ctx.outputSpec(0), x.offset(), strides)};
        }, true);
        r.register(ArrayOps.CONCAT, cpu, any, ctx -> {
            int axis = axis(ctx, ctx.input(0).rank());
            return new Tensor[] {join(ctx.inputs(), ctx.outputSpec(0), axis, false)};
        });
        r.register(ArrayOps.STACK, cpu, any, ctx -> {
            int axis = axis(ctx, ctx.input(0).rank() + 1);
            return new Tensor[] {join(ctx.inputs(), ctx.outputSpec(0), axis, true)};
        });
        r.register(ArrayOps.TILE, cpu, any, ctx -> new Tensor[] {tile(ctx.input(0), ctx.attrs().getInts("multiples"),
                ctx.outputSpec(0))}, true);
        r.register(ArrayOps.GATHER, cpu, any, ctx -> new Tensor[] {Gathering.gather(ctx, ctx.input(0), ctx.input(1),
                ctx.attrs().getInt("axis"), ctx.attrs().getInt("batchDims"), ctx.outputSpec(0))});
        r.register(ArrayOps.GATHER_ND, cpu, any, ctx -> new Tensor[] {Gathering.gatherNd(ctx.input(0), ctx.input(1),
                ctx.outputSpec(0))});
        r.register(ArrayOps.GATHER_ELEMENTS, cpu, any, ctx -> new Tensor[] {Gathering.gatherElements(
                ctx.input(0), ctx.input(1), ctx.attrs().getInt("axis"), ctx.outputSpec(0))});
        r.registerAnyWidened(ArrayOps.ONE_HOT, cpu, ctx -> new Tensor[] {Gathering.oneHot(ctx.input(0), ctx.attrs(),
                ctx.outputSpec(0))});
        r.registerAnyWidened(ArrayOps.PAD, cpu, ctx ->
                new Tensor[] {Gathering.pad(ctx.input(0), ctx.attrs(), ctx.outputSpec(0))});
        // these compute with element values: float16/bfloat16 run them widened to float32
        r.registerAnyWidened(ArrayOps.SORT, cpu, ctx -> new Tensor[] {
            Sorting.sort(ctx.input(0), ctx.attrs(), false)});
        r.registerAnyWidened(ArrayOps.ARGSORT, cpu, ctx -> new Tensor[] {
            Sorting.sort(ctx.input(0), ctx.attrs(), true)});
        r.registerAnyWidened(ArrayOps.TOP_K, cpu, ctx -> Sorting.topK(ctx.input(0), ctx.attrs().getInt("k")));
    }

    /** The "axis" attribute, a negative one counted from the end of {@code rank} axes. */
    private static int axis(KernelContext ctx, int rank) {
        int axis = ctx.attrs().getInt("axis");
        return axis < 0 ? axis + rank : axis;
    }

    /** A view of {@code x}, or a fresh empty tensor when the result has no elements (its offset may be past the end). */
    private static Tensor view(Tensor x, TensorSpec out, int offset, int[] strides) {
        if (out.shape().size() == 0) {
            return Tensor.wrap(x.dtype(), out.shape(), Strided.allocate(x.dtype().storage(), 0));
        }
        return Tensor.view(x, out.shape(), offset, strides);
    }

    /**
     * Strides that read a strided layout in a new shape without copying, or null when the layout does not allow it
     * (NumPy's attempt_nocopy_reshape): each group of old axes that merges or splits must be contiguous within itself.
     * Sizes are all non-zero here.
     */
    /** {@code x} as {@code shape} (same size): a view when the layout allows, else a dense copy's view. */
    private static Tensor reshaped(Tensor x, Shape shape) {
        if (shape.size() == 0) return Tensor.wrap(x.dtype(), shape, Strided.allocate(x.dtype().storage(), 0));
        int[] strides = x.isDense() ? shape.contiguousStrides() : reshapeStrides(x.shape().dims(), x.strides(),
                shape.dims());
        if (strides == null) {
            x = x.dense();
            strides = shape.contiguousStrides();
        }
        return Tensor.view(x, shape, x.offset(), strides);
    }

    static int[] reshapeStrides(int[] oldDims, int[] oldStrides, int[] newDims) {
        int[] od = new int[oldDims.length], os = new int[oldDims.length];
        int on = 0;
        for (int i = 0; i < oldDims.length; i++) {
            if (oldDims[i] != 1) {
                od[on] = oldDims[i];
                os[on++] = oldStrides[i];
            }
        }
        int nn = newDims.length;
        int[] ns = new int[nn];
        int oi = 0, oj = 1, ni = 0, nj = 1;
        while (ni < nn && oi < on) {
            long np = newDims[ni], op = od[oi];
            while (np != op) {
                if (np < op) np *= newDims[nj++];
                else op *= od[oj++];
            }
            for (int ok = oi; ok < oj - 1; ok++) if (os[ok] != od[ok + 1] * os[ok + 1]) return null;
            ns[nj - 1] = os[oj - 1];
            for (int nk = nj - 1; nk > ni; nk--) ns[nk - 1] = ns[nk] * newDims[nk];
            ni = nj++;
            oi = oj++;
        }
        int last = ni > 0 ? ns[ni - 1] : 1;
        for (; ni < nn; ni++) ns[ni] = last; // trailing size-1 axes: any stride reads the one element
        return ns;
    }

    /** Concat ({@code stack} false) or Stack of dense inputs: each contributes one block per outer index. */
    private static Tensor join(Tensor[] in, TensorSpec out, int axis, boolean stack) {
        Shape s = out.shape();
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= s.dim(i);
        int total = outer == 0 ? 0 : s.intSize() / outer;
        Object z = Strided.allocate(out.dtype().storage(), s.intSize());
        int pos = 0;
        for (Tensor t : in) {
            int block = outer == 0 ? 0 : t.shape().intSize() / outer;
            Object x = t.data();
            for (int o = 0; o < outer; o++) System.arraycopy(x, o * block, z, o * total + pos, block);
            pos += block;
        }
        return Tensor.wrap(out.dtype(), s, z);
    }

    /** Tile as a dense copy of a broadcast view of shape {@code [m0, d0, m1, d1, ...]} (stride 0 on each m). */
    private static Tensor tile(Tensor x, int[] multiples, TensorSpec out) {
        int r = x.rank();
        if (out.shape().size() == 0) return Tensor.wrap(x.dtype(), out.shape(), Strided.allocate(x.dtype().storage(), 0));
        int[] dims = new int[2 * r];
        int[] strides = new int[2 * r];
        int[] xs = x.strides();
        for (int i = 0; i < r; i++) {
            dims[2 * i] = multiples[i];
            dims[2 * i + 1] = x.shape().dim(i);
            strides[2 * i + 1] = xs[i];
        }
        Tensor dense = Tensor.view(x, Shape.of(dims), x.offset(), strides).dense();
        return Tensor.wrap(x.dtype(), out.shape(), dense.data());
    }

    /** The value {@code v} in the storage of {@code dtype}, as one-element array (used to fill outputs). */
    static Object scalarStorage(DType dtype, double v) {
        return switch (dtype.storage()) {
            case FLOAT -> new float[] {(float) v};
            case DOUBLE -> new double[] {v};
            case INT -> new int[] {(int) v};
            case LONG -> new long[] {dtype == DType.UINT64 ? Strided.doubleToUnsigned(v) : (long) v};
            case BYTE -> new byte[] {dtype == DType.BOOL ? (byte) (v != 0 ? 1 : 0) : (byte) (long) v};
            case SHORT -> new short[] {(short) (long) v};
            case STRING -> {
                if (v != 0) throw new IllegalArgumentException("a string tensor is filled with \"\" only, not " + v);
                yield new byte[][] {Strided.EMPTY_STRING};
            }
            case COMPLEX64 -> new float[] {(float) v, 0f};   // v + 0j
            case COMPLEX128 -> new double[] {v, 0};
        };
    }
}
