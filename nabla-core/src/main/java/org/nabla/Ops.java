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

    public static Tensor sum(Tensor x, boolean keepDims, int... axes) { return reduce(ReductionOps.SUM, x, keepDims, axes); }

    /** Mean over {@code axes}; integer means truncate toward zero, an empty float mean is NaN. */
    public static Tensor mean(Tensor x, int... axes) { return mean(x, false, axes); }

    public static Tensor mean(Tensor x, boolean keepDims, int... axes) { return reduce(ReductionOps.MEAN, x, keepDims, axes); }

    /** Maximum over {@code axes}; NaN propagates; an empty reduction gives -inf (floats) or the lowest integer. */
    public static Tensor max(Tensor x, int... axes) { return max(x, false, axes); }

    public static Tensor max(Tensor x, boolean keepDims, int... axes) { return reduce(ReductionOps.MAX, x, keepDims, axes); }

    /** Minimum over {@code axes}; NaN propagates; an empty reduction gives +inf (floats) or the highest integer. */
    public static Tensor min(Tensor x, int... axes) { return min(x, false, axes); }

    public static Tensor min(Tensor x, boolean keepDims, int... axes) { return reduce(ReductionOps.MIN, x, keepDims, axes); }

    /** Product over {@code axes}; an empty reduction gives 1. */
    public static Tensor prod(Tensor x, int... axes) { return prod(x, false, axes); }

    public static Tensor prod(Tensor x, boolean keepDims, int... axes) { return reduce(ReductionOps.PROD, x, keepDims, axes); }

    /** log(sum(exp(x))) over {@code axes}, computed without overflow. */
    public static Tensor logSumExp(Tensor x, int... axes) { return logSumExp(x, false, axes); }

    public static Tensor logSumExp(Tensor x, boolean keepDims, int... axes) {
        return reduce(ReductionOps.LOG_SUM_EXP, x, keepDims, axes);
    }

    /** Logical or of a bool tensor over {@code axes}. */
    public static Tensor any(Tensor x, int... axes) { return any(x, false, axes); }

    public static Tensor any(Tensor x, boolean keepDims, int... axes) { return reduce(ReductionOps.ANY, x, keepDims, axes); }

    /** Logical and of a bool tensor over {@code axes}. */
    public static Tensor all(Tensor x, int... axes) { return all(x, false, axes); }

    public static Tensor all(Tensor x, boolean keepDims, int... axes) { return reduce(ReductionOps.ALL, x, keepDims, axes); }

    private static Tensor reduce(OpDef op, Tensor x, boolean keepDims, int[] axes) {
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

    /** Running sum; {@code exclusive} starts from 0 (leaves out the current element), {@code reverse} sums from the end. */
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

    // ---------------------------------------------------------------- nn

    // ---------------------------------------------------------------- random/creation
}
