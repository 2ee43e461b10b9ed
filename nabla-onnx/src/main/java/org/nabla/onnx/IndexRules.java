package org.nabla.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;

/** Selecting by value (TopK) and writing by index (ScatterND, ScatterElements). */
final class IndexRules {
    private IndexRules() {}

    static void register(OnnxOperators r) {
        r.rule("TopK", IndexRules::topK);
        r.one("Gather", n -> {
            Tensor data = n.required(0);
            int axis = axis(n, data);
            return Ops.gather(data, fromEnd(data, n.required(1), axis), axis);
        });
        r.one("GatherND", IndexRules::gatherNd);
        r.one("GatherElements", n -> {
            Tensor data = n.required(0);
            int axis = axis(n, data);
            return Ops.gatherElements(data, fromEnd(data, n.required(1), axis), axis);
        });
        r.one("ScatterND", IndexRules::scatterNd);
        r.one("ScatterElements", IndexRules::scatterElements);
        r.one("Scatter", IndexRules::scatterElements); // opset 9-10 name of ScatterElements
        r.one("TensorScatter", IndexRules::tensorScatter);
        r.one("MaxUnpool", IndexRules::maxUnpool);
    }

    /**
     * The k largest (or smallest) elements along the axis and their int64 indices, sorted, equal values in index
     * order. The common case (largest, last axis) runs Nabla's TopK; the others take the first k of a stable argsort.
     */
    private static List<Tensor> topK(OnnxNode n) {
        Tensor x = n.required(0);
        long k = n.opset() < 10 ? n.attrInt("k", -1) : n.constant(1).toLongArray()[0];
        int rank = x.rank();
        int axis = (int) n.attrInt("axis", -1);
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank) throw n.error("axis " + n.attrInt("axis", -1) + " is out of range for rank "
                + rank);
        int dim = NnRules.knownDim(n, x, axis);
        if (k < 0 || k > dim) throw n.error("k " + k + " is not in [0, " + dim + "] (axis " + axis + " of " + x.shape()
                + ")");
        boolean largest = n.attrInt("largest", 1) == 1;
        Tensor values, indices;
        if (largest && axis == rank - 1) {
            Tensor[] top = Ops.topK(x, (int) k);
            values = top[0];
            indices = top[1];
        } else {
            int[] begin = new int[rank], size = new int[rank];
            Arrays.fill(size, -1);
            size[axis] = (int) k;
            indices = Ops.slice(Ops.argsort(x, axis, largest), begin, size);
            values = Ops.gatherElements(x, indices, axis);
        }
        return List.of(values, Ops.cast(indices, DType.INT64));
    }

    private static Tensor scatterNd(OnnxNode n) {
        Tensor data = n.required(0), updates = n.required(2);
        Tensor indices = nonNegativeNdIndices(n, data, n.required(1));
        String reduction = n.attrString("reduction", "none");
        if (ONE_BY_ONE.contains(reduction)) return oneByOne(n, data, indices, updates, reduction);
        return scatter(n, data, updates, reduction,
                u -> Ops.run(GradOps.GATHER_ND_GRAD, Attrs.EMPTY, u, indices, data));
    }

    private static Tensor scatterElements(OnnxNode n) {
        Tensor data = n.required(0), updates = n.required(2);
        int axis = axis(n, data);
        Tensor indices = fromEnd(data, n.required(1), axis);
        String reduction = n.attrString("reduction", "none");
        if (ONE_BY_ONE.contains(reduction)) {
            return oneByOne(n, data, elementTuples(n, indices, axis), Ops.reshape(updates, -1), reduction);
        }
        return scatter(n, data, updates, reduction, u -> Ops.run(GradOps.GATHER_ELEMENTS_GRAD, Attrs.of("axis", axis),
                u, indices, data));
    }

    /**
     * TensorScatter (a key-value cache update): update's sequence positions j go to write_indices[batch] + j along
     * the axis (modulo the cache length in circular mode), every other position keeps the cache; as a ScatterND of
     * index tuples (prefix positions, cache position).
     */
    private static Tensor tensorScatter(OnnxNode n) {
        Tensor cache = n.required(0), update = n.required(1);
        int rank = cache.rank();
        long a = n.attrInt("axis", -2);
        int axis = (int) (a < 0 ? a + rank : a);
        if (axis < 1 || axis >= rank) throw n.error("axis " + a + " must follow the batch axis (rank " + rank + ")");
        int[] prefix = new int[axis + 1];
        for (int i = 0; i < axis; i++) prefix[i] = NnRules.knownDim(n, update, i);
        int seq = NnRules.knownDim(n, update, axis), max = NnRules.knownDim(n, cache, axis);
        prefix[axis] = seq;
        Tensor start = n.in(2) == null ? Ops.zeros(DType.INT64, prefix[0]) : Ops.cast(n.in(2), DType.INT64);
        List<Tensor> columns = new java.util.ArrayList<>();
        for (int i = 0; i < axis; i++) columns.add(iota(prefix, i));
        int[] batchShape = new int[axis + 1];
        Arrays.fill(batchShape, 1);
        batchShape[0] = prefix[0];
        Tensor position = Ops.add(Ops.reshape(start, batchShape), iota(prefix, axis));
        if (n.attrString("mode", "linear").equals("circular")) position = Ops.mod(position, (long) max);
        columns.add(Ops.broadcastTo(position, prefix));
        Tensor tuples = Ops.stack(columns, axis + 1);
        return scatter(n, cache, update, "none",
                u -> Ops.run(GradOps.GATHER_ND_GRAD, Attrs.EMPTY, u, tuples, cache));
    }

    /**
     * MaxUnpool: each value of X goes to its MaxPool index (flat over the pooled input's shape, (in - 1) * stride -
     * pads + kernel per spatial axis, as MaxPool's Indices output gives it), zeros elsewhere; a larger output_shape
     * adds zeros after the end of each axis (ONNX's reference).
     */
    private static Tensor maxUnpool(OnnxNode n) {
        Tensor x = n.required(0), indices = n.required(1);
        int rank = x.rank();
        int[] kernel = n.attrInts("kernel_shape", null);
        if (kernel == null) throw n.error("needs kernel_shape");
        int k = kernel.length;
        int[] strides = n.attrInts("strides", null), pads = n.attrInts("pads", new int[2 * k]);
        int[] shape = new int[rank];
        shape[0] = NnRules.knownDim(n, x, 0);
        shape[1] = NnRules.knownDim(n, x, 1);
        for (int i = 0; i < k; i++) {
            int stride = strides == null ? 1 : strides[i];
            shape[2 + i] = (NnRules.knownDim(n, x, 2 + i) - 1) * stride - pads[i] - pads[k + i] + kernel[i];
        }
        int total = 1;
        for (int d : shape) total *= d;
        Tensor zeros = Ops.zeros(x.dtype(), total);
        Tensor tuples = Ops.reshape(Ops.cast(indices, DType.INT64), -1, 1);
        Tensor flat = scatter(n, zeros, Ops.reshape(x, -1), "none",
                u -> Ops.run(GradOps.GATHER_ND_GRAD, Attrs.EMPTY, u, tuples, zeros));
        Tensor y = Ops.reshape(flat, shape);
        if (n.in(2) == null) return y;
        long[] given = n.constant(2).toLongArray();
        int[][] extra = new int[rank][2];
        for (int i = 0; i < rank; i++) {
            if (given[i] < shape[i]) throw n.error("output_shape " + Arrays.toString(given) + " is smaller than the "
                    + "unpooled shape " + Arrays.toString(shape));
            extra[i][1] = (int) given[i] - shape[i];
        }
        return Ops.pad(y, extra);
    }

    /** The index along axis {@code a} at every position of shape {@code dims} (int64). */
    private static Tensor iota(int[] dims, int a) {
        int[] shape = new int[dims.length];
        Arrays.fill(shape, 1);
        shape[a] = dims[a];
        return Ops.broadcastTo(Ops.reshape(Ops.range(0, dims[a], 1, DType.INT64), shape), dims);
    }

    /** The reductions applied one update after another, since indices may repeat. */
    private static final java.util.Set<String> ONE_BY_ONE = java.util.Set.of("mul", "max", "min");

    /**
     * ScatterND with reduction mul, max or min: update j (index tuple j of {@code tuples}, slice j of updates) is
     * combined with what is there so far, in order, as ONNX defines it for repeated indices. Unrolled over the
     * number of index tuples, which must be known at import.
     */
    private static Tensor oneByOne(OnnxNode n, Tensor data, Tensor tuples, Tensor updates, String reduction) {
        if (data.dtype() != updates.dtype()) throw n.error("data is " + data.dtype() + " but updates are "
                + updates.dtype());
        int count = 1;
        for (int a = 0; a < tuples.rank() - 1; a++) count *= NnRules.knownDim(n, tuples, a);
        int q = NnRules.knownDim(n, tuples, tuples.rank() - 1);
        Tensor flatTuples = Ops.reshape(tuples, count, q);
        int[] sliceDims = java.util.Arrays.copyOfRange(data.shape().dims(), q, data.rank());
        int[] flatShape = new int[sliceDims.length + 1];
        flatShape[0] = count;
        System.arraycopy(sliceDims, 0, flatShape, 1, sliceDims.length);
        Tensor flatUpdates = Ops.reshape(updates, flatShape);
        Tensor y = data;
        for (int j = 0; j < count; j++) {
            Tensor at = Ops.slice(flatTuples, new int[] {j, 0}, new int[] {1, q});
            int[] begin = new int[flatShape.length], size = flatShape.clone();
            begin[0] = j;
            size[0] = 1;
            Tensor u = Ops.slice(flatUpdates, begin, size);
            Tensor current = Ops.gatherNd(y, at);
            Tensor combined = switch (reduction) {
                case "mul" -> Ops.mul(current, u);
                case "max" -> Ops.maximum(current, u);
                default -> Ops.minimum(current, u);
            };
            Tensor target = y;
            y = scatter(n, target, combined, "none",
                    v -> Ops.run(GradOps.GATHER_ND_GRAD, Attrs.EMPTY, v, at, target));
        }
        return y;
    }

    /** ScatterElements' indices as ScatterND index tuples: each position of indices with its axis entry replaced. */
    private static Tensor elementTuples(OnnxNode n, Tensor indices, int axis) {
        int rank = indices.rank();
        int[] dims = new int[rank];
        for (int a = 0; a < rank; a++) dims[a] = NnRules.knownDim(n, indices, a);
        List<Tensor> columns = new java.util.ArrayList<>();
        for (int a = 0; a < rank; a++) {
            Tensor column;
            if (a == axis) {
                column = Ops.cast(indices, DType.INT64);
            } else {
                int[] shape = new int[rank];
                Arrays.fill(shape, 1);
                shape[a] = dims[a];
                column = Ops.broadcastTo(Ops.reshape(Ops.range(0, dims[a], 1, DType.INT64), shape), dims);
            }
            columns.add(Ops.reshape(column, -1));
        }
        return Ops.stack(columns, 1);
    }

    /**
     * A scatter as the adjoint of the matching gather ({@code addInto} adds a float tensor shaped like updates into
     * zeros shaped like data). Reduction add adds that to data. Reduction none, where ONNX requires distinct indices,
     * scatters each update's position (1, 2, ...) instead of its value, so every written element knows which update
     * to take: that works for any dtype.
     */
    private static Tensor scatter(OnnxNode n, Tensor data, Tensor updates, String reduction,
                                  UnaryOperator<Tensor> addInto) {
        if (data.dtype() != updates.dtype()) {
            throw n.error("data is " + data.dtype() + " but updates are " + updates.dtype());
        }
        switch (reduction) {
            case "none" -> {
                if (updates.shape().isFullyDefined() && updates.shape().size() == 0) return Ops.identity(data);
                Tensor flat = Ops.reshape(updates, -1);
                Tensor position = Ops.cumsum(Ops.cast(Ops.onesLike(flat), DType.FLOAT64), 0);
                Tensor source = addInto.apply(NnRules.reshapeLike(position, updates));
                Tensor taken = Ops.gather(flat, Ops.cast(Ops.maximum(Ops.sub(source, 1.0), 0.0), DType.INT64), 0);
                return Ops.where(Ops.greater(source, 0.0), taken, data);
            }
            case "add" -> {
                if (data.dtype().isFloating()) return Ops.add(data, addInto.apply(updates));
                if (data.dtype() == DType.BOOL) throw n.unsupported("reduction 'add' on bool tensors");
                // Integers are summed in float64: exact while the sums stay within 2^53.
                return Ops.add(data, Ops.cast(addInto.apply(Ops.cast(updates, DType.FLOAT64)), data.dtype()));
            }
            default -> throw n.error("reduction '" + reduction + "' is not an ONNX value (none, add, mul, max, min)");
        }
    }

    /** The node's {@code axis} attribute (default 0), counted from the end when negative, checked against the rank. */
    static int axis(OnnxNode n, Tensor data) {
        long a = n.attrInt("axis", 0);
        int rank = data.rank();
        if (a < -rank || a >= rank) throw n.error("axis " + a + " is out of range for rank " + rank);
        return (int) (a < 0 ? a + rank : a);
    }

    /**
     * Indices into {@code axis} of {@code data} with ONNX's negative indices (counted from the end) made
     * non-negative, as Nabla's gathers want them. Known indices that are all non-negative are returned as they are.
     */
    static Tensor fromEnd(Tensor data, Tensor indices, int axis) {
        if (!indices.isSymbolic() && Arrays.stream(indices.toLongArray()).allMatch(i -> i >= 0)) return indices;
        int d = data.shape().dim(axis);
        Tensor dim = d >= 0 ? Tensors.scalar((long) d)
                : Ops.gather(Ops.shape(data, DType.INT64), Tensors.scalar(axis), 0);
        Tensor idx = Ops.cast(indices, DType.INT64);
        return Ops.where(Ops.less(idx, 0L), Ops.add(idx, dim), idx);
    }

    /** ScatterND's index tuples with negative entries counted from the end of their data axis. */
    private static Tensor nonNegativeNdIndices(OnnxNode n, Tensor data, Tensor indices) {
        int q = NnRules.knownDim(n, indices, indices.rank() - 1);
        if (q > data.rank()) throw n.error("index tuples of length " + q + " do not fit data of rank " + data.rank());
        long[] dims = new long[q];
        for (int i = 0; i < q; i++) dims[i] = NnRules.knownDim(n, data, i);
        Tensor idx = Ops.cast(indices, DType.INT64);
        return Ops.where(Ops.less(idx, 0L), Ops.add(idx, Tensors.of(dims, q)), idx);
    }

    private static Tensor gatherNd(OnnxNode n) {
        Tensor data = n.required(0), indices = n.required(1);
        int batchDims = (int) n.attrInt("batch_dims", 0);
        if (batchDims == 0) return Ops.gatherNd(data, nonNegativeNdIndices(n, data, indices));
        // Prefix each index tuple with its batch position, then gather over the un-batched data.
        int[] ds = data.shape().dims(), is = indices.shape().dims();
        for (int i = 0; i < batchDims; i++) {
            if (ds[i] < 0 || ds[i] != is[i]) throw n.error("batch dimension " + i + " differs: data " + data.shape()
                    + ", indices " + indices.shape());
        }
        int batch = 1;
        for (int i = 0; i < batchDims; i++) batch *= ds[i];
        int[] flatData = new int[ds.length - batchDims + 1];
        flatData[0] = batch;
        System.arraycopy(ds, batchDims, flatData, 1, ds.length - batchDims);
        int[] flatIdx = new int[is.length - batchDims + 1];
        flatIdx[0] = batch;
        System.arraycopy(is, batchDims, flatIdx, 1, is.length - batchDims);
        Tensor idx = Ops.cast(Ops.reshape(indices, flatIdx), DType.INT64);
        int[] posShape = new int[flatIdx.length];
        Arrays.fill(posShape, 1);
        posShape[0] = batch;
        int[] full = flatIdx.clone();
        full[full.length - 1] = 1;
        Tensor pos = Ops.broadcastTo(Ops.reshape(Ops.range(0, batch, 1, DType.INT64), posShape), full);
        Tensor out = Ops.gatherNd(Ops.reshape(data, flatData), Ops.concat(-1, pos, idx));
        int[] outShape = new int[batchDims + out.rank() - 1];
        System.arraycopy(ds, 0, outShape, 0, batchDims);
        int[] rest = out.shape().dims();
        System.arraycopy(rest, 1, outShape, batchDims, rest.length - 1);
        return Ops.reshape(out, outShape);
    }
}
