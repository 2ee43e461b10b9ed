package org.nabla.ops;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;

/** Array manipulation: reshape, transpose, slicing, joining, gathering, sorting, padding, casting of layout. */
public final class ArrayOps {
    private ArrayOps() {}

    public static final OpDef RESHAPE = OpDef.builder("Reshape").inputs("tensor")
            .attr("shape", AttrType.INTS)
            .shape((in, a) -> Infer.one(in[0].dtype(), reshapeTarget(in[0].shape(), a.getInts("shape"))))
            .summary("same elements, new shape; one dimension may be -1 (inferred)").build();

    /** TensorFlow's {@code tf.shape}: the dimensions as a 1-D tensor computed at run time. */
    public static final OpDef SHAPE = OpDef.builder("Shape").inputs("x")
            .attr("dtype", AttrType.DTYPE, DType.INT32)
            .shape((in, a) -> {
                DType t = a.getDType("dtype");
                if (t != DType.INT32 && t != DType.INT64) {
                    throw new OpException("Shape", "dtype must be int32 or int64, got " + t);
                }
                return Infer.one(t, Shape.of(in[0].shape().rank()));
            })
            .notDifferentiable()
            .summary("the input's dimensions as a 1-D int32/int64 tensor, known at run time even where the graph has "
                    + "unknown dimensions").build();

    /**
     * Reshape to a shape given as a tensor (known only at run time): TensorFlow's {@code tf.reshape(x, shape_tensor)}.
     * With {@code zeroCopiesInput} a 0 entry keeps the input's dimension at that position (ONNX's Reshape).
     */
    public static final OpDef DYNAMIC_RESHAPE = OpDef.builder("DynamicReshape").inputs("tensor", "shape")
            .attr("zeroCopiesInput", AttrType.BOOL, false)
            .shape((in, a) -> {
                Shape s = in[1].shape();
                if (in[1].dtype() != DType.INT32 && in[1].dtype() != DType.INT64 || s.rank() != 1) {
                    throw new OpException("DynamicReshape", "shape must be a 1-D int32 or int64 tensor, got "
                            + in[1]);
                }
                if (s.dim(0) < 0) {
                    throw new OpException("DynamicReshape", "the length of shape must be known when the graph is "
                            + "built (it is the output's rank), got " + in[1]);
                }
                int[] dims = new int[s.dim(0)];
                java.util.Arrays.fill(dims, Shape.UNKNOWN);
                return Infer.one(in[0].dtype(), Shape.of(dims));
            })
            .summary("same elements, new shape read from a tensor at run time; one entry may be -1 (inferred)")
            .build();

    public static final OpDef TRANSPOSE = OpDef.builder("Transpose").inputs("x")
            .attr("perm", AttrType.INTS)
            .shape((in, a) -> Infer.one(in[0].dtype(), permute(in[0].shape(), a.getInts("perm"))))
            .summary("permutes axes; output axis i is input axis perm[i]").build();

    public static final OpDef CONCAT = OpDef.builder("Concat").variadicInput("values", 1)
            .attr("axis", AttrType.INT, 0)
            .shape((in, a) -> Infer.one(in[0].dtype(), joinShape("Concat", in, a.getInt("axis"), false)))
            .summary("joins tensors along an existing axis; other dimensions and dtypes must match").build();

    public static final OpDef STACK = OpDef.builder("Stack").variadicInput("values", 1)
            .attr("axis", AttrType.INT, 0)
            .shape((in, a) -> Infer.one(in[0].dtype(), joinShape("Stack", in, a.getInt("axis"), true)))
            .summary("joins same-shaped tensors along a new axis (-rank-1 <= axis <= rank)").build();

    public static final OpDef SPLIT = OpDef.builder("Split").inputs("x")
            .attr("axis", AttrType.INT, 0).attr("numSplit", AttrType.INT, 0).attr("sizes", AttrType.INTS, new int[0])
            .shape(ArrayOps::splitShapes)
            .summary("splits along axis into numSplit equal parts or parts of the given sizes (one may be -1); "
                    + "the outputs are views").build();

