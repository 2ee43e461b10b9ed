package org.nabla;

import org.nabla.eager.ExecutionContext;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.RandomOps;

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

    /** Zeros with the dtype and shape of {@code x}. */
    public static Tensor zerosLike(Tensor x) { return zeros(x.dtype(), x.shape().dims()); }

    /** Ones with the dtype and shape of {@code x}. */
    public static Tensor onesLike(Tensor x) { return ones(x.dtype(), x.shape().dims()); }

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
}
