package org.nabla;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import org.nabla.eager.ExecutionContext;
import org.nabla.graph.ControlFlow;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphContext;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.AttentionOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.ComplexOps;
import org.nabla.ops.FftOps;
import org.nabla.ops.GradOps;
import org.nabla.ops.GraphOps;
import org.nabla.ops.LinalgOps;
import org.nabla.ops.MathOps;
import org.nabla.ops.NnGradOps;
import org.nabla.ops.NnOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.RandomOps;
import org.nabla.ops.ReductionOps;

/**
 * The front door to every public op: {@code Ops.add(a, b)}, {@code Ops.matmul(a, b)}... Each method builds the op's
 * attributes and hands the call to the current {@link ExecutionContext}: eagerly it computes at once, inside a graph
 * it adds a node. Operands typed {@code Object} accept tensors, Java numbers and nested Java arrays; a Java value
 * next to a tensor takes that tensor's dtype. Internal ops (gradient helpers, fused and runtime ops; see
 * {@link OpDef#isInternal()}) have no method here: run them with {@link #run} or {@link #runMulti}.
 */
public final class Ops {
    private Ops() {}

    // ---------------------------------------------------------------- dispatch

    /** Runs a single-output op, public or internal, in the current context. */
    public static Tensor run(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, inputs)[0];
    }

    /** Runs a multi-output op, public or internal, in the current context. */
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

    // ---------------------------------------------------------------- graph (GraphOps)

    /**
     * A constant from a Java value or tensor (see {@link Tensors#convert(Object)}): eagerly the value itself, inside
     * a graph a Const node.
     */
    public static Tensor constant(Object value) {
        return run(GraphOps.CONST, Attrs.of("value", Tensors.convert(value)));
    }

    /** TensorFlow's convert_to_tensor: tensors pass through, Java values are converted. */
    public static Tensor convertToTensor(Object value) { return Tensors.convert(value); }

    /** Like {@link #convertToTensor(Object)}, converting Java values to {@code dtype}. */
    public static Tensor convertToTensor(Object value, DType dtype) { return Tensors.convert(value, dtype); }

    /**
     * A placeholder fed when the graph runs (graph mode only; {@code -1} marks an unknown dimension). Eagerly there
     * is nothing to feed, so running it fails, as in TensorFlow.
     */
    public static Tensor placeholder(DType dtype, int... shape) {
        return run(GraphOps.PLACEHOLDER, Attrs.of("dtype", dtype, "shape", Shape.of(shape)));
    }

    /** An op that does nothing: in a graph, a target that groups control dependencies. */
    public static void noOp() { runMulti(GraphOps.NO_OP, Attrs.EMPTY); }

    // ---------------------------------------------------------------- math (MathOps)
    // Binary ops broadcast NumPy-style and need equal dtypes; a Java number beside a tensor takes its dtype.

    /** x + y. */
    public static Tensor add(Object x, Object y) { return mathBinary(MathOps.ADD, x, y); }

    /** x - y. */
    public static Tensor sub(Object x, Object y) { return mathBinary(MathOps.SUB, x, y); }

    /** x * y. */
    public static Tensor mul(Object x, Object y) { return mathBinary(MathOps.MUL, x, y); }

    /** x / y: IEEE division for floats, truncation toward zero for integers (division by zero fails). */
    public static Tensor div(Object x, Object y) { return mathBinary(MathOps.DIV, x, y); }

    /** floor(x / y) for every dtype (Python's {@code //}). */
    public static Tensor floorDiv(Object x, Object y) { return mathBinary(MathOps.FLOOR_DIV, x, y); }

    /** Floor modulo: the result has the sign of y (Python's {@code %}, TensorFlow's floormod). */
    public static Tensor mod(Object x, Object y) { return mathBinary(MathOps.MOD, x, y); }

    /** x raised to the power y. */
    public static Tensor pow(Object x, Object y) { return mathBinary(MathOps.POW, x, y); }

    /** The larger of x and y elementwise; NaN propagates. */
    public static Tensor maximum(Object x, Object y) { return mathBinary(MathOps.MAXIMUM, x, y); }

    /** The smaller of x and y elementwise; NaN propagates. */
    public static Tensor minimum(Object x, Object y) { return mathBinary(MathOps.MINIMUM, x, y); }

    /** -x. */
    public static Tensor neg(Object x) { return mathUnary(MathOps.NEG, x); }

    /** |x|; for a complex x the modulus, of the parts' dtype (TensorFlow's ComplexAbs). */
    public static Tensor abs(Object x) {
        if (x instanceof Tensor t && t.dtype().isComplex()) return complexAbs(t);
        return mathUnary(MathOps.ABS, x);
    }

    /** -1, 0 or 1 by the sign of x. */
    public static Tensor sign(Object x) { return mathUnary(MathOps.SIGN, x); }

    /** x * x. */
    public static Tensor square(Object x) { return mathUnary(MathOps.SQUARE, x); }

    /** e^x. */
    public static Tensor exp(Object x) { return mathUnary(MathOps.EXP, x); }

    /** The natural logarithm. */
    public static Tensor log(Object x) { return mathUnary(MathOps.LOG, x); }

    /** log(1 + x), accurate for small x. */
    public static Tensor log1p(Object x) { return mathUnary(MathOps.LOG1P, x); }

    /** The square root. */
    public static Tensor sqrt(Object x) { return mathUnary(MathOps.SQRT, x); }

    /** 1 / sqrt(x). */
    public static Tensor rsqrt(Object x) { return mathUnary(MathOps.RSQRT, x); }

    /** 1 / x. */
    public static Tensor reciprocal(Object x) { return mathUnary(MathOps.RECIPROCAL, x); }

    /** The sine (radians). */
    public static Tensor sin(Object x) { return mathUnary(MathOps.SIN, x); }

    /** The cosine (radians). */
    public static Tensor cos(Object x) { return mathUnary(MathOps.COS, x); }

    /** The hyperbolic tangent. */
    public static Tensor tanh(Object x) { return mathUnary(MathOps.TANH, x); }

    /** The Gauss error function. */
    public static Tensor erf(Object x) { return mathUnary(MathOps.ERF, x); }

    /** Arctangent, elementwise (float dtypes). */
    public static Tensor atan(Object x) { return mathUnary(MathOps.ATAN, x); }

    /** Arcsine, elementwise (float dtypes); NaN outside [-1, 1]. */
    public static Tensor asin(Object x) { return mathUnary(MathOps.ASIN, x); }

    /** Arccosine, elementwise (float dtypes); NaN outside [-1, 1]. */
    public static Tensor acos(Object x) { return mathUnary(MathOps.ACOS, x); }

    /** The same bits read as {@code dtype}, which must have the same width ({@code tf.bitcast}). */
    public static Tensor bitcast(Tensor x, DType dtype) {
        return run(MathOps.BITCAST, Attrs.of("dtype", dtype), x);
    }

    /** {@code x & y} bit by bit (integer dtypes), with broadcasting. */
    public static Tensor bitwiseAnd(Object x, Object y) { return mathBinary(MathOps.BITWISE_AND, x, y); }

    /** {@code x | y} bit by bit (integer dtypes), with broadcasting. */
    public static Tensor bitwiseOr(Object x, Object y) { return mathBinary(MathOps.BITWISE_OR, x, y); }

    /** {@code x ^ y} bit by bit (integer dtypes), with broadcasting. */
    public static Tensor bitwiseXor(Object x, Object y) { return mathBinary(MathOps.BITWISE_XOR, x, y); }

    /** {@code x << y} (integer dtypes); bits shifted past the dtype's width are lost. */
    public static Tensor leftShift(Object x, Object y) { return mathBinary(MathOps.LEFT_SHIFT, x, y); }

    /** {@code x >> y} (integer dtypes): arithmetic for signed dtypes, logical for unsigned ones. */
    public static Tensor rightShift(Object x, Object y) { return mathBinary(MathOps.RIGHT_SHIFT, x, y); }

    /** {@code ~x}: every bit flipped (integer dtypes). */
    public static Tensor invert(Object x) { return mathUnary(MathOps.INVERT, x); }

    /** Rounds toward negative infinity. */
    public static Tensor floor(Object x) { return mathUnary(MathOps.FLOOR, x); }

    /** Rounds toward positive infinity. */
    public static Tensor ceil(Object x) { return mathUnary(MathOps.CEIL, x); }

    /** Rounds half to even, like TensorFlow and NumPy. */
    public static Tensor round(Object x) { return mathUnary(MathOps.ROUND, x); }

    /** TensorFlow's clip_by_value: min(max(x, min), max); Java numbers take x's dtype. */
    public static Tensor clip(Object x, Object min, Object max) {
        Tensor t = Tensors.convert(x);
        Tensor lo = min instanceof Tensor m ? m : Tensors.convert(min, t.dtype());
        Tensor hi = max instanceof Tensor m ? m : Tensors.convert(max, t.dtype());
        return run(MathOps.CLIP, Attrs.EMPTY, t, lo, hi);
    }

    /** x == y as bool. */
    public static Tensor equal(Object x, Object y) { return mathBinary(MathOps.EQUAL, x, y); }

    /** x != y as bool. */
    public static Tensor notEqual(Object x, Object y) { return mathBinary(MathOps.NOT_EQUAL, x, y); }

    /** x > y as bool. */
    public static Tensor greater(Object x, Object y) { return mathBinary(MathOps.GREATER, x, y); }

    /** x >= y as bool. */
    public static Tensor greaterEqual(Object x, Object y) { return mathBinary(MathOps.GREATER_EQUAL, x, y); }

    /** {@code x < y} as bool. */
    public static Tensor less(Object x, Object y) { return mathBinary(MathOps.LESS, x, y); }

    /** {@code x <= y} as bool. */
    public static Tensor lessEqual(Object x, Object y) { return mathBinary(MathOps.LESS_EQUAL, x, y); }

    /** x and y, both bool. */
    public static Tensor logicalAnd(Object x, Object y) { return mathBinary(MathOps.LOGICAL_AND, x, y); }

    /** x or y, both bool. */
    public static Tensor logicalOr(Object x, Object y) { return mathBinary(MathOps.LOGICAL_OR, x, y); }

    /** x xor y, both bool. */
    public static Tensor logicalXor(Object x, Object y) { return mathBinary(MathOps.LOGICAL_XOR, x, y); }

    /** not x, bool. */
    public static Tensor logicalNot(Object x) { return mathUnary(MathOps.LOGICAL_NOT, x); }

    /** condition ? x : y elementwise, all three broadcast (TensorFlow's where with x and y). */
    public static Tensor where(Object condition, Object x, Object y) {
        Tensor[] o = operands(x, y);
        return run(MathOps.SELECT, Attrs.EMPTY, Tensors.convert(condition), o[0], o[1]);
    }

    /** True where x is NaN. */
    public static Tensor isNan(Object x) { return mathUnary(MathOps.IS_NAN, x); }

    /** True where x is neither infinite nor NaN. */
    public static Tensor isFinite(Object x) { return mathUnary(MathOps.IS_FINITE, x); }

    /** Converts to {@code dtype}; float to integer truncates toward zero (see docs/ops/math.md). */
    public static Tensor cast(Object x, DType dtype) {
        return run(MathOps.CAST, Attrs.of("dtype", dtype), Tensors.convert(x));
    }

    private static Tensor mathBinary(OpDef op, Object x, Object y) {
        Tensor[] o = operands(x, y);
        return run(op, Attrs.EMPTY, o[0], o[1]);
    }

    private static Tensor mathUnary(OpDef op, Object x) { return run(op, Attrs.EMPTY, Tensors.convert(x)); }

    // ---------------------------------------------------------------- linalg (LinalgOps)

    /** Matrix product of the last two axes ({@code tf.linalg.matmul}); batch axes broadcast, ranks must be >= 2. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return run(LinalgOps.MATMUL, Attrs.EMPTY, a, b);
    }

    /** {@link #matmul(Tensor, Tensor)} of op(a) and op(b), where op transposes the last two axes when asked. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return run(LinalgOps.MATMUL, Attrs.of("transposeA", transposeA, "transposeB", transposeB), a, b);
    }

    // ---------------------------------------------------------------- reduction (ReductionOps)
    // Each reduction takes the axes to reduce (none given = all axes; negative axes count from the end) and
    // optionally keepDims, which keeps reduced axes with size 1.

    /** Sum over {@code axes} (all when none given); an empty reduction gives 0. */
    public static Tensor sum(Tensor x, int... axes) { return sum(x, false, axes); }

    /** Sum over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.SUM, x, keepDims, axes);
    }

    /** Mean over {@code axes}; integer means truncate toward zero, an empty float mean is NaN. */
    public static Tensor mean(Tensor x, int... axes) { return mean(x, false, axes); }

    /** Mean over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.MEAN, x, keepDims, axes);
    }

    /** Maximum over {@code axes}; NaN propagates; an empty reduction gives -inf (floats) or the lowest integer. */
    public static Tensor max(Tensor x, int... axes) { return max(x, false, axes); }

    /** Maximum over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor max(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.MAX, x, keepDims, axes);
    }

    /** Minimum over {@code axes}; NaN propagates; an empty reduction gives +inf (floats) or the highest integer. */
    public static Tensor min(Tensor x, int... axes) { return min(x, false, axes); }

    /** Minimum over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor min(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.MIN, x, keepDims, axes);
    }

    /** Product over {@code axes}; an empty reduction gives 1. */
    public static Tensor prod(Tensor x, int... axes) { return prod(x, false, axes); }

    /** Product over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor prod(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.PROD, x, keepDims, axes);
    }

    /** log(sum(exp(x))) over {@code axes}, computed without overflow. */
    public static Tensor logSumExp(Tensor x, int... axes) { return logSumExp(x, false, axes); }

    /** log(sum(exp(x))) over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor logSumExp(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.LOG_SUM_EXP, x, keepDims, axes);
    }

    /** Logical or of a bool tensor over {@code axes}. */
    public static Tensor any(Tensor x, int... axes) { return any(x, false, axes); }

    /** Logical or over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor any(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.ANY, x, keepDims, axes);
    }

    /** Logical and of a bool tensor over {@code axes}. */
    public static Tensor all(Tensor x, int... axes) { return all(x, false, axes); }

    /** Logical and over {@code axes}, keeping them with size 1 when {@code keepDims}. */
    public static Tensor all(Tensor x, boolean keepDims, int... axes) {
        return runReduction(ReductionOps.ALL, x, keepDims, axes);
    }

    private static Tensor runReduction(OpDef op, Tensor x, boolean keepDims, int[] axes) {
        return run(op, Attrs.of("axes", axes, "keepDims", keepDims), x);
    }

    /** Index (int64) of the largest element along {@code axis}; ties give the first, NaN wins. */
    public static Tensor argmax(Tensor x, int axis) { return argmax(x, axis, DType.INT64); }

    /** Like {@link #argmax(Tensor, int)} with an int32 or int64 result. */
    public static Tensor argmax(Tensor x, int axis, DType outputType) {
        return run(ReductionOps.ARG_MAX, Attrs.of("axis", axis, "outputType", outputType), x);
    }

    /** Index (int64) of the smallest element along {@code axis}; ties give the first, NaN wins. */
    public static Tensor argmin(Tensor x, int axis) { return argmin(x, axis, DType.INT64); }

    /** Like {@link #argmin(Tensor, int)} with an int32 or int64 result. */
    public static Tensor argmin(Tensor x, int axis, DType outputType) {
        return run(ReductionOps.ARG_MIN, Attrs.of("axis", axis, "outputType", outputType), x);
    }

    /** Running sum along {@code axis} (tf.math.cumsum). */
    public static Tensor cumsum(Tensor x, int axis) { return cumsum(x, axis, false, false); }

    /** Running sum; {@code exclusive} leaves out the current element (starts from 0), {@code reverse} runs backward. */
    public static Tensor cumsum(Tensor x, int axis, boolean exclusive, boolean reverse) {
        return run(ReductionOps.CUMSUM, Attrs.of("axis", axis, "exclusive", exclusive, "reverse", reverse), x);
    }

    // ---------------------------------------------------------------- array (ArrayOps)

    /** The dimensions of {@code x} as a 1-D int32 tensor computed at run time (TensorFlow's {@code tf.shape}). */
    public static Tensor shape(Tensor x) { return shape(x, DType.INT32); }

    /** The dimensions of {@code x} as a 1-D int32 or int64 tensor computed at run time. */
    public static Tensor shape(Tensor x, DType dtype) { return run(ArrayOps.SHAPE, Attrs.of("dtype", dtype), x); }

    /** Reshapes {@code x} to {@code shape} (one -1 is inferred); a view when possible. */
    public static Tensor reshape(Tensor x, int... shape) {
        return run(ArrayOps.RESHAPE, Attrs.of("shape", shape), x);
    }

    /** Reshapes {@code x} to the shape held by the 1-D int tensor {@code shape}, read at run time (one -1 inferred). */
    public static Tensor reshape(Tensor x, Tensor shape) { return dynamicReshape(x, shape, false); }

    /**
     * Reshapes to a shape read at run time; with {@code zeroCopiesInput} a 0 entry keeps the input's dimension at
     * that position (ONNX's Reshape), otherwise it is a zero-size dimension.
     */
    public static Tensor dynamicReshape(Tensor x, Tensor shape, boolean zeroCopiesInput) {
        return run(ArrayOps.DYNAMIC_RESHAPE, Attrs.of("zeroCopiesInput", zeroCopiesInput), x, shape);
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

    /** Joins a list of tensors along an existing {@code axis}. */
    public static Tensor concat(List<Tensor> values, int axis) {
        return concat(axis, values.toArray(Tensor[]::new));
    }

    /** Joins same-shaped tensors along a new {@code axis} (tf.stack). */
    public static Tensor stack(int axis, Tensor... values) {
        return run(ArrayOps.STACK, Attrs.of("axis", axis), values);
    }

    /** Joins a list of same-shaped tensors along a new {@code axis}. */
    public static Tensor stack(List<Tensor> values, int axis) {
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

    /** Slices of {@code params} along {@code axis} picked by {@code indices}. */
    public static Tensor gather(Tensor params, Object indices, int axis) { return gather(params, indices, axis, 0); }

    /** tf.gather with {@code batchDims} leading axes shared by params and indices. */
    public static Tensor gather(Tensor params, Object indices, int axis, int batchDims) {
        return run(ArrayOps.GATHER, Attrs.of("axis", axis, "batchDims", batchDims), params, Tensors.convert(indices));
    }

    /** Slices of {@code params} addressed by the last axis of {@code indices} (tf.gather_nd). */
    public static Tensor gatherNd(Tensor params, Object indices) {
        return run(ArrayOps.GATHER_ND, Attrs.EMPTY, params, Tensors.convert(indices));
    }

    /**
     * Elements of {@code data} picked along {@code axis} by {@code indices} of the same rank (ONNX GatherElements,
     * torch.gather): for axis 0, out[i][j] = data[indices[i][j]][j]. Negative indices count from the end; indices
     * (int32/int64, a tensor or Java int/long array) may be smaller than data along the other axes.
     */
    public static Tensor gatherElements(Tensor data, Object indices, int axis) {
        return run(ArrayOps.GATHER_ELEMENTS, Attrs.of("axis", axis), data, Tensors.convert(indices));
    }

    /** float32 one-hot rows: 1 at each index, 0 elsewhere, the new axis last. */
    public static Tensor oneHot(Object indices, int depth) { return oneHot(indices, depth, 1, 0, -1, DType.FLOAT32); }

    /** One-hot values of {@code dtype}: {@code onValue} at each index, {@code offValue} elsewhere, new axis at axis. */
    public static Tensor oneHot(Object indices, int depth, double onValue, double offValue, int axis, DType dtype) {
        return run(ArrayOps.ONE_HOT, Attrs.of("depth", depth, "onValue", onValue, "offValue", offValue, "axis", axis,
                "dtype", dtype), Tensors.convert(indices));
    }

    /** Sorted along the last axis, ascending, NaN last. */
    public static Tensor sort(Tensor x) { return sort(x, -1, false); }

    /** Sorted along {@code axis}, ascending or descending. */
    public static Tensor sort(Tensor x, int axis, boolean descending) {
        return run(ArrayOps.SORT, Attrs.of("axis", axis, "descending", descending), x);
    }

    /** int32 indices that sort {@code x} along the last axis; stable. */
    public static Tensor argsort(Tensor x) { return argsort(x, -1, false); }

    /** int32 indices that sort {@code x} along {@code axis}, ascending or descending; stable. */
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
                throw new OpException("Pad", "paddings[" + i + "] must be {before, after}, got "
                        + Arrays.toString(paddings[i]));
            }
            flat[2 * i] = paddings[i][0];
            flat[2 * i + 1] = paddings[i][1];
        }
        return run(ArrayOps.PAD, Attrs.of("paddings", flat, "mode", mode.toUpperCase(Locale.ROOT),
                "constantValue", constantValue), x);
    }

    /** The input itself (a named no-op, useful in graphs). */
    public static Tensor identity(Tensor x) { return run(ArrayOps.IDENTITY, Attrs.EMPTY, x); }

    /**
     * {@code x} itself, after failing with an exception holding {@code message} if {@code x} has a NaN or an infinity
     * (TensorFlow's {@code tf.debugging.check_numerics}); its gradient checks the gradient the same way. To check
     * every op at once, see {@link Debugging#enableCheckNumerics}.
     */
    public static Tensor checkNumerics(Tensor x, String message) {
        return run(ArrayOps.CHECK_NUMERICS, Attrs.of("message", message), x);
    }

    // ---------------------------------------------------------------- nn (NnOps)

    /** max(x, 0). */
    public static Tensor relu(Tensor x) { return run(NnOps.RELU, Attrs.EMPTY, x); }

    /** min(max(x, 0), 6). */
    public static Tensor relu6(Tensor x) { return run(NnOps.RELU6, Attrs.EMPTY, x); }

    /** x if x > 0 else 0.2 * x (TensorFlow's default alpha). */
    public static Tensor leakyRelu(Tensor x) { return run(NnOps.LEAKY_RELU, Attrs.EMPTY, x); }

    /** x if x > 0 else alpha * x. */
    public static Tensor leakyRelu(Tensor x, double alpha) {
        return run(NnOps.LEAKY_RELU, Attrs.of("alpha", alpha), x);
    }

    /** x if x > 0 else exp(x) - 1. */
    public static Tensor elu(Tensor x) { return run(NnOps.ELU, Attrs.EMPTY, x); }

    /** x if x > 0 else alpha * (exp(x) - 1). */
    public static Tensor elu(Tensor x, double alpha) { return run(NnOps.ELU, Attrs.of("alpha", alpha), x); }

    /** The scaled ELU with the self-normalizing constants. */
    public static Tensor selu(Tensor x) { return run(NnOps.SELU, Attrs.EMPTY, x); }

    /** The exact GELU, x * Phi(x) with the normal CDF computed through erf. */
    public static Tensor gelu(Tensor x) { return run(NnOps.GELU, Attrs.EMPTY, x); }

    /** GELU; {@code approximate} selects the tanh form. */
    public static Tensor gelu(Tensor x, boolean approximate) {
        return run(NnOps.GELU, Attrs.of("approximate", approximate), x);
    }

    /** 1 / (1 + exp(-x)). */
    public static Tensor sigmoid(Tensor x) { return run(NnOps.SIGMOID, Attrs.EMPTY, x); }

    /** log(1 + exp(x)). */
    public static Tensor softplus(Tensor x) { return run(NnOps.SOFTPLUS, Attrs.EMPTY, x); }

    /** Softmax over the last axis. */
    public static Tensor softmax(Tensor logits) { return softmax(logits, -1); }

    /** Softmax over {@code axis}. */
    public static Tensor softmax(Tensor logits, int axis) { return run(NnOps.SOFTMAX, Attrs.of("axis", axis), logits); }

    /**
     * Scaled dot-product attention, fused: {@code softmax(q k^T / sqrt(D)) v} for query [B, H, Tq, D], key
     * [B, H, Tk, D] and value [B, H, Tk, Dv]; see {@link #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor,
     * double, boolean)}.
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value) {
        return scaledDotProductAttention(query, key, value, null, 0, false);
    }

    /**
     * Scaled dot-product attention in one op (PyTorch's {@code scaled_dot_product_attention}): {@code softmax(scale *
     * q k^T) v} over query [B, H, Tq, D], key [B, H, Tk, D], value [B, H, Tk, Dv], giving [B, H, Tq, Dv], computed a
     * block of query rows at a time without materializing the [Tq, Tk] scores. {@code mask} (null for none) is bool,
     * broadcastable to [B, H, Tq, Tk], true where query i may attend to key j; {@code causal} also hides keys
     * {@code j > i}. A hidden score becomes {@code -0.7 * max} of the dtype (Keras' convention: a query that may see
     * nothing averages all values). {@code scale} 0 means {@code 1 / sqrt(D)}. Differentiable in query, key and value.
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor mask, double scale,
                                                   boolean causal) {
        Attrs attrs = Attrs.of("scale", scale, "causal", causal);
        Tensor[] in = mask == null ? new Tensor[] {query, key, value} : new Tensor[] {query, key, value, mask};
        return runMulti(AttentionOps.SCALED_DOT_PRODUCT_ATTENTION, attrs, in)[0];
    }

    /** Log-softmax over the last axis. */
    public static Tensor logSoftmax(Tensor logits) { return logSoftmax(logits, -1); }

    /** Log-softmax over {@code axis}. */
    public static Tensor logSoftmax(Tensor logits, int axis) {
        return run(NnOps.LOG_SOFTMAX, Attrs.of("axis", axis), logits);
    }

    /** Adds a 1-D bias along the last axis (NHWC). */
    public static Tensor biasAdd(Tensor value, Tensor bias) { return biasAdd(value, bias, "NHWC"); }

    /** Adds a 1-D bias along the channel axis: last for "NHWC", axis 1 for "NCHW". */
    public static Tensor biasAdd(Tensor value, Tensor bias, String dataFormat) {
        return run(NnOps.BIAS_ADD, Attrs.of("dataFormat", dataFormat), value, bias);
    }

    /** NHWC convolution with an HWIO filter, {@code strides} {height, width}, padding "SAME" or "VALID". */
    public static Tensor conv2d(Tensor input, Tensor filter, int[] strides, String padding) {
        return conv2d(input, filter, Conv2dOptions.defaults().strides(pair(strides, "strides")[0], strides[1])
                .padding(padding));
    }

    /** NHWC convolution with the same stride along height and width. */
    public static Tensor conv2d(Tensor input, Tensor filter, int stride, String padding) {
        return conv2d(input, filter, Conv2dOptions.defaults().strides(stride, stride).padding(padding));
    }

    /** 2-D convolution with every setting (strides, padding, dilations, groups, data format) in {@code options}. */
    public static Tensor conv2d(Tensor input, Tensor filter, Conv2dOptions options) {
        return run(NnOps.CONV2D, options.attrs(), input, filter);
    }

    /**
     * 3-D convolution of NDHWC {@code input} [N, D, H, W, C] by {@code filter} [KD, KH, KW, C/groups, OUT]:
     * {@code strides} and {@code dilations} {depth, height, width}, padding "SAME" or "VALID". Composed of Conv2D ops
     * (no op of its own; gradients through them); depth, height, width and channels must be known.
     */
    public static Tensor conv3d(Tensor input, Tensor filter, int[] strides, String padding, int[] dilations,
                                int groups) {
        return Conv3d.apply(input, filter, strides, padding, dilations, groups);
    }

    /**
     * The gradient of Conv2D with respect to its input (only {@code input}'s shape is read); with a zero-filled
     * {@code input} of the wanted output shape it is the transposed convolution of {@code grad}.
     */
    public static Tensor conv2dBackpropInput(Tensor input, Tensor filter, Tensor grad, Conv2dOptions options) {
        return run(NnGradOps.CONV2D_BACKPROP_INPUT, options.attrs(), input, filter, grad);
    }

    /** The gradient of Conv2D with respect to its filter (only {@code filter}'s shape is read). */
    public static Tensor conv2dBackpropFilter(Tensor input, Tensor filter, Tensor grad, Conv2dOptions options) {
        return run(NnGradOps.CONV2D_BACKPROP_FILTER, options.attrs(), input, filter, grad);
    }

    private static int[] pair(int[] v, String name) {
        if (v.length != 2) {
            throw new IllegalArgumentException(name + " must have 2 entries (height, width), got "
                    + Arrays.toString(v));
        }
        return v;
    }

    /** NHWC max pooling; {@code ksize} and {@code strides} are {height, width}, padding "SAME" or "VALID". */
    public static Tensor maxPool2d(Tensor input, int[] ksize, int[] strides, String padding) {
        return maxPool2d(input, ksize, strides, padding, "NHWC");
    }

    /** 2-D max pooling of "NHWC" or "NCHW" input. */
    public static Tensor maxPool2d(Tensor input, int[] ksize, int[] strides, String padding, String dataFormat) {
        return run(NnOps.MAX_POOL2D, Attrs.of("ksize", ksize, "strides", strides, "padding", padding,
                "dataFormat", dataFormat), input);
    }

    /** NHWC average pooling; with "SAME" each window averages only its non-padded elements. */
    public static Tensor avgPool2d(Tensor input, int[] ksize, int[] strides, String padding) {
        return avgPool2d(input, ksize, strides, padding, "NHWC");
    }

    /** 2-D average pooling of "NHWC" or "NCHW" input. */
    public static Tensor avgPool2d(Tensor input, int[] ksize, int[] strides, String padding, String dataFormat) {
        return run(NnOps.AVG_POOL2D, Attrs.of("ksize", ksize, "strides", strides, "padding", padding,
                "dataFormat", dataFormat), input);
    }

    /** Max pooling of channels-first input (ONNX MaxPool); padding never wins, NaN does. */
    public static Tensor maxPool(Tensor input, PoolOptions options) {
        return maxPoolWithIndices(input, options)[0];
    }

    /**
     * Max pooling with the position of each maximum: {values, int64 indices}, the indices flattened over the whole
     * input (row-major over N, C, spatial; column-major over spatial with storageOrder 1), as ONNX's MaxPool.
     */
    public static Tensor[] maxPoolWithIndices(Tensor input, PoolOptions options) {
        return runMulti(NnOps.MAX_POOL, options.attrs(true), input);
    }

    /** Average pooling of channels-first input (ONNX AveragePool). */
    public static Tensor avgPool(Tensor input, PoolOptions options) {
        return run(NnOps.AVG_POOL, options.attrs(false), input);
    }

    /** Inference batch norm with channels last and epsilon 0.001. */
    public static Tensor batchNormInference(Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor variance) {
        return batchNormInference(x, scale, offset, mean, variance, 0.001, "NHWC");
    }

    /** scale * (x - mean) / sqrt(variance + epsilon) + offset, per channel ("NHWC" or "NCHW"). */
    public static Tensor batchNormInference(Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor variance,
                                            double epsilon, String dataFormat) {
        return run(NnOps.BATCH_NORM_INFERENCE, Attrs.of("epsilon", epsilon, "dataFormat", dataFormat), x, scale,
                offset, mean, variance);
    }

    /** Inverted dropout with a fresh random seed. */
    public static Tensor dropout(Tensor x, double rate) {
        return dropout(x, rate, ThreadLocalRandom.current().nextLong());
    }

    /** Inverted dropout; the same seed gives the same mask. */
    public static Tensor dropout(Tensor x, double rate, long seed) {
        return run(NnOps.DROPOUT, Attrs.of("rate", rate, "seed", seed), x);
    }

    /** Per-example softmax cross-entropy [N] of logits [N, C] against label distributions [N, C]. */
    public static Tensor softmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) {
        return run(NnOps.SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY, logits, labels);
    }

    /** Per-example softmax cross-entropy [N] of logits [N, C] against class indices [N] (int32 or int64). */
    public static Tensor sparseSoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) {
        return run(NnOps.SPARSE_SOFTMAX_CROSS_ENTROPY, Attrs.EMPTY, logits, labels);
    }

    /** Keras' mean_squared_error: the mean of squared differences over the last axis, one value per example. */
    public static Tensor meanSquaredError(Tensor predictions, Tensor labels) {
        return run(NnOps.MEAN_SQUARED_ERROR, Attrs.EMPTY, predictions, labels);
    }

    // ---------------------------------------------------------------- creation and random (RandomOps)

    /** A tensor of {@code shape} with every element {@code value}; the dtype follows the Java value (or tensor). */
    public static Tensor fill(Object value, int... shape) {
        return run(RandomOps.FILL, Attrs.of("shape", shape), Tensors.convert(value));
    }

    /** A tensor of {@code shape} with every element 0. */
    public static Tensor zeros(DType dtype, int... shape) {
        return run(RandomOps.FILL, Attrs.of("shape", shape), Tensors.convert(0, requireDType(dtype, "zeros")));
    }

    /** A tensor of {@code shape} with every element 1 ({@code true} for bool). */
    public static Tensor ones(DType dtype, int... shape) {
        return run(RandomOps.FILL, Attrs.of("shape", shape), Tensors.convert(1, requireDType(dtype, "ones")));
    }

    private static DType requireDType(DType dtype, String op) {
        if (dtype == null) throw new IllegalArgumentException(op + ": dtype is null");
        return dtype;
    }

    /** Zeros with the dtype and (runtime) shape of {@code x} (declared in GradOps). */
    public static Tensor zerosLike(Tensor x) { return run(GradOps.ZEROS_LIKE, Attrs.EMPTY, x); }

    /** Ones with the dtype and (runtime) shape of {@code x} (declared in GradOps). */
    public static Tensor onesLike(Tensor x) { return run(GradOps.ONES_LIKE, Attrs.EMPTY, x); }

    /** int32 {@code [start, start + delta, ...)} up to but excluding {@code limit}; delta may be negative, not 0. */
    public static Tensor range(int start, int limit, int delta) { return range(start, limit, delta, DType.INT32); }

    /** int32 {@code [0, 1, ..., limit - 1]}. */
    public static Tensor range(int limit) { return range(0, limit, 1); }

    /** float32 range, like {@code tf.range(0.0, 1.0, 0.25)}. */
    public static Tensor range(float start, float limit, float delta) {
        return range(start, limit, delta, DType.FLOAT32);
    }

    /** float64 range. */
    public static Tensor range(double start, double limit, double delta) {
        return range(start, limit, delta, DType.FLOAT64);
    }

    /** A range of any numeric dtype; {@code size = ceil((limit - start) / delta)}. */
    public static Tensor range(double start, double limit, double delta, DType dtype) {
        return run(RandomOps.RANGE, Attrs.of("start", start, "limit", limit, "delta", delta, "dtype", dtype));
    }

    /** The float32 n x n identity matrix. */
    public static Tensor eye(int n) { return eye(n, n, DType.FLOAT32); }

    /** A rows x cols matrix with ones on the main diagonal. */
    public static Tensor eye(int rows, int cols, DType dtype) {
        return run(RandomOps.EYE, Attrs.of("numRows", rows, "numColumns", cols, "dtype", dtype));
    }

    /**
     * Uniform samples in {@code [min, max)} (float32/float64, or int32/int64 with integer bounds); the same seed
     * always gives the same values.
     */
    public static Tensor randomUniform(int[] shape, DType dtype, double min, double max, long seed) {
        return run(RandomOps.RANDOM_UNIFORM, Attrs.of("shape", shape, "dtype", dtype, "minval", min, "maxval", max,
                "seed", seed));
    }

    /** Normal samples (float32/float64); the same seed always gives the same values. */
    public static Tensor randomNormal(int[] shape, DType dtype, double mean, double stddev, long seed) {
        return run(RandomOps.RANDOM_NORMAL, Attrs.of("shape", shape, "dtype", dtype, "mean", mean, "stddev", stddev,
                "seed", seed));
    }

    /** Normal samples redrawn until within 2 stddev of the mean (tf.random.truncated_normal). */
    public static Tensor truncatedNormal(int[] shape, DType dtype, double mean, double stddev, long seed) {
        return run(RandomOps.TRUNCATED_NORMAL, Attrs.of("shape", shape, "dtype", dtype, "mean", mean, "stddev",
                stddev, "seed", seed));
    }

    /**
     * tf.device: requests {@code deviceName} (e.g. {@code /job:worker/task:1}, {@code /device:CPU:1}) for the nodes
     * created inside, in whatever graph is being built: the default graph, or the sub-graph of a branch or loop body
     * being traced (so a body's nodes can run on another device or task than the loop). Graph building only.
     */
    public static Graph.ControlScope device(String deviceName) {
        if (ExecutionContext.current().target() instanceof GraphContext g) return g.graph().device(deviceName);
        throw new IllegalStateException("Ops.device(\"" + deviceName + "\"): no graph is being built on this thread; "
                + "device scopes place graph nodes (inside graph.asDefault(), a traced function, a branch or a loop "
                + "body)");
    }

    // ---------------------------------------------------------------- control flow (ControlFlowOps)
    // Eagerly these run the Java lambdas (plain if/switch/while); inside a graph or a traced Function they trace the
    // lambdas into sub-graphs of one Cond/Case/While node that runs only the taken branch (docs/control-flow.md).

    /** tf.cond with several results: {@code pred} is a bool scalar; both branches return matching dtypes. */
    public static Tensor[] cond(Tensor pred, Supplier<Tensor[]> thenFn, Supplier<Tensor[]> elseFn) {
        return ControlFlow.cond(pred, thenFn, elseFn);
    }

    /** tf.cond with one result: {@code Ops.cond(x.greater(0), () -> x, () -> x.neg())}. */
    public static Tensor cond(Tensor pred, ControlFlow.Branch thenFn, ControlFlow.Branch elseFn) {
        return ControlFlow.cond(pred, () -> new Tensor[] {thenFn.get()}, () -> new Tensor[] {elseFn.get()})[0];
    }

    /** tf.switch_case: runs {@code branches[index]} (int32 scalar); an out-of-range index runs the last branch. */
    public static Tensor[] caseOf(Tensor index, List<Supplier<Tensor[]>> branches) {
        return ControlFlow.switchCase(index, branches);
    }

    /** tf.switch_case with a default branch, run when {@code index} is out of range. */
    public static Tensor[] caseOf(Tensor index, List<Supplier<Tensor[]>> branches,
                                  Supplier<Tensor[]> defaultBranch) {
        List<Supplier<Tensor[]>> all = new ArrayList<>(branches);
        all.add(defaultBranch);
        return ControlFlow.switchCase(index, all);
    }

    /** tf.switch_case with one result per branch; an out-of-range index runs the last branch. */
    public static Tensor caseOf(Tensor index, ControlFlow.Branch... branches) {
        List<Supplier<Tensor[]>> all = new ArrayList<>();
        for (ControlFlow.Branch b : branches) all.add(() -> new Tensor[] {b.get()});
        return ControlFlow.switchCase(index, all)[0];
    }

    /** tf.while_loop: {@code vars = body(vars)} while {@code cond(vars)} (a bool scalar) holds. */
    public static Tensor[] whileLoop(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body,
                                     Tensor[] loopVars) {
        return whileLoop(cond, body, loopVars, -1);
    }

    /** tf.while_loop stopping after at most {@code maximumIterations} iterations (-1: no limit). */
    public static Tensor[] whileLoop(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body,
                                     Tensor[] loopVars, int maximumIterations) {
        return ControlFlow.whileLoop(cond, body, loopVars, maximumIterations, null);
    }

    /**
     * tf.while_loop with shape invariants: in a graph, loop var {@code i} may take any shape compatible with
     * {@code shapeInvariants[i]} (-1 dims vary across iterations).
     */
    public static Tensor[] whileLoop(Function<Tensor[], Tensor> cond, Function<Tensor[], Tensor[]> body,
                                     Tensor[] loopVars, int maximumIterations, Shape[] shapeInvariants) {
        return ControlFlow.whileLoop(cond, body, loopVars, maximumIterations, shapeInvariants);
    }

    // ---------------------------------------------------------------- complex numbers (ComplexOps, FftOps)

    /** {@code tf.complex}: real + imag * 1j, broadcast; float32 parts give complex64, float64 parts complex128. */
    public static Tensor complex(Tensor real, Tensor imag) {
        return run(ComplexOps.COMPLEX, Attrs.EMPTY, real, imag);
    }

    /** {@code tf.math.real}: the real parts of a complex tensor; a real tensor is returned unchanged. */
    public static Tensor real(Tensor x) { return x.dtype().isComplex() ? run(ComplexOps.REAL, Attrs.EMPTY, x) : x; }

    /** {@code tf.math.imag}: the imaginary parts of a complex tensor; zeros for a real one. */
    public static Tensor imag(Tensor x) {
        return x.dtype().isComplex() ? run(ComplexOps.IMAG, Attrs.EMPTY, x) : zerosLike(x);
    }

    /** {@code tf.math.conj}: the complex conjugate; a real tensor is returned unchanged. */
    public static Tensor conj(Tensor x) { return x.dtype().isComplex() ? run(ComplexOps.CONJ, Attrs.EMPTY, x) : x; }

    /** The modulus of each element of a complex tensor ({@link #abs} calls it for complex input). */
    public static Tensor complexAbs(Tensor x) { return run(ComplexOps.COMPLEX_ABS, Attrs.EMPTY, x); }

    /** {@code tf.math.angle}: the argument atan2(im, re) of each element of a complex tensor. */
    public static Tensor angle(Tensor x) { return run(ComplexOps.ANGLE, Attrs.EMPTY, x); }

    /** {@code tf.signal.fft}: the (unnormalized) DFT over the innermost axis of a complex tensor. */
    public static Tensor fft(Tensor x) { return run(FftOps.FFT, Attrs.EMPTY, x); }

    /** {@code tf.signal.ifft}: the inverse DFT (divided by n) over the innermost axis. */
    public static Tensor ifft(Tensor x) { return run(FftOps.IFFT, Attrs.EMPTY, x); }

    /** {@code tf.signal.fft2d}: the DFT over the two innermost axes. */
    public static Tensor fft2d(Tensor x) { return run(FftOps.FFT2D, Attrs.EMPTY, x); }

    /** {@code tf.signal.ifft2d}: the inverse DFT over the two innermost axes. */
    public static Tensor ifft2d(Tensor x) { return run(FftOps.IFFT2D, Attrs.EMPTY, x); }

    /**
     * {@code tf.signal.rfft}: the DFT of a real float32/float64 signal over its innermost axis, cropped or
     * zero-padded to {@code fftLength} (default: its length), as {@code n / 2 + 1} complex bins.
     */
    public static Tensor rfft(Tensor x, int... fftLength) {
        return run(FftOps.RFFT, Attrs.of("fftLength", fftLength), x);
    }

    /**
     * {@code tf.signal.irfft}: {@code fftLength} real values (default {@code 2 * (bins - 1)}) from the non-negative
     * frequencies of a Hermitian spectrum.
     */
    public static Tensor irfft(Tensor x, int... fftLength) {
        return run(FftOps.IRFFT, Attrs.of("fftLength", fftLength), x);
    }

    /** {@code tf.signal.rfft2d}: the 2-D DFT of a real signal; {@code fftLength} is empty or two sizes. */
    public static Tensor rfft2d(Tensor x, int... fftLength) {
        return run(FftOps.RFFT2D, Attrs.of("fftLength", fftLength), x);
    }

    /** {@code tf.signal.irfft2d}: the inverse of {@link #rfft2d}; {@code fftLength} is empty or two sizes. */
    public static Tensor irfft2d(Tensor x, int... fftLength) {
        return run(FftOps.IRFFT2D, Attrs.of("fftLength", fftLength), x);
    }

    // ---------------------------------------------------------------- gradients (GradOps)
    // The backward helper ops (GradOps, NnGradOps) are internal: gradient rules run them with Ops.run. Custom
    // gradients are made with org.nabla.autodiff.Gradients.customGradient.

    /** The input itself, through which no gradient flows (tf.stop_gradient). */
    public static Tensor stopGradient(Tensor x) { return run(GradOps.STOP_GRADIENT, Attrs.EMPTY, x); }
}
