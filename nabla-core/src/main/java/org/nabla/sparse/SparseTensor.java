package org.nabla.sparse;

import java.util.Arrays;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * A sparse tensor in coordinate form (TensorFlow's {@code tf.sparse.SparseTensor}): the positions of its non-zero
 * entries, their values, and the dense shape. Like TensorFlow's, it is a composite of three ordinary tensors, so it
 * works eagerly and in graphs alike (in a traced function its parts may be symbolic):
 * <ul>
 * <li>{@code indices}: int64 {@code [nnz, rank]}, one row per entry (row-major order is canonical, see
 *     {@link Sparse#reorder}; most ops accept any order);</li>
 * <li>{@code values}: {@code [nnz]} of any numeric dtype;</li>
 * <li>{@code denseShape}: int64 {@code [rank]}.</li>
 * </ul>
 * Positions not listed are zero. The operations are in {@link Sparse}.
 */
public final class SparseTensor {
    private final Tensor indices;
    private final Tensor values;
    private final Tensor denseShape;

    /** Checks the parts' dtypes and ranks (and, where they are known, that they agree). */
    public SparseTensor(Tensor indices, Tensor values, Tensor denseShape) {
        if (indices == null || values == null || denseShape == null) {
            throw new IllegalArgumentException("SparseTensor: indices, values and denseShape must not be null");
        }
        if (indices.dtype() != DType.INT64 || indices.shape().rank() != 2) {
            throw new IllegalArgumentException("SparseTensor: indices must be int64 [nnz, rank], got "
                    + indices.dtype() + indices.shape());
        }
        if (values.shape().rank() != 1 || values.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("SparseTensor: values must be a numeric [nnz] vector, got "
                    + values.dtype() + values.shape());
        }
        if (denseShape.dtype() != DType.INT64 || denseShape.shape().rank() != 1) {
            throw new IllegalArgumentException("SparseTensor: denseShape must be int64 [rank], got "
                    + denseShape.dtype() + denseShape.shape());
        }
        int nnz = indices.shape().dim(0), valueCount = values.shape().dim(0);
        if (nnz != Shape.UNKNOWN && valueCount != Shape.UNKNOWN && nnz != valueCount) {
            throw new IllegalArgumentException("SparseTensor: " + nnz + " index rows but " + valueCount + " values");
        }
        int rank = indices.shape().dim(1), shapeRank = denseShape.shape().dim(0);
        if (rank != Shape.UNKNOWN && shapeRank != Shape.UNKNOWN && rank != shapeRank) {
            throw new IllegalArgumentException("SparseTensor: indices have " + rank + " columns but denseShape has "
                    + shapeRank + " dimensions");
        }
        if (!denseShape.isSymbolic()) {
            for (long d : denseShape.toLongArray()) {
                if (d < 0) {
                    throw new IllegalArgumentException("SparseTensor: negative dimension in denseShape "
                            + SparseKernels.dims(denseShape.toLongArray()));
                }
            }
        }
        this.indices = indices;
        this.values = values;
        this.denseShape = denseShape;
    }

    /**
     * A sparse tensor from Java values: {@code indices[k]} is the position of {@code values[k]} in a tensor of
     * {@code shape}. Positions are checked against the shape; duplicates are refused by the ops that would add them.
     */
    public static SparseTensor of(long[][] indices, Tensor values, long... shape) {
        long[] flat = new long[indices.length * shape.length];
        for (int k = 0; k < indices.length; k++) {
            if (indices[k].length != shape.length) {
                throw new IllegalArgumentException("SparseTensor.of: index " + k + " " + Arrays.toString(indices[k])
                        + " has " + indices[k].length + " coordinates, the shape " + SparseKernels.dims(shape) + " "
                        + shape.length);
            }
            for (int d = 0; d < shape.length; d++) {
                if (indices[k][d] < 0 || indices[k][d] >= shape[d]) {
                    throw new IllegalArgumentException("SparseTensor.of: index " + k + " "
                            + Arrays.toString(indices[k]) + " is outside the shape " + SparseKernels.dims(shape));
                }
            }
            System.arraycopy(indices[k], 0, flat, k * shape.length, shape.length);
        }
        return new SparseTensor(Tensor.wrap(DType.INT64, Shape.of(indices.length, shape.length), flat), values,
                Tensor.wrap(DType.INT64, Shape.of(shape.length), shape.clone()));
    }

    /** int64 {@code [nnz, rank]}: the position of each stored value. */
    public Tensor indices() { return indices; }

    /** {@code [nnz]}: the stored values. */
    public Tensor values() { return values; }

    /** int64 {@code [rank]}: the shape of the dense tensor this one stands for. */
    public Tensor denseShape() { return denseShape; }

    /** The values' dtype. */
    public DType dtype() { return values.dtype(); }

    /** The number of dimensions, or -1 when it is not known (a symbolic part of unknown size). */
    public int rank() {
        int r = indices.shape().dim(1);
        return r != Shape.UNKNOWN ? r : denseShape.shape().dim(0);
    }

    /** The dense shape where it is known (concrete {@code denseShape}), else the rank with unknown dimensions. */
    public Shape shape() {
        if (!denseShape.isSymbolic()) return Shape.of(denseShape.toLongArray());
        int[] dims = new int[Math.max(rank(), 0)];
        Arrays.fill(dims, Shape.UNKNOWN);
        return Shape.of(dims);
    }

    /** True when any part is a symbolic (graph) tensor. */
    public boolean isSymbolic() { return indices.isSymbolic() || values.isSymbolic() || denseShape.isSymbolic(); }

    /** The dense tensor, zeros where nothing is stored ({@link Sparse#toDense}). */
    public Tensor toDense() { return Sparse.toDense(this); }

    @Override
    public String toString() {
        if (isSymbolic()) return "SparseTensor(" + dtype() + ", shape " + shape() + ", symbolic)";
        return "SparseTensor(" + dtype() + shape() + ", " + values.shape().dim(0) + " values)";
    }
}