    public static final OpDef SLICE = OpDef.builder("Slice").inputs("x")
            .attr("begin", AttrType.INTS).attr("size", AttrType.INTS)
            .shape((in, a) -> Infer.one(in[0].dtype(), sliceShape(in[0].shape(), a.getInts("begin"), a.getInts("size"))))
            .summary("the block starting at begin with the given size (-1 = to the end); a view").build();

    public static final OpDef STRIDED_SLICE = OpDef.builder("StridedSlice").inputs("x")
            .attr("begin", AttrType.INTS).attr("end", AttrType.INTS).attr("strides", AttrType.INTS)
            .attr("beginMask", AttrType.INT, 0).attr("endMask", AttrType.INT, 0).attr("ellipsisMask", AttrType.INT, 0)
            .attr("newAxisMask", AttrType.INT, 0).attr("shrinkAxisMask", AttrType.INT, 0)
            .shape((in, a) -> Infer.one(in[0].dtype(), StridedSlicing.of(in[0].shape(), a).shape()))
            .summary("Python-style x[begin:end:stride, ...] with TensorFlow's masks; negative strides allowed; a view")
            .build();

    public static final OpDef GATHER = OpDef.builder("Gather").inputs("params", "indices")
            .attr("axis", AttrType.INT, 0).attr("batchDims", AttrType.INT, 0)
            .shape(ArrayOps::gatherShape)
            .summary("slices of params along axis picked by integer indices (tf.gather)").build();

    public static final OpDef GATHER_ND = OpDef.builder("GatherNd").inputs("params", "indices")
            .shape(ArrayOps::gatherNdShape)
            .summary("slices of params addressed by the last axis of indices (tf.gather_nd, batchDims 0)").build();

    public static final OpDef GATHER_ELEMENTS = OpDef.builder("GatherElements").inputs("data", "indices")
            .attr("axis", AttrType.INT, 0)
            .shape(ArrayOps::gatherElementsShape)
            .summary("elements of data picked along axis by indices of the same rank: out[i][j] = data[indices[i][j]]"
                    + "[j] for axis 0 (ONNX GatherElements, torch.gather); negative indices count from the end")
            .build();

    public static final OpDef ONE_HOT = OpDef.builder("OneHot").inputs("indices")
            .attr("depth", AttrType.INT).attr("onValue", AttrType.FLOAT, 1.0).attr("offValue", AttrType.FLOAT, 0.0)
            .attr("axis", AttrType.INT, -1).attr("dtype", AttrType.DTYPE, DType.FLOAT32)
            .shape((in, a) -> {
                Infer.requireDType("OneHot", "indices", in[0], DType.INT32, DType.INT64, DType.UINT8, DType.INT8,
                        DType.INT16, DType.UINT16, DType.UINT32, DType.UINT64);
                int depth = a.getInt("depth");
                if (depth < 0) throw new OpException("OneHot", "depth must be >= 0, got " + depth);
                Shape s = in[0].shape();
                int axis = a.getInt("axis");
                if (axis < -1 || axis > s.rank()) {
                    throw new OpException("OneHot", "axis " + axis + " is out of range for indices of rank " + s.rank()
                            + " (expected -1 <= axis <= " + s.rank() + ")");
                }
                return Infer.one(a.getDType("dtype"), insertDim(s, axis == -1 ? s.rank() : axis, depth));
            })
            .kernelDTypeFromAttr("dtype")
            .notDifferentiable()
            .summary("onValue where the index equals the position along the new axis, offValue elsewhere "
                    + "(out-of-range indices give an all-off row)").build();

