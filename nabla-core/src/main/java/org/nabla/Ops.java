package org.nabla;

import org.nabla.eager.ExecutionContext;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.ReductionOps;

/**
 * The front door to every op: {@code Ops.add(a, b)}, {@code Ops.matmul(a, b)}... Each method builds the op's
 * attributes and hands the call to the current {@link ExecutionContext}: eagerly it computes at once, inside a graph
 * it adds a node. Operands typed {@code Object} accept tensors, Java numbers and nested Java arrays; a Java value
 * next to a tensor takes that tensor's dtype.
 */
public final class Ops {
    private Ops() {}

    // ---------------------------------------------------------------- dispatch

    /** Runs a single-output op in the current context. */
    public static Tensor run(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, inputs)[0];
    }

    /** Runs a multi-output op in the current context. */
    public static Tensor[] runMulti(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, inputs);
    }

    /** Converts both operands of a binary op; a Java value takes the dtype of the tensor beside it. */
    static Tensor[] operands(Object x, Object y) {
        if (x instanceof Tensor a && y instanceof Tensor b) return new Tensor[] {a, b};
        if (x instanceof Tensor a) return new Tensor[] {a, Tensors.convert(y, a.dtype())};
        if (y instanceof Tensor b) return new Tensor[] {Tensors.convert(x, b.dtype()), b};
        return new Tensor[] {Tensors.convert(x), Tensors.convert(y)};
    }

    // ---------------------------------------------------------------- creation

    /** A constant tensor from a Java value (see {@link Tensors#convert(Object)}). */
    public static Tensor constant(Object value) { return Tensors.convert(value); }

    /** TensorFlow's convert_to_tensor: tensors pass through, Java values are converted. */
    public static Tensor convertToTensor(Object value) { return Tensors.convert(value); }

    /** Like {@link #convertToTensor(Object)}, converting Java values to {@code dtype}. */
    public static Tensor convertToTensor(Object value, DType dtype) { return Tensors.convert(value, dtype); }

    // ---------------------------------------------------------------- math

    public static Tensor add(Object x, Object y) {
        Tensor[] o = operands(x, y);
        return run(MathOps.ADD, Attrs.EMPTY, o[0], o[1]);
    }

    // ---------------------------------------------------------------- linalg

    // ---------------------------------------------------------------- reduction
    // Each reduction takes the axes to reduce (none given = all axes; negative axes count from the end) and
    // optionally keepDims, which keeps reduced axes with size 1.

    /** Sum over {@code axes} (all when none given); an empty reduction gives 0. */
    public static Tensor sum(Tensor x, int... axes) { return sum(x, false, axes); }

    public static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.SUM, x, keepDims, axes);
    }

    /** Mean over {@code axes}; integer means truncate toward zero, an empty float mean is NaN. */
    public static Tensor mean(Tensor x, int... axes) { return mean(x, false, axes); }

    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.MEAN, x, keepDims, axes);
    }

    /** Maximum over {@code axes}; NaN propagates; an empty reduction gives -inf (floats) or the lowest integer. */
    public static Tensor max(Tensor x, int... axes) { return max(x, false, axes); }

    public static Tensor max(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.MAX, x, keepDims, axes);
    }

    /** Minimum over {@code axes}; NaN propagates; an empty reduction gives +inf (floats) or the highest integer. */
    public static Tensor min(Tensor x, int... axes) { return min(x, false, axes); }

    public static Tensor min(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.MIN, x, keepDims, axes);
    }

    /** Product over {@code axes}; an empty reduction gives 1. */
    public static Tensor prod(Tensor x, int... axes) { return prod(x, false, axes); }

    public static Tensor prod(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.PROD, x, keepDims, axes);
    }

    /** log(sum(exp(x))) over {@code axes}, computed without overflow. */
    public static Tensor logSumExp(Tensor x, int... axes) { return logSumExp(x, false, axes); }

    public static Tensor logSumExp(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.LOG_SUM_EXP, x, keepDims, axes);
    }

    /** Logical or of a bool tensor over {@code axes}. */
    public static Tensor any(Tensor x, int... axes) { return any(x, false, axes); }

    public static Tensor any(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.ANY, x, keepDims, axes);
    }

    /** Logical and of a bool tensor over {@code axes}. */
    public static Tensor all(Tensor x, int... axes) { return all(x, false, axes); }

    public static Tensor all(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.ALL, x, keepDims, axes);
    }

    private static Tensor runReduction(OpDef op, Tensor x, boolean keepDims, int[] axes) {
        return run(op, Attrs.of("axes", axes, "keepDims", keepDims), x);
    }

    /** Index (int64) of the largest element along {@code axis}; ties give the first, NaN wins. */
    public static Tensor argMax(Tensor x, int axis) { return argMax(x, axis, DType.INT64); }

    /** Like {@link #argMax(Tensor, int)} with an int32 or int64 result. */
    public static Tensor argMax(Tensor x, int axis, DType outputType) {
        return run(ReductionOps.ARG_MAX, Attrs.of("axis", axis, "outputType", outputType), x);
    }

    /** Index (int64) of the smallest element along {@code axis}; ties give the first, NaN wins. */
    public static Tensor argMin(Tensor x, int axis) { return argMin(x, axis, DType.INT64); }

    public static Tensor argMin(Tensor x, int axis, DType outputType) {
        return run(ReductionOps.ARG_MIN, Attrs.of("axis", axis, "outputType", outputType), x);
    }

    /** Running sum along {@code axis} (tf.math.cumsum). */
    public static Tensor cumsum(Tensor x, int axis) { return cumsum(x, axis, false, false); }

    /** Running sum; {@code exclusive} leaves out the current element (starts from 0), {@code reverse} runs backward. */
    public static Tensor cumsum(Tensor x, int axis, boolean exclusive, boolean reverse) {
        return run(ReductionOps.CUMSUM, Attrs.of("axis", axis, "exclusive", exclusive, "reverse", reverse), x);
    }

    // ---------------------------------------------------------------- array

    public static Tensor reshape(Tensor x, int... shape) {
        return run(ArrayOps.RESHAPE, Attrs.of("shape", shape), x);
    }

    /** Permutes axes; with no {@code perm}, reverses them (matrix transpose for rank 2). */
    public static Tensor transpose(Tensor x, int... perm) {
        if (perm.length == 0 && x.rank() > 0) {
            perm = new int[x.rank()];
            for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
        }
        return run(ArrayOps.TRANSPOSE, Attrs.of("perm", perm), x);
    }

    /** Joins tensors along an existing {@code axis} (tf.concat). */
    public static Tensor concat(int axis, Tensor... values) {
        return run(ArrayOps.CONCAT, Attrs.of("axis", axis), values);
    }

    public static Tensor concat(java.util.List<Tensor> values, int axis) {
        return concat(axis, values.toArray(Tensor[]::new));
    }

    /** Joins same-shaped tensors along a new {@code axis} (tf.stack). */
    public static Tensor stack(int axis, Tensor... values) {
        return run(ArrayOps.STACK, Attrs.of("axis", axis), values);
    }

    public static Tensor stack(java.util.List<Tensor> values, int axis) {
        return stack(axis, values.toArray(Tensor[]::new));
    }

    /** Splits into {@code numSplit} equal parts along {@code axis}; the parts are views. */
    public static Tensor[] split(Tensor x, int numSplit, int axis) {
        return runMulti(ArrayOps.SPLIT, Attrs.of("axis", axis, "numSplit", numSplit), x);
    }

    /** Splits into parts of the given {@code sizes} along {@code axis} (one size may be -1: the rest). */
    public static Tensor[] split(Tensor x, int[] sizes, int axis) {
        return runMulti(ArrayOps.SPLIT, Attrs.of("axis", axis, "sizes", sizes), x);
    }

    /** The block starting at {@code begin} of the given {@code size} (-1 = to the end); a view. */
    public static Tensor slice(Tensor x, int[] begin, int[] size) {
        return run(ArrayOps.SLICE, Attrs.of("begin", begin, "size", size), x);
    }

    /** {@code x[b0:e0:s0, b1:e1:s1, ...]}; axes not listed are taken whole. */
    public static Tensor stridedSlice(Tensor x, int[] begin, int[] end, int[] strides) {
        return stridedSlice(x, begin, end, strides, 0, 0, 0, 0, 0);
    }

    /** tf.strided_slice with its masks: bit i of a mask refers to entry i of begin/end/strides. */
    public static Tensor stridedSlice(Tensor x, int[] begin, int[] end, int[] strides, int beginMask, int endMask,
                                      int ellipsisMask, int newAxisMask, int shrinkAxisMask) {
        return run(ArrayOps.STRIDED_SLICE, Attrs.of("begin", begin, "end", end, "strides", strides, "beginMask",
                beginMask, "endMask", endMask, "ellipsisMask", ellipsisMask, "newAxisMask", newAxisMask,
                "shrinkAxisMask", shrinkAxisMask), x);
    }

    /** Rows of {@code params} (axis 0) picked by {@code indices} (a tensor or Java int/long array). */
    public static Tensor gather(Tensor params, Object indices) { return gather(params, indices, 0, 0); }

    public static Tensor gather(Tensor params, Object indices, int axis) { return gather(params, indices, axis, 0); }

    public static Tensor gather(Tensor params, Object indices, int axis, int batchDims) {
        return run(ArrayOps.GATHER, Attrs.of("axis", axis, "batchDims", batchDims), params, Tensors.convert(indices));
    }

    /** Slices of {@code params} addressed by the last axis of {@code indices} (tf.gather_nd). */
    public static Tensor gatherNd(Tensor params, Object indices) {
        return run(ArrayOps.GATHER_ND, Attrs.EMPTY, params, Tensors.convert(indices));
    }

    /** float32 one-hot rows: 1 at each index, 0 elsewhere, the new axis last. */
    public static Tensor oneHot(Object indices, int depth) { return oneHot(indices, depth, 1, 0, -1, DType.FLOAT32); }

    public static Tensor oneHot(Object indices, int depth, double onValue, double offValue, int axis, DType dtype) {
        return run(ArrayOps.ONE_HOT, Attrs.of("depth", depth, "onValue", onValue, "offValue", offValue, "axis", axis,
                "dtype", dtype), Tensors.convert(indices));
    }

    /** Sorted along the last axis, ascending, NaN last. */
    public static Tensor sort(Tensor x) { return sort(x, -1, false); }

    public static Tensor sort(Tensor x, int axis, boolean descending) {
        return run(ArrayOps.SORT, Attrs.of("axis", axis, "descending", descending), x);
    }

    /** int32 indices that sort {@code x} along the last axis; stable. */
    public static Tensor argsort(Tensor x) { return argsort(x, -1, false); }

    public static Tensor argsort(Tensor x, int axis, boolean descending) {
        return run(ArrayOps.ARGSORT, Attrs.of("axis", axis, "descending", descending), x);
    }

    /** The {@code k} largest values along the last axis and their int32 indices: {@code {values, indices}}. */
    public static Tensor[] topK(Tensor x, int k) {
        return runMulti(ArrayOps.TOP_K, Attrs.of("k", k), x);
    }

    /** Repeats {@code x} {@code multiples[i]} times along axis i. */
    public static Tensor tile(Tensor x, int... multiples) {
        return run(ArrayOps.TILE, Attrs.of("multiples", multiples), x);
    }

    /** {@code x} broadcast to {@code shape}; a view, no copy. */
    public static Tensor broadcastTo(Tensor x, int... shape) {
        return run(ArrayOps.BROADCAST_TO, Attrs.of("shape", shape), x);
    }

    /** Drops the given size-1 axes, or every size-1 axis when none are given; a view. */
    public static Tensor squeeze(Tensor x, int... axes) {
        return run(ArrayOps.SQUEEZE, Attrs.of("axes", axes), x);
    }

    /** Inserts a size-1 axis at {@code axis}; a view. */
    public static Tensor expandDims(Tensor x, int axis) {
        return run(ArrayOps.EXPAND_DIMS, Attrs.of("axis", axis), x);
    }

    /** Zero padding: {@code paddings[i] = {before, after}} for axis i. */
    public static Tensor pad(Tensor x, int[][] paddings) { return pad(x, paddings, "CONSTANT", 0); }

    /** Padding in mode CONSTANT (with {@code constantValue}), REFLECT or SYMMETRIC (any case). */
    public static Tensor pad(Tensor x, int[][] paddings, String mode, double constantValue) {
        int[] flat = new int[paddings.length * 2];
        for (int i = 0; i < paddings.length; i++) {
            if (paddings[i].length != 2) {
                throw new org.nabla.ops.OpException("Pad", "paddings[" + i + "] must be {before, after}, got "
                        + java.util.Arrays.toString(paddings[i]));
            }
            flat[2 * i] = paddings[i][0];
            flat[2 * i + 1] = paddings[i][1];
        }
        return run(ArrayOps.PAD, Attrs.of("paddings", flat, "mode", mode.toUpperCase(java.util.Locale.ROOT),
                "constantValue", constantValue), x);
    }

    /** The input itself (a named no-op, useful in graphs). */
    public static Tensor identity(Tensor x) { return run(ArrayOps.IDENTITY, Attrs.EMPTY, x); }

    // ---------------------------------------------------------------- nn

    // ---------------------------------------------------------------- random/creation
}
