package org.nabla;

import org.nabla.eager.ExecutionContext;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.LinalgOps;
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

    public static Tensor add(Object x, Object y) {
        Tensor[] o = operands(x, y);
        return run(MathOps.ADD, Attrs.EMPTY, o[0], o[1]);
    }

    // ---------------------------------------------------------------- linalg

    /** Matrix product of the last two axes ({@code tf.linalg.matmul}); batch axes broadcast, ranks must be >= 2. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return run(LinalgOps.MATMUL, Attrs.EMPTY, a, b);
    }

    /** {@link #matmul(Tensor, Tensor)} of op(a) and op(b), where op transposes the last two axes when asked. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return run(LinalgOps.MATMUL, Attrs.of("transposeA", transposeA, "transposeB", transposeB), a, b);
    }

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