    public static final OpDef SORT = OpDef.builder("Sort").inputs("x")
            .attr("axis", AttrType.INT, -1).attr("descending", AttrType.BOOL, false)
            .shape((in, a) -> sortShape("Sort", in, a, in[0].dtype()))
            .summary("sorted values along axis; NaN sorts as the largest value (last ascending, first descending)")
            .build();

    public static final OpDef ARGSORT = OpDef.builder("Argsort").inputs("x")
            .attr("axis", AttrType.INT, -1).attr("descending", AttrType.BOOL, false)
            .shape((in, a) -> sortShape("Argsort", in, a, DType.INT32))
            .notDifferentiable()
            .summary("int32 indices that sort x along axis; stable (equal values keep their order), NaN largest")
            .build();

    public static final OpDef TOP_K = OpDef.builder("TopK").inputs("x")
            .attr("k", AttrType.INT).attr("sorted", AttrType.BOOL, true)
            .shape((in, a) -> {
                Infer.requireNumeric("TopK", "x", in[0]);
                Shape s = in[0].shape();
                int k = a.getInt("k");
                if (s.rank() == 0) throw new OpException("TopK", "input must have rank >= 1, got a scalar");
                int n = s.dim(-1);
                if (k < 0 || (n >= 0 && k > n)) {
                    throw new OpException("TopK", "k = " + k + " must be in [0, " + n + "] (last dimension of "
                            + s + ")");
                }
                int[] d = s.dims();
                d[d.length - 1] = k;
                return new TensorSpec[] {new TensorSpec(in[0].dtype(), Shape.of(d)), new TensorSpec(DType.INT32,
                        Shape.of(d))};
            })
            .summary("the k largest values along the last axis, largest first, and their int32 indices; "
                    + "ties keep the lower index first").build();

    public static final OpDef TILE = OpDef.builder("Tile").inputs("x")
            .attr("multiples", AttrType.INTS)
            .shape((in, a) -> {
                Shape s = in[0].shape();
                int[] m = a.getInts("multiples");
                if (m.length != s.rank()) {
                    throw new OpException("Tile", "multiples " + Arrays.toString(m) + " has " + m.length
                            + " entries but the input " + s + " has rank " + s.rank());
                }
                int[] d = s.dims();
                for (int i = 0; i < d.length; i++) {
                    if (m[i] < 0) throw new OpException("Tile", "multiples must be >= 0, got " + Arrays.toString(m));
                    d[i] = d[i] < 0 ? -1 : Math.multiplyExact(d[i], m[i]);
                }
                return Infer.one(in[0].dtype(), Shape.of(d));
            })
            .summary("repeats the input multiples[i] times along axis i").build();

    public static final OpDef BROADCAST_TO = OpDef.builder("BroadcastTo").inputs("x")
            .attr("shape", AttrType.INTS)
            .shape((in, a) -> Infer.one(in[0].dtype(), broadcastTarget(in[0].shape(), a.getInts("shape"))))
            .summary("the input broadcast (NumPy rules) to shape; a view with zero strides").build();

    public static final OpDef SQUEEZE = OpDef.builder("Squeeze").inputs("x")
            .attr("axes", AttrType.INTS, new int[0])
            .shape((in, a) -> Infer.one(in[0].dtype(), squeezeShape(in[0].shape(), a.getInts("axes"))))
            .summary("drops size-1 axes (all of them when axes is empty); a view").build();

    public static final OpDef EXPAND_DIMS = OpDef.builder("ExpandDims").inputs("x")
            .attr("axis", AttrType.INT)
            .shape((in, a) -> {
                Shape s = in[0].shape();
                int axis = a.getInt("axis");
                int r = s.rank();
                if (axis < -r - 1 || axis > r) {
                    throw new OpException("ExpandDims", "axis " + axis + " is out of range for an input of rank " + r
                            + " (expected " + (-r - 1) + " <= axis <= " + r + ")");
                }
                return Infer.one(in[0].dtype(), insertDim(s, axis < 0 ? axis + r + 1 : axis, 1));
            })
            .summary("inserts a size-1 axis at axis (negative counts from the end of the output); a view").build();

