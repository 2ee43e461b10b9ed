package org.nabla.sparse;

import java.lang.reflect.Array;
import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.kernels.KernelContext;
import org.nabla.ops.OpException;
import org.nabla.storage.Strided;

/**
 * CPU kernels of {@link SparseOps}. Values of any numeric dtype move as elements of their storage array
 * ({@code System.arraycopy} of one element), so one kernel serves every dtype; sums switch on the storage. Every
 * index is checked against the dense shape, and a message names the op, the entry and the shape.
 */
final class SparseKernels {
    private SparseKernels() {}

    /** A sparse input's parts read as Java arrays. */
    private record Parts(String op, long[] indices, int nnz, int rank, long[] shape, Tensor values) {
        static Parts of(String op, Tensor indices, Tensor values, Tensor shape) {
            long[] dims = shape.toLongArray();
            int nnz = indices.shape().dim(0), rank = indices.shape().dim(1);
            if (rank != dims.length) {
                throw new OpException(op, "indices have " + rank + " columns but the dense shape "
                        + dims(dims) + " has " + dims.length + " dimensions");
            }
            if (values.shape().dim(0) != nnz) {
                throw new OpException(op, nnz + " index rows but " + values.shape().dim(0) + " values");
            }
            for (long d : dims) {
                if (d < 0) throw new OpException(op, "negative dimension in the dense shape " + dims(dims));
            }
            return new Parts(op, indices.toLongArray(), nnz, rank, dims, values);
        }

        long at(int entry, int dim) { return indices[entry * rank + dim]; }

        /** The entry's row-major offset in the dense tensor, after checking it lies inside the shape. */
        int offset(int entry) {
            long off = 0;
            for (int d = 0; d < rank; d++) {
                long i = at(entry, d);
                if (i < 0 || i >= shape[d]) {
                    throw new OpException(op, "index " + entry + " " + row(entry) + " is outside the dense shape "
                            + dims(shape));
                }
                off = off * shape[d] + i;
            }
            return (int) off;
        }

        String row(int entry) { return Arrays.toString(Arrays.copyOfRange(indices, entry * rank, (entry + 1) * rank)); }

        /** The number of dense elements, checked to fit a Java array. */
        int denseSize() { return SparseKernels.denseSize(op, shape); }

        Object valueData() { return data(values); }
    }

