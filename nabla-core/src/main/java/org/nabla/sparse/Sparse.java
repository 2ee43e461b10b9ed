package org.nabla.sparse;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.ops.Attrs;

/**
 * Operations on {@link SparseTensor}s, like TensorFlow's {@code tf.sparse} module. Each runs the ops of
 * {@link SparseOps} eagerly or, inside a traced function, as graph nodes; gradients reach the values and the dense
 * operands (a {@code GradientTape} or {@code Gradients} works through them as through any op).
 * <pre>{@code
 * SparseTensor a = SparseTensor.of(new long[][] {{0, 0}, {1, 2}}, Tensors.of(new float[] {1, 2}, 2), 2, 3);
 * Tensor y = Sparse.matmul(a, Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));   // [[1, 2], [10, 12]]
 * }</pre>
 */
public final class Sparse {
    private Sparse() {}

    /** The non-zero entries of {@code x} (NaN counts as non-zero, -0.0 as zero), in row-major order. */
    public static SparseTensor fromDense(Tensor x) {
        Tensor[] r = Ops.runMulti(SparseOps.DENSE_TO_SPARSE, Attrs.EMPTY, x);
        return new SparseTensor(r[0], r[1], r[2]);
    }

    /** The dense tensor, zero where nothing is stored; fails on an index outside the shape or a repeated one. */
    public static Tensor toDense(SparseTensor sp) { return toDense(sp, 0); }

    /** The dense tensor, {@code defaultValue} (converted to the values' dtype) where nothing is stored. */
    public static Tensor toDense(SparseTensor sp, Number defaultValue) {
        Tensor dflt = Ops.cast(Tensors.scalar(defaultValue.doubleValue()), sp.dtype());
        return Ops.run(SparseOps.SPARSE_TO_DENSE, Attrs.EMPTY, sp.indices(), sp.denseShape(), sp.values(), dflt);
    }

    /** {@code dense + a}: a dense result (each stored value adds, repeated indices too). Shapes must be equal. */
    public static Tensor add(SparseTensor a, Tensor dense) {
        return Ops.run(SparseOps.SPARSE_DENSE_ADD, Attrs.EMPTY, a.indices(), a.values(), a.denseShape(), dense);
    }

    /** The matrix product {@code a b} of a sparse matrix and a dense one (float32 or float64). */
    public static Tensor matmul(SparseTensor a, Tensor b) { return matmul(a, b, false, false); }

    /** {@code op(a) op(b)}, op transposing its operand when the adjoint flag is set (real values: no conjugate). */
    public static Tensor matmul(SparseTensor a, Tensor b, boolean adjointA, boolean adjointB) {
        return Ops.run(SparseOps.SPARSE_DENSE_MATMUL, Attrs.of("adjoint_a", adjointA, "adjoint_b", adjointB),
                a.indices(), a.values(), a.denseShape(), b);
    }

    /** The dense sum of every entry: a scalar. */
    public static Tensor reduceSum(SparseTensor sp) { return reduceSum(sp, false); }

    /** The dense sum over {@code axes} (negative counts from the end; none: every axis). */
    public static Tensor reduceSum(SparseTensor sp, int... axes) { return reduceSum(sp, false, axes); }

    /** The dense sum over {@code axes}, keeping them as size-1 dimensions when {@code keepDims}. */
    public static Tensor reduceSum(SparseTensor sp, boolean keepDims, int... axes) {
        return Ops.run(SparseOps.SPARSE_REDUCE_SUM, Attrs.of("axes", axes.clone(), "keep_dims", keepDims),
                sp.indices(), sp.values(), sp.denseShape());
    }

    /** The same tensor with its entries in row-major (canonical) order. */
    public static SparseTensor reorder(SparseTensor sp) {
        Tensor[] r = Ops.runMulti(SparseOps.SPARSE_REORDER, Attrs.EMPTY, sp.indices(), sp.values(), sp.denseShape());
        return new SparseTensor(r[0], r[1], sp.denseShape());
    }

    /**
     * The entries with {@code start <= index < start + size} in every dimension, moved so that {@code start} is the
     * origin; the size is clipped to the dense shape (as {@code tf.sparse.slice} does). Entries keep their order.
     */
    public static SparseTensor slice(SparseTensor sp, long[] start, long[] size) {
        Tensor[] r = Ops.runMulti(SparseOps.SPARSE_SLICE, Attrs.EMPTY, sp.indices(), sp.values(), sp.denseShape(),
                Tensor.wrap(DType.INT64, Shape.of(start.length), start.clone()),
                Tensor.wrap(DType.INT64, Shape.of(size.length), size.clone()));
        return new SparseTensor(r[0], r[1], r[2]);
    }

    /**
     * The tensors joined along {@code axis} (their other dimensions must agree), entries in row-major order as
     * {@code tf.sparse.concat} gives them.
     */
    public static SparseTensor concat(int axis, SparseTensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("Sparse.concat: no tensors to join");
        int n = parts.length;
        Tensor[] in = new Tensor[3 * n];
        for (int i = 0; i < n; i++) {
            in[i] = parts[i].indices();
            in[n + i] = parts[i].values();
            in[2 * n + i] = parts[i].denseShape();
        }
        Tensor[] r = Ops.runMulti(SparseOps.SPARSE_CONCAT, Attrs.of("concat_dim", axis), in);
        return reorder(new SparseTensor(r[0], r[1], r[2]));
    }
}