    public static final OpDef PAD = OpDef.builder("Pad").inputs("x")
            .attr("paddings", AttrType.INTS).attr("mode", AttrType.STRING, "CONSTANT")
            .attr("constantValue", AttrType.FLOAT, 0.0)
            .shape((in, a) -> Infer.one(in[0].dtype(), padShape(in[0].shape(), a.getInts("paddings"),
                    a.getString("mode"))))
            .summary("pads each axis by paddings[2i] before and paddings[2i+1] after: CONSTANT (constantValue), "
                    + "REFLECT (mirror without the edge) or SYMMETRIC (mirror with the edge)").build();

    public static final OpDef IDENTITY = OpDef.builder("Identity").inputs("x")
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .summary("the input itself").build();

    public static final OpDef CHECK_NUMERICS = OpDef.builder("CheckNumerics").inputs("tensor")
            .attr("message", AttrType.STRING, "")
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .summary("the input itself, after failing with message if it holds a NaN or an infinity").build();

    // ---------------------------------------------------------------- shape rules

    private static int axisIn(String op, int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new OpException(op, "axis " + axis + " is out of range for " + what + " of rank " + rank
                    + " (expected " + (rank == 0 ? "no axis" : -rank + " <= axis < " + rank) + ")");
        }
        return a;
    }

    private static Shape insertDim(Shape s, int at, int size) {
        int[] d = s.dims();
        int[] out = new int[d.length + 1];
        System.arraycopy(d, 0, out, 0, at);
        out[at] = size;
        System.arraycopy(d, at, out, at + 1, d.length - at);
        return Shape.of(out);
    }

    static Shape joinShape(String op, TensorSpec[] in, int axis, boolean stack) {
        Shape first = in[0].shape();
        int rank = first.rank();
        int a = stack ? (axis < 0 ? axis + rank + 1 : axis) : axisIn(op, axis, rank, "inputs");
        if (stack && (a < 0 || a > rank)) {
            throw new OpException(op, "axis " + axis + " is out of range for inputs of rank " + rank + " (expected "
                    + (-rank - 1) + " <= axis <= " + rank + ")");
        }
        int[] out = first.dims();
        for (int i = 1; i < in.length; i++) {
            if (in[i].dtype() != in[0].dtype()) {
                throw new OpException(op, "input " + i + " has dtype " + in[i].dtype() + " but input 0 has "
                        + in[0].dtype() + " (all values must have the same dtype)");
            }
            Shape s = in[i].shape();
            if (s.rank() != rank) {
                throw new OpException(op, "input " + i + " has shape " + s + " (rank " + s.rank() + ") but input 0 has "
                        + first + " (rank " + rank + ")");
            }
            for (int d = 0; d < rank; d++) {
                int x = s.dim(d);
                if (!stack && d == a) {
                    out[d] = out[d] < 0 || x < 0 ? -1 : out[d] + x;
                } else if (x != out[d] && x >= 0 && out[d] >= 0) {
                    throw new OpException(op, "input " + i + " has shape " + s + " but input 0 has " + first
                            + (stack ? " (all values must have the same shape)"
                            : " (dimensions other than axis " + a + " must match)"));
                } else if (out[d] < 0) {
                    out[d] = x;
                }
            }
        }
        return stack ? insertDim(Shape.of(out), a, in.length) : Shape.of(out);
    }

    /** Sizes of the parts of a Split along its (normalized) axis. */
    private static int[] splitSizes(Shape s, Attrs a) {
        int axis = axisIn("Split", a.getInt("axis"), s.rank(), "an input");
        int n = s.dim(axis);
        int num = a.getInt("numSplit");
        int[] sizes = a.getInts("sizes");
        if ((num > 0) == (sizes.length > 0)) {
            throw new OpException("Split", "give exactly one of numSplit (> 0) and sizes, got numSplit=" + num
                    + " and sizes=" + Arrays.toString(sizes));
        }
        if (num > 0) {
            if (n >= 0 && n % num != 0) {
                throw new OpException("Split", "dimension " + n + " of axis " + axis + " (shape " + s
                        + ") is not divisible by numSplit=" + num);
            }
            int[] out = new int[num];
            Arrays.fill(out, n < 0 ? -1 : n / num);
            return out;
        }
        int unknown = -1;
        long known = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == -1 && unknown < 0) unknown = i;
            else if (sizes[i] < 0) {
                throw new OpException("Split", "sizes " + Arrays.toString(sizes) + " may hold one -1 and otherwise "
                        + "sizes >= 0");
            } else known += sizes[i];
        }
        if (n < 0) return sizes;
        if (unknown >= 0 ? known > n : known != n) {
            throw new OpException("Split", "sizes " + Arrays.toString(sizes) + " do not add up to dimension " + n
                    + " of axis " + axis + " (shape " + s + ")");
        }
        if (unknown >= 0) sizes[unknown] = (int) (n - known);
        return sizes;
    }

    private static TensorSpec[] splitShapes(TensorSpec[] in, Attrs a) {
        Shape s = in[0].shape();
        int[] sizes = splitSizes(s, a);
        int axis = a.getInt("axis") < 0 ? a.getInt("axis") + s.rank() : a.getInt("axis");
        TensorSpec[] out = new TensorSpec[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int[] d = s.dims();
            d[axis] = sizes[i];
            out[i] = new TensorSpec(in[0].dtype(), Shape.of(d));
        }
        return out;
    }

    /** The size of a Slice, with -1 entries resolved. */
    static Shape sliceShape(Shape s, int[] begin, int[] size) {
        int r = s.rank();
        if (begin.length != r || size.length != r) {
            throw new OpException("Slice", "begin " + Arrays.toString(begin) + " and size " + Arrays.toString(size)
                    + " must each have one entry per axis of the input " + s + " (rank " + r + ")");
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int n = s.dim(i);
            if (begin[i] < 0 || (n >= 0 && begin[i] > n) || size[i] < -1
                    || (n >= 0 && size[i] >= 0 && (long) begin[i] + size[i] > n)) {
                throw new OpException("Slice", "begin " + begin[i] + " with size " + size[i] + " is out of range for "
                        + "axis " + i + " of size " + n + " (input " + s + "; need 0 <= begin <= begin + size <= "
                        + n + ", size -1 means to the end)");
            }
            out[i] = size[i] == -1 ? (n < 0 ? -1 : n - begin[i]) : size[i];
        }
        return Shape.of(out);
    }

    private static TensorSpec[] gatherShape(TensorSpec[] in, Attrs a) {
        Infer.requireDType("Gather", "indices", in[1], DType.INT32, DType.INT64);
        Shape p = in[0].shape(), idx = in[1].shape();
        int batch = a.getInt("batchDims");
        if (batch < 0) batch += idx.rank();
        if (batch < 0 || batch > idx.rank() || batch >= Math.max(1, p.rank())) {
            throw new OpException("Gather", "batchDims " + a.getInt("batchDims") + " is out of range for indices "
                    + idx + " and params " + p + " (need 0 <= batchDims <= rank(indices) and < rank(params))");
        }
        int axis = axisIn("Gather", a.getInt("axis"), p.rank(), "params");
        if (axis < batch) {
            throw new OpException("Gather", "axis " + axis + " must be >= batchDims " + batch);
        }
        for (int i = 0; i < batch; i++) {
            if (p.dim(i) != idx.dim(i) && p.dim(i) >= 0 && idx.dim(i) >= 0) {
                throw new OpException("Gather", "batch dimension " + i + " differs: params " + p + " vs indices "
                        + idx);
            }
        }
        int[] pd = p.dims(), id = idx.dims();
        int[] out = new int[pd.length - 1 + id.length - batch];
        int k = 0;
        for (int i = 0; i < axis; i++) out[k++] = pd[i];
        for (int i = batch; i < id.length; i++) out[k++] = id[i];
        for (int i = axis + 1; i < pd.length; i++) out[k++] = pd[i];
        return Infer.one(in[0].dtype(), Shape.of(out));
    }

    private static TensorSpec[] gatherElementsShape(TensorSpec[] in, Attrs a) {
        String op = "GatherElements";
        Infer.requireDType(op, "indices", in[1], DType.INT32, DType.INT64);
        Shape d = in[0].shape(), idx = in[1].shape();
        if (d.rank() == 0) throw new OpException(op, "data must have rank >= 1, got a scalar");
        if (idx.rank() != d.rank()) {
            throw new OpException(op, "indices " + idx + " must have the rank of data " + d + " (" + d.rank() + ")");
        }
        int axis = axisIn(op, a.getInt("axis"), d.rank(), "data");
        for (int i = 0; i < d.rank(); i++) {
            if (i != axis && d.dim(i) >= 0 && idx.dim(i) > d.dim(i)) {
                throw new OpException(op, "indices " + idx + " is larger than data " + d + " along axis " + i
                        + " (indices may exceed data only along axis " + axis + ")");
            }
        }
        return Infer.one(in[0].dtype(), idx);
    }

    private static TensorSpec[] gatherNdShape(TensorSpec[] in, Attrs a) {
        Infer.requireDType("GatherNd", "indices", in[1], DType.INT32, DType.INT64);
        Shape p = in[0].shape(), idx = in[1].shape();
        if (idx.rank() == 0) throw new OpException("GatherNd", "indices must have rank >= 1, got a scalar");
        int k = idx.dim(-1);
        if (k < 0 || k > p.rank()) {
            throw new OpException("GatherNd", "the last dimension of indices " + idx + " (" + k + ") must be <= the "
                    + "rank of params " + p + " (" + p.rank() + ")");
        }
        int[] pd = p.dims(), id = idx.dims();
        int[] out = new int[id.length - 1 + pd.length - k];
        System.arraycopy(id, 0, out, 0, id.length - 1);
        System.arraycopy(pd, k, out, id.length - 1, pd.length - k);
        return Infer.one(in[0].dtype(), Shape.of(out));
    }

    private static TensorSpec[] sortShape(String op, TensorSpec[] in, Attrs a, DType out) {
        Infer.requireNumeric(op, "x", in[0]);
        Shape s = in[0].shape();
        if (s.rank() == 0) throw new OpException(op, "input must have rank >= 1, got a scalar");
        axisIn(op, a.getInt("axis"), s.rank(), "an input");
        return Infer.one(out, s);
    }

    static Shape broadcastTarget(Shape s, int[] target) {
        if (target.length < s.rank()) {
            throw new OpException("BroadcastTo", "cannot broadcast " + s + " to " + Arrays.toString(target)
                    + ": the target has fewer dimensions");
        }
        int off = target.length - s.rank();
        for (int i = 0; i < s.rank(); i++) {
            int d = s.dim(i);
            if (d != 1 && d != target[off + i] && d >= 0 && target[off + i] >= 0) {
                throw new OpException("BroadcastTo", "cannot broadcast " + s + " to " + Shape.of(target)
                        + ": dimension " + i + " is " + d + " vs " + target[off + i] + " (must be equal or 1)");
            }
        }
        return Shape.of(target);
    }

    static Shape squeezeShape(Shape s, int[] axes) {
        int r = s.rank();
        boolean[] drop = new boolean[r];
        if (axes.length == 0) {
            for (int i = 0; i < r; i++) drop[i] = s.dim(i) == 1;
        }
        for (int ax : axes) {
            int a = axisIn("Squeeze", ax, r, "an input");
            if (s.dim(a) != 1 && s.dim(a) != Shape.UNKNOWN) {
                throw new OpException("Squeeze", "cannot squeeze axis " + ax + " of shape " + s + ": its size is "
                        + s.dim(a) + ", not 1");
            }
            drop[a] = true;
        }
        int[] out = new int[r];
        int k = 0;
        for (int i = 0; i < r; i++) if (!drop[i]) out[k++] = s.dim(i);
        return Shape.of(Arrays.copyOf(out, k));
    }

    static Shape padShape(Shape s, int[] p, String mode) {
        int r = s.rank();
        if (!mode.equals("CONSTANT") && !mode.equals("REFLECT") && !mode.equals("SYMMETRIC")) {
            throw new OpException("Pad", "mode must be CONSTANT, REFLECT or SYMMETRIC, got '" + mode + "'");
        }
        if (p.length != 2 * r) {
            throw new OpException("Pad", "paddings must have 2 entries (before, after) per axis of the input " + s
                    + ", i.e. " + 2 * r + ", got " + p.length + ": " + Arrays.toString(p));
        }
        int[] out = s.dims();
        for (int i = 0; i < r; i++) {
            int before = p[2 * i], after = p[2 * i + 1], n = out[i];
            if (before < 0 || after < 0) {
                throw new OpException("Pad", "paddings for axis " + i + " are [" + before + ", " + after
                        + "]; they must be >= 0");
            }
            int limit = mode.equals("REFLECT") ? n - 1 : n;
            if (!mode.equals("CONSTANT") && n >= 0 && (before > limit || after > limit)) {
                throw new OpException("Pad", mode + " paddings for axis " + i + " are [" + before + ", " + after
                        + "] but must be <= " + limit + " for a dimension of size " + n);
            }
            out[i] = n < 0 ? -1 : n + before + after;
        }
        return Shape.of(out);
    }

    /** The output shape of Reshape, resolving one -1 dimension. */
    /** The shape {@code input} reshapes to for {@code target} (one -1 inferred); checks the sizes agree. */
    public static Shape reshapeTarget(Shape input, int[] target) {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (inferred >= 0) {
                    throw new OpException("Reshape", "only one dimension can be -1, got " + java.util.Arrays
                            .toString(target));
                }
                inferred = i;
            } else if (target[i] < 0) {
                throw new OpException("Reshape", "negative dimension " + target[i] + " in target shape "
                        + java.util.Arrays.toString(target));
            } else {
                known *= target[i];
            }
        }
        int[] out = target.clone();
        long size = input.size();
        if (size < 0) {
            return Shape.of(out); // unknown input size: an inferred dim stays unknown
        }
        if (inferred >= 0) {
            if (known == 0 || size % known != 0) {
                throw new OpException("Reshape", "cannot reshape a tensor of shape " + input + " (" + size
                        + " elements) into " + java.util.Arrays.toString(target));
            }
            out[inferred] = (int) (size / known);
        } else if (known != size) {
            throw new OpException("Reshape", "cannot reshape a tensor of shape " + input + " (" + size
                    + " elements) into shape " + Shape.of(target) + " (" + known + " elements)");
        }
        return Shape.of(out);
    }

    /** Validates a permutation and applies it to a shape. */
    static Shape permute(Shape input, int[] perm) {
        int rank = input.rank();
        if (perm.length != rank) {
            throw new OpException("Transpose", "perm " + java.util.Arrays.toString(perm) + " has " + perm.length
                    + " entries but the input " + input + " has rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int p = perm[i] < 0 ? perm[i] + rank : perm[i];
            if (p < 0 || p >= rank || seen[p]) {
                throw new OpException("Transpose", "perm " + java.util.Arrays.toString(perm)
                        + " is not a permutation of 0.." + (rank - 1));
            }
            seen[p] = true;
            out[i] = input.dim(p);
        }
        return Shape.of(out);
    }
}