    /** A dense shape as {@link Shape} prints one: (2, 3). */
    static String dims(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) b.append(i > 0 ? ", " : "").append(shape[i]);
        return b.append(')').toString();
    }

    static int denseSize(String op, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new OpException(op, "the dense shape " + dims(shape) + " has more elements than a "
                        + "Java array holds");
            }
        }
        return (int) n;
    }

    private static Object data(Tensor t) { return (t.isDenseFromZero() ? t : t.dense()).data(); }

    /** New storage for {@code length} elements of {@code dtype}, zero-filled. */
    static Object newArray(DType dtype, int length) { return Strided.allocate(dtype.storage(), length); }

    private static Tensor longs(long[] v, int... shape) { return Tensor.wrap(DType.INT64, Shape.of(shape), v); }

    /** dst[to] += src[from] in the storage of {@code dtype} (integers wrap, as their arithmetic does). */
    private static void addElement(DType dtype, Object src, int from, Object dst, int to) {
        switch (dtype.storage()) {
            case FLOAT -> ((float[]) dst)[to] += ((float[]) src)[from];
            case DOUBLE -> ((double[]) dst)[to] += ((double[]) src)[from];
            case INT -> ((int[]) dst)[to] += ((int[]) src)[from];
            case LONG -> ((long[]) dst)[to] += ((long[]) src)[from];
            case SHORT -> ((short[]) dst)[to] += ((short[]) src)[from];
            case BYTE -> ((byte[]) dst)[to] += ((byte[]) src)[from];
            case STRING -> throw new IllegalArgumentException("string values cannot be added");
        }
    }

    private static boolean isZero(DType dtype, Object a, int i) {
        return switch (dtype.storage()) {
            case FLOAT -> ((float[]) a)[i] == 0f;   // NaN is stored, -0.0 is not (as x != 0 decides)
            case DOUBLE -> ((double[]) a)[i] == 0d;
            case INT -> ((int[]) a)[i] == 0;
            case LONG -> ((long[]) a)[i] == 0L;
            case SHORT -> ((short[]) a)[i] == 0;
            case BYTE -> ((byte[]) a)[i] == 0;
            case STRING -> ((byte[][]) a)[i].length == 0; // TF's zero string is ""
            case COMPLEX64, COMPLEX128 -> throw new IllegalArgumentException("sparse tensors hold real values only");
        };
    }

    // ---------------------------------------------------------------- to and from dense

    static Tensor[] toDense(KernelContext ctx) {
        String op = "SparseToDense";
        Parts p = Parts.of(op, ctx.input(0), ctx.input(2), ctx.input(1));
        DType dtype = p.values().dtype();
        int size = p.denseSize();
        Object out = newArray(dtype, size);
        Object dflt = data(ctx.input(3));
        if (!isZero(dtype, dflt, 0)) for (int i = 0; i < size; i++) System.arraycopy(dflt, 0, out, i, 1);
        Object values = p.valueData();
        java.util.BitSet seen = new java.util.BitSet(size);
        for (int k = 0; k < p.nnz(); k++) {
            int off = p.offset(k);
            if (seen.get(off)) throw new OpException(op, "index " + k + " " + p.row(k) + " is repeated");
            seen.set(off);
            System.arraycopy(values, k, out, off, 1);
        }
        return new Tensor[] {Tensor.wrap(dtype, Shape.of(p.shape()), out)};
    }

    static Tensor[] fromDense(KernelContext ctx) {
        Tensor x = ctx.input(0);
        DType dtype = x.dtype();
        Object a = data(x);
        int[] dims = x.shape().dims();
        int rank = dims.length, size = x.shape().intSize();
        int nnz = 0;
        for (int i = 0; i < size; i++) if (!isZero(dtype, a, i)) nnz++;
        long[] idx = new long[nnz * rank];
        Object values = newArray(dtype, nnz);
        for (int i = 0, k = 0; i < size; i++) {
            if (isZero(dtype, a, i)) continue;
            for (int d = rank - 1, rest = i; d >= 0; d--) {
                idx[k * rank + d] = rest % dims[d];
                rest /= dims[d];
            }
            System.arraycopy(a, i, values, k++, 1);
        }
        long[] shape = new long[rank];
        for (int d = 0; d < rank; d++) shape[d] = dims[d];
        return new Tensor[] {longs(idx, nnz, rank), Tensor.wrap(dtype, Shape.of(nnz), values), longs(shape, rank)};
    }

    static Tensor[] denseAdd(KernelContext ctx) {
        String op = "SparseTensorDenseAdd";
        Parts p = Parts.of(op, ctx.input(0), ctx.input(1), ctx.input(2));
        Tensor b = ctx.input(3);
        if (!Arrays.equals(toLongs(b.shape().dims()), p.shape())) {
            throw new OpException(op, "b has shape " + b.shape() + " but a's dense shape is "
                    + dims(p.shape()));
        }
        DType dtype = b.dtype();
        Object src = data(b);
        Object out = newArray(dtype, b.shape().intSize());
        System.arraycopy(src, 0, out, 0, b.shape().intSize());
        Object values = p.valueData();
        for (int k = 0; k < p.nnz(); k++) addElement(dtype, values, k, out, p.offset(k));
        return new Tensor[] {Tensor.wrap(dtype, b.shape(), out)};
    }

    private static long[] toLongs(int[] dims) {
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) out[i] = dims[i];
        return out;
    }

    // ---------------------------------------------------------------- sparse + sparse

    /** The entries' dense offsets, checked; an entry is identified by its offset (the shape fits a Java array). */
    private static long[] offsets(Parts p) {
        long[] off = new long[p.nnz()];
        for (int e = 0; e < off.length; e++) off[e] = p.offset(e);
        return off;
    }

    static Tensor[] sparseAdd(KernelContext ctx) {
        String op = "SparseAdd";
        Parts a = Parts.of(op, ctx.input(0), ctx.input(1), ctx.input(2));
        Parts b = Parts.of(op, ctx.input(3), ctx.input(4), ctx.input(5));
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new OpException(op, "a's dense shape " + dims(a.shape()) + " differs from b's " + dims(b.shape()));
        }
        a.denseSize();
        DType dtype = a.values().dtype();
        // the sums, keyed by dense offset in row-major order (a TreeMap keeps them sorted)
        java.util.TreeMap<Long, Integer> slot = new java.util.TreeMap<>();
        long[] ao = offsets(a), bo = offsets(b);
        for (long o : ao) slot.putIfAbsent(o, 0);
        for (long o : bo) slot.putIfAbsent(o, 0);
        int n = 0;
        for (var e : slot.entrySet()) e.setValue(n++);
        Object sums = newArray(dtype, n);
        for (int e = 0; e < ao.length; e++) addElement(dtype, a.valueData(), e, sums, slot.get(ao[e]));
        for (int e = 0; e < bo.length; e++) addElement(dtype, b.valueData(), e, sums, slot.get(bo[e]));
        double thresh = ctx.input(6).doubleValue();
        int rank = a.rank();
        long[] idx = new long[n * rank];
        Object values = newArray(dtype, n);
        int kept = 0;
        for (var e : slot.entrySet()) {
            int s = e.getValue();
            if (thresh > 0 && Math.abs(((Number) Array.get(sums, s)).doubleValue()) < thresh) continue;
            long rest = e.getKey();
            for (int d = rank - 1; d >= 0; d--) {
                idx[kept * rank + d] = rest % a.shape()[d];
                rest /= a.shape()[d];
            }
            System.arraycopy(sums, s, values, kept++, 1);
        }
        Object trimmed = newArray(dtype, kept);
        System.arraycopy(values, 0, trimmed, 0, kept);
        return new Tensor[] {longs(Arrays.copyOf(idx, kept * rank), kept, rank),
                Tensor.wrap(dtype, Shape.of(kept), trimmed), longs(a.shape().clone(), rank)};
    }

    /** Each of a's and b's entries gets the sum's gradient at its index (zero where the sum was dropped). */
    static Tensor[] sparseAddGrad(KernelContext ctx) {
        Tensor grad = ctx.input(0);
        long[] sum = ctx.input(3).toLongArray();
        int rank = ctx.input(3).shape().dim(1);
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        for (int e = 0; e < grad.shape().dim(0); e++) {
            at.put(Arrays.toString(Arrays.copyOfRange(sum, e * rank, (e + 1) * rank)), e);
        }
        Object g = data(grad);
        Tensor[] out = new Tensor[2];
        for (int side = 0; side < 2; side++) {
            Tensor idx = ctx.input(1 + side);
            long[] ix = idx.toLongArray();
            int nnz = idx.shape().dim(0);
            Object o = newArray(grad.dtype(), nnz);
            for (int e = 0; e < nnz; e++) {
                Integer s = at.get(Arrays.toString(Arrays.copyOfRange(ix, e * rank, (e + 1) * rank)));
                if (s != null) System.arraycopy(g, s, o, e, 1);
            }
            out[side] = Tensor.wrap(grad.dtype(), Shape.of(nnz), o);
        }
        return out;
    }

    // ---------------------------------------------------------------- matrix product

    /** The rows and columns of op(a) and op(b), checked against each other. */
    private record Product(int m, int k, int n, boolean adjA, boolean adjB) {
        static Product of(String op, Parts a, Tensor b, boolean adjA, boolean adjB) {
            if (a.rank() != 2) throw new OpException(op, "a must be a sparse matrix, got dense shape "
                    + dims(a.shape()));
            int m = (int) a.shape()[adjA ? 1 : 0], k = (int) a.shape()[adjA ? 0 : 1];
            int bk = b.shape().dim(adjB ? 1 : 0), n = b.shape().dim(adjB ? 0 : 1);
            if (bk != k) {
                throw new OpException(op, "op(a) is " + m + "x" + k + " but op(b) is " + bk + "x" + n + " (b "
                        + b.shape() + ", adjoint_a " + adjA + ", adjoint_b " + adjB + ")");
            }
            return new Product(m, k, n, adjA, adjB);
        }
    }

    static Tensor[] matMul(KernelContext ctx) {
        String op = "SparseTensorDenseMatMul";
        Parts a = Parts.of(op, ctx.input(0), ctx.input(1), ctx.input(2));
        Tensor b = ctx.input(3);
        Product pr = Product.of(op, a, b, ctx.attrs().getBool("adjoint_a"), ctx.attrs().getBool("adjoint_b"));
        int n = pr.n();
        if (b.dtype() == DType.FLOAT32) {
            float[] bv = (float[]) data(b), av = (float[]) a.valueData(), out = new float[pr.m() * n];
            for (int e = 0; e < a.nnz(); e++) {
                a.offset(e);   // bounds check
                int row = (int) a.at(e, pr.adjA() ? 1 : 0), col = (int) a.at(e, pr.adjA() ? 0 : 1);
                float v = av[e];
                for (int j = 0; j < n; j++) out[row * n + j] += v * (pr.adjB() ? bv[j * pr.k() + col] : bv[col * n + j]);
            }
            return new Tensor[] {Tensor.wrap(DType.FLOAT32, Shape.of(pr.m(), n), out)};
        }
        double[] bv = (double[]) data(b), av = (double[]) a.valueData(), out = new double[pr.m() * n];
        for (int e = 0; e < a.nnz(); e++) {
            a.offset(e);
            int row = (int) a.at(e, pr.adjA() ? 1 : 0), col = (int) a.at(e, pr.adjA() ? 0 : 1);
            double v = av[e];
            for (int j = 0; j < n; j++) out[row * n + j] += v * (pr.adjB() ? bv[j * pr.k() + col] : bv[col * n + j]);
        }
        return new Tensor[] {Tensor.wrap(DType.FLOAT64, Shape.of(pr.m(), n), out)};
    }

    /** d value(e) = sum_j grad[row(e), j] * op(b)[col(e), j]; a's shape is implied by grad (m) and b (k). */
    static Tensor[] matMulValuesGrad(KernelContext ctx) {
        String op = "SparseTensorDenseMatMulValuesGrad";
        Tensor idx = ctx.input(0), grad = ctx.input(1), b = ctx.input(2);
        boolean adjA = ctx.attrs().getBool("adjoint_a"), adjB = ctx.attrs().getBool("adjoint_b");
        long[] ix = idx.toLongArray();
        int nnz = idx.shape().dim(0), m = grad.shape().dim(0), n = grad.shape().dim(1);
        int k = b.shape().dim(adjB ? 1 : 0);
        if (b.shape().dim(adjB ? 0 : 1) != n) {
            throw new OpException(op, "grad " + grad.shape() + " and b " + b.shape() + " do not match");
        }
        boolean f32 = grad.dtype() == DType.FLOAT32;
        Object g = data(grad), bv = data(b);
        Object out = newArray(grad.dtype(), nnz);
        for (int e = 0; e < nnz; e++) {
            long row = ix[2 * e + (adjA ? 1 : 0)], col = ix[2 * e + (adjA ? 0 : 1)];
            if (row < 0 || row >= m || col < 0 || col >= k) {
                throw new OpException(op, "index " + e + " [" + ix[2 * e] + ", " + ix[2 * e + 1] + "] is outside "
                        + "the product's operands (grad " + grad.shape() + ", b " + b.shape() + ")");
            }
            double s = 0;
            float sf = 0f;
            for (int j = 0; j < n; j++) {
                int bi = adjB ? j * k + (int) col : (int) col * n + j;
                if (f32) sf += ((float[]) g)[(int) row * n + j] * ((float[]) bv)[bi];
                else s += ((double[]) g)[(int) row * n + j] * ((double[]) bv)[bi];
            }
            if (f32) ((float[]) out)[e] = sf;
            else ((double[]) out)[e] = s;
        }
        return new Tensor[] {Tensor.wrap(grad.dtype(), Shape.of(nnz), out)};
    }

    // ---------------------------------------------------------------- reduction

    /** Where each entry lands in the reduced dense tensor, and that tensor's dims. */
    private record Reduction(int[] target, int[] outDims) {
        static Reduction of(String op, Parts p, int[] axesAttr, boolean keepDims) {
            int[] axes = SparseOps.reductionAxes(op, axesAttr, p.rank());
            boolean[] reduced = new boolean[p.rank()];
            for (int ax : axes) reduced[ax] = true;
            int outRank = keepDims ? p.rank() : p.rank() - axes.length;
            int[] outDims = new int[outRank];
            long[] kept = new long[p.rank()];
            for (int d = 0, o = 0; d < p.rank(); d++) {
                kept[d] = reduced[d] ? 1 : p.shape()[d];
                if (!reduced[d] || keepDims) outDims[o++] = (int) kept[d];
            }
            denseSize(op, kept);
            int[] target = new int[p.nnz()];
            for (int e = 0; e < p.nnz(); e++) {
                p.offset(e);   // bounds check
                long off = 0;
                for (int d = 0; d < p.rank(); d++) off = off * kept[d] + (reduced[d] ? 0 : p.at(e, d));
                target[e] = (int) off;
            }
            return new Reduction(target, outDims);
        }
    }

    static Tensor[] reduceSum(KernelContext ctx) {
        String op = "SparseReduceSum";
        Parts p = Parts.of(op, ctx.input(0), ctx.input(1), ctx.input(2));
        Reduction red = Reduction.of(op, p, ctx.attrs().getInts("axes"), ctx.attrs().getBool("keep_dims"));
        DType dtype = p.values().dtype();
        Shape outShape = Shape.of(red.outDims());
        Object out = newArray(dtype, outShape.intSize());
        Object values = p.valueData();
        for (int e = 0; e < p.nnz(); e++) addElement(dtype, values, e, out, red.target()[e]);
        return new Tensor[] {Tensor.wrap(dtype, outShape, out)};
    }

    static Tensor[] reduceSumGrad(KernelContext ctx) {
        String op = "SparseReduceSumGrad";
        Tensor grad = ctx.input(2);
        Parts p = Parts.of(op, ctx.input(0), zerosOf(grad.dtype(), ctx.input(0).shape().dim(0)), ctx.input(1));
        Reduction red = Reduction.of(op, p, ctx.attrs().getInts("axes"), ctx.attrs().getBool("keep_dims"));
        if (!grad.shape().equals(Shape.of(red.outDims()))) {
            throw new OpException(op, "grad has shape " + grad.shape() + ", the reduction gives "
                    + Shape.of(red.outDims()));
        }
        Object g = data(grad), out = newArray(grad.dtype(), p.nnz());
        for (int e = 0; e < p.nnz(); e++) System.arraycopy(g, red.target()[e], out, e, 1);
        return new Tensor[] {Tensor.wrap(grad.dtype(), Shape.of(p.nnz()), out)};
    }

    private static Tensor zerosOf(DType dtype, int n) { return Tensor.wrap(dtype, Shape.of(n), newArray(dtype, n)); }

    // ---------------------------------------------------------------- order

    /** The entries' positions sorted in row-major order of their indices (stable for equal indices). */
    private static Integer[] rowMajorOrder(Parts p) {
        Integer[] order = new Integer[p.nnz()];
        for (int e = 0; e < order.length; e++) {
            p.offset(e);   // bounds check
            order[e] = e;
        }
        Arrays.sort(order, (x, y) -> {
            for (int d = 0; d < p.rank(); d++) {
                int c = Long.compare(p.at(x, d), p.at(y, d));
                if (c != 0) return c;
            }
            return 0;
        });
        return order;
    }

    static Tensor[] reorder(KernelContext ctx) {
        Parts p = Parts.of("SparseReorder", ctx.input(0), ctx.input(1), ctx.input(2));
        Integer[] order = rowMajorOrder(p);
        long[] idx = new long[p.indices().length];
        Object values = p.valueData(), out = newArray(p.values().dtype(), p.nnz());
        for (int t = 0; t < order.length; t++) {
            System.arraycopy(p.indices(), order[t] * p.rank(), idx, t * p.rank(), p.rank());
            System.arraycopy(values, order[t], out, t, 1);
        }
        return new Tensor[] {longs(idx, p.nnz(), p.rank()), Tensor.wrap(p.values().dtype(), Shape.of(p.nnz()), out)};
    }

    static Tensor[] reorderGrad(KernelContext ctx) {
        Tensor grad = ctx.input(2);
        Parts p = Parts.of("SparseReorderGrad", ctx.input(0), grad, ctx.input(1));
        Integer[] order = rowMajorOrder(p);
        Object g = data(grad), out = newArray(grad.dtype(), p.nnz());
        for (int t = 0; t < order.length; t++) System.arraycopy(g, t, out, order[t], 1);
        return new Tensor[] {Tensor.wrap(grad.dtype(), Shape.of(p.nnz()), out)};
    }

    // ---------------------------------------------------------------- slice and concat

    /** The slice's window: its start and its size clipped to the dense shape. */
    private static long[][] window(String op, Parts p, Tensor startT, Tensor sizeT) {
        long[] start = startT.toLongArray(), size = sizeT.toLongArray();
        if (start.length != p.rank() || size.length != p.rank()) {
            throw new OpException(op, "start " + Arrays.toString(start) + " and size " + Arrays.toString(size)
                    + " must each have the rank " + p.rank() + " of the dense shape " + dims(p.shape()));
        }
        long[] clipped = new long[p.rank()];
        for (int d = 0; d < p.rank(); d++) {
            if (start[d] < 0 || size[d] < 0) {
                throw new OpException(op, "start " + Arrays.toString(start) + " and size " + Arrays.toString(size)
                        + " must not be negative");
            }
            clipped[d] = Math.max(0, Math.min(size[d], p.shape()[d] - start[d]));
        }
        return new long[][] {start, clipped};
    }

    private static boolean inside(Parts p, int e, long[] start, long[] size) {
        for (int d = 0; d < p.rank(); d++) {
            long i = p.at(e, d);
            if (i < start[d] || i >= start[d] + size[d]) return false;
        }
        return true;
    }

    static Tensor[] slice(KernelContext ctx) {
        String op = "SparseSlice";
        Parts p = Parts.of(op, ctx.input(0), ctx.input(1), ctx.input(2));
        long[][] w = window(op, p, ctx.input(3), ctx.input(4));
        int kept = 0;
        for (int e = 0; e < p.nnz(); e++) {
            p.offset(e);
            if (inside(p, e, w[0], w[1])) kept++;
        }
        long[] idx = new long[kept * p.rank()];
        Object values = p.valueData(), out = newArray(p.values().dtype(), kept);
        for (int e = 0, t = 0; e < p.nnz(); e++) {
            if (!inside(p, e, w[0], w[1])) continue;
            for (int d = 0; d < p.rank(); d++) idx[t * p.rank() + d] = p.at(e, d) - w[0][d];
            System.arraycopy(values, e, out, t++, 1);
        }
        return new Tensor[] {longs(idx, kept, p.rank()), Tensor.wrap(p.values().dtype(), Shape.of(kept), out),
                longs(w[1], p.rank())};
    }

    static Tensor[] sliceGrad(KernelContext ctx) {
        String op = "SparseSliceGrad";
        Tensor grad = ctx.input(0);
        Parts p = Parts.of(op, ctx.input(1), zerosOf(grad.dtype(), ctx.input(1).shape().dim(0)), ctx.input(2));
        long[][] w = window(op, p, ctx.input(3), ctx.input(4));
        Object g = data(grad), out = newArray(grad.dtype(), p.nnz());
        int t = 0;
        for (int e = 0; e < p.nnz(); e++) {
            if (!inside(p, e, w[0], w[1])) continue;
            if (t >= grad.shape().dim(0)) throw new OpException(op, "grad has fewer values than the slice kept");
            System.arraycopy(g, t++, out, e, 1);
        }
        if (t != grad.shape().dim(0)) {
            throw new OpException(op, "grad has " + grad.shape().dim(0) + " values, the slice kept " + t);
        }
        return new Tensor[] {Tensor.wrap(grad.dtype(), Shape.of(p.nnz()), out)};
    }

    static Tensor[] concat(KernelContext ctx) {
        String op = "SparseConcat";
        int n = ctx.inputCount() / 3;
        Parts[] parts = new Parts[n];
        int nnz = 0;
        for (int i = 0; i < n; i++) {
            parts[i] = Parts.of(op, ctx.input(i), ctx.input(n + i), ctx.input(2 * n + i));
            nnz += parts[i].nnz();
        }
        int rank = parts[0].rank();
        int axis = Shape.normalizeAxis(ctx.attrs().getInt("concat_dim"), rank, op);
        long[] shape = parts[0].shape().clone();
        shape[axis] = 0;
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < rank; d++) {
                if (parts[i].rank() != rank || d != axis && parts[i].shape()[d] != shape[d]) {
                    throw new OpException(op, "input " + i + " has dense shape " + dims(parts[i].shape())
                            + ", which does not match input 0's " + dims(parts[0].shape())
                            + " outside axis " + axis);
                }
            }
        }
        DType dtype = parts[0].values().dtype();
        long[] idx = new long[nnz * rank];
        Object out = newArray(dtype, nnz);
        int t = 0;
        for (int i = 0; i < n; i++) {
            Parts p = parts[i];
            Object values = p.valueData();
            for (int e = 0; e < p.nnz(); e++, t++) {
                p.offset(e);
                for (int d = 0; d < rank; d++) idx[t * rank + d] = p.at(e, d) + (d == axis ? shape[axis] : 0);
                System.arraycopy(values, e, out, t, 1);
            }
            shape[axis] += p.shape()[axis];
        }
        return new Tensor[] {longs(idx, nnz, rank), Tensor.wrap(dtype, Shape.of(nnz), out), longs(shape, rank)};
    }

    static Tensor[] concatGrad(KernelContext ctx) {
        Tensor grad = ctx.input(0);
        Object g = data(grad);
        Tensor[] out = new Tensor[ctx.inputCount() - 1];
        int from = 0;
        for (int i = 0; i < out.length; i++) {
            int len = ctx.input(i + 1).shape().dim(0);
            Object part = newArray(grad.dtype(), len);
            if (from + len > grad.shape().dim(0)) {
                throw new OpException("SparseConcatGrad", "grad " + grad.shape() + " is shorter than the inputs");
            }
            System.arraycopy(g, from, part, 0, len);
            from += len;
            out[i] = Tensor.wrap(grad.dtype(), Shape.of(len), part);
        }
        return out;
    }
}
