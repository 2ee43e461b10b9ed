package org.nabla;

import org.nabla.eager.ExecutionContext;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpDef;

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

    // Binary ops broadcast NumPy-style and need equal dtypes; a Java number beside a tensor takes its dtype.

    public static Tensor add(Object x, Object y) { return mathBinary(MathOps.ADD, x, y); }

    public static Tensor sub(Object x, Object y) { return mathBinary(MathOps.SUB, x, y); }

    public static Tensor mul(Object x, Object y) { return mathBinary(MathOps.MUL, x, y); }

    /** x / y: IEEE division for floats, truncation toward zero for integers (division by zero fails). */
    public static Tensor div(Object x, Object y) { return mathBinary(MathOps.DIV, x, y); }

    /** floor(x / y) for every dtype (Python's {@code //}). */
    public static Tensor floorDiv(Object x, Object y) { return mathBinary(MathOps.FLOOR_DIV, x, y); }

    /** Floor modulo: the result has the sign of y (Python's {@code %}, TensorFlow's floormod). */
    public static Tensor mod(Object x, Object y) { return mathBinary(MathOps.MOD, x, y); }

    public static Tensor pow(Object x, Object y) { return mathBinary(MathOps.POW, x, y); }

    public static Tensor maximum(Object x, Object y) { return mathBinary(MathOps.MAXIMUM, x, y); }

    public static Tensor minimum(Object x, Object y) { return mathBinary(MathOps.MINIMUM, x, y); }

    public static Tensor neg(Object x) { return mathUnary(MathOps.NEG, x); }

    public static Tensor abs(Object x) { return mathUnary(MathOps.ABS, x); }

    public static Tensor sign(Object x) { return mathUnary(MathOps.SIGN, x); }

    public static Tensor square(Object x) { return mathUnary(MathOps.SQUARE, x); }

    public static Tensor exp(Object x) { return mathUnary(MathOps.EXP, x); }

    public static Tensor log(Object x) { return mathUnary(MathOps.LOG, x); }

    public static Tensor log1p(Object x) { return mathUnary(MathOps.LOG1P, x); }

    public static Tensor sqrt(Object x) { return mathUnary(MathOps.SQRT, x); }

    public static Tensor rsqrt(Object x) { return mathUnary(MathOps.RSQRT, x); }

    public static Tensor reciprocal(Object x) { return mathUnary(MathOps.RECIPROCAL, x); }

    public static Tensor sin(Object x) { return mathUnary(MathOps.SIN, x); }

    public static Tensor cos(Object x) { return mathUnary(MathOps.COS, x); }

    public static Tensor tanh(Object x) { return mathUnary(MathOps.TANH, x); }

    public static Tensor erf(Object x) { return mathUnary(MathOps.ERF, x); }

    public static Tensor floor(Object x) { return mathUnary(MathOps.FLOOR, x); }

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

    public static Tensor equal(Object x, Object y) { return mathBinary(MathOps.EQUAL, x, y); }

    public static Tensor notEqual(Object x, Object y) { return mathBinary(MathOps.NOT_EQUAL, x, y); }

    public static Tensor greater(Object x, Object y) { return mathBinary(MathOps.GREATER, x, y); }

    public static Tensor greaterEqual(Object x, Object y) { return mathBinary(MathOps.GREATER_EQUAL, x, y); }

    public static Tensor less(Object x, Object y) { return mathBinary(MathOps.LESS, x, y); }

    public static Tensor lessEqual(Object x, Object y) { return mathBinary(MathOps.LESS_EQUAL, x, y); }

    public static Tensor logicalAnd(Object x, Object y) { return mathBinary(MathOps.LOGICAL_AND, x, y); }

    public static Tensor logicalOr(Object x, Object y) { return mathBinary(MathOps.LOGICAL_OR, x, y); }

    public static Tensor logicalXor(Object x, Object y) { return mathBinary(MathOps.LOGICAL_XOR, x, y); }

    public static Tensor logicalNot(Object x) { return mathUnary(MathOps.LOGICAL_NOT, x); }

    /** condition ? x : y elementwise, all three broadcast (TensorFlow's where with x and y). */
    public static Tensor where(Object condition, Object x, Object y) {
        Tensor[] o = operands(x, y);
        return run(MathOps.SELECT, Attrs.EMPTY, Tensors.convert(condition), o[0], o[1]);
    }

    public static Tensor isNan(Object x) { return mathUnary(MathOps.IS_NAN, x); }

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

    // ---------------------------------------------------------------- linalg

    // ---------------------------------------------------------------- reduction

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
