package org.nabla.onnx;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Det: the determinant of square matrices (..., n, n), by Gaussian elimination with partial pivoting. */
final class LinalgRules {
    private LinalgRules() {}

    static void register(OnnxOperators r) {
        r.one("Det", LinalgRules::det);
    }

    /**
     * Unrolled over n (known at import): at step k the row with the largest |value| in column k (from row k down)
     * is swapped up (a sign flip when it moves), the pivot multiplies the determinant, and the rows below are
     * reduced. Swaps are one-hot row combinations, so every batch matrix pivots on its own rows.
     */
    private static Tensor det(OnnxNode n) {
        Tensor x = n.required(0);
        int rank = x.rank();
        if (rank < 2) throw n.error("needs matrices (..., n, n), got " + x.shape());
        int size = NnRules.knownDim(n, x, rank - 1);
        if (NnRules.knownDim(n, x, rank - 2) != size) throw n.error("matrices must be square, got " + x.shape());
        if (!x.dtype().isFloating()) throw n.error("input must be float or double, got " + x.dtype());
        int batch = 1;
        int[] outer = new int[rank - 2];
        for (int i = 0; i < rank - 2; i++) batch *= outer[i] = NnRules.knownDim(n, x, i);
        Tensor a = Ops.reshape(Ops.cast(x, DType.FLOAT64), batch, size, size);
        Tensor det = Ops.ones(DType.FLOAT64, batch);
        Tensor rows = Ops.range(0, size, 1, DType.INT64);
        for (int k = 0; k < size; k++) {
            Tensor column = Ops.slice(Ops.gather(a, Tensors.scalar((long) k), 2), new int[] {0, k},
                    new int[] {-1, size - k});
            Tensor pivotRow = Ops.add(Ops.cast(Ops.argmax(Ops.abs(column), 1), DType.INT64), (long) k);
            Tensor toK = oneHot(rows, Tensors.scalar((long) k)), toP = oneHot(rows, Ops.expandDims(pivotRow, 1));
            Tensor rowK = Ops.matmul(Ops.expandDims(toK, 0), a); // (B, 1, n)
            Tensor rowP = Ops.matmul(Ops.expandDims(toP, 1), a);
            Tensor diff = Ops.sub(rowP, rowK);
            a = Ops.add(a, Ops.sub(Ops.mul(Ops.expandDims(toK, -1), diff), Ops.mul(Ops.expandDims(toP, -1), diff)));
            det = Ops.mul(det, Ops.where(Ops.equal(pivotRow, (long) k), Ops.onesLike(det), Ops.neg(Ops.onesLike(det))));
            Tensor pivot = Ops.reshape(Ops.slice(a, new int[] {0, k, k}, new int[] {-1, 1, 1}), batch);
            det = Ops.mul(det, pivot);
            Tensor safe = Ops.where(Ops.equal(pivot, 0.0), Ops.onesLike(pivot), pivot);
            Tensor below = Ops.cast(Ops.greater(rows, (long) k), DType.FLOAT64); // rows k + 1 ... n - 1
            Tensor factor = Ops.mul(Ops.div(Ops.gather(a, Tensors.scalar((long) k), 2), Ops.reshape(safe, batch, 1)),
                    below); // (B, n)
            Tensor pivotRowValues = Ops.slice(a, new int[] {0, k, 0}, new int[] {-1, 1, -1}); // (B, 1, n)
            a = Ops.sub(a, Ops.mul(Ops.expandDims(factor, -1), pivotRowValues));
        }
        return Ops.cast(outer.length == 0 ? Ops.reshape(det) : Ops.reshape(det, outer), x.dtype());
    }

    /** 1.0 where {@code rows} equals {@code index} (broadcasting), else 0.0. */
    private static Tensor oneHot(Tensor rows, Tensor index) {
        return Ops.cast(Ops.equal(rows, index), DType.FLOAT64);
    }
}
