package org.nabla.ops;

import org.nabla.DType;
import org.nabla.Shape;

/** Matrix products: MatMul (batched, with transpose flags). */
public final class LinalgOps {
    private LinalgOps() {}

    /**
     * {@code tf.linalg.matmul}: the product of the last two axes of {@code a} and {@code b} (each optionally
     * transposed first), with the leading (batch) axes broadcast NumPy-style. Both inputs need rank >= 2: as in
     * TensorFlow, vectors are not promoted (reshape a vector to [1, n] or [n, 1]).
     */
    public static final OpDef MATMUL = OpDef.builder("MatMul").inputs("a", "b")
            .attr("transposeA", AttrType.BOOL, false)
            .attr("transposeB", AttrType.BOOL, false)
            .shape((in, a) -> Infer.one(Infer.sameDType("MatMul", in[0], in[1]),
                    matmulShape(in[0], in[1], a.getBool("transposeA"), a.getBool("transposeB"))))
            .summary("matrix product of the last two axes, batch axes broadcast; optional transposes").build();

    /** The output shape of MatMul: broadcast batch axes, then [rows of op(a), columns of op(b)]. */
    static Shape matmulShape(TensorSpec a, TensorSpec b, boolean transposeA, boolean transposeB) {
        Infer.requireDType("MatMul", "a", a, DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT32,
                DType.INT64, DType.COMPLEX64, DType.COMPLEX128);
        Shape sa = a.shape();
        Shape sb = b.shape();
        for (int i = 0; i < 2; i++) {
            Shape s = i == 0 ? sa : sb;
            if (s.rank() < 2) {
                throw new OpException("MatMul", "input '" + (i == 0 ? "a" : "b") + "' has shape " + s + " (rank "
                        + s.rank() + ") but both inputs need rank >= 2 (shapes " + sa + " and " + sb + "); reshape a "
                        + "vector to [1, n] or [n, 1] first");
            }
        }
        int m = sa.dim(transposeA ? -1 : -2);
        int ka = sa.dim(transposeA ? -2 : -1);
        int kb = sb.dim(transposeB ? -1 : -2);
        int n = sb.dim(transposeB ? -2 : -1);
        if (ka != kb && ka != Shape.UNKNOWN && kb != Shape.UNKNOWN) {
            throw new OpException("MatMul", "inner dimensions do not match: a " + sa + " (transposeA=" + transposeA
                    + ") has " + ka + " columns but b " + sb + " (transposeB=" + transposeB + ") has " + kb + " rows");
        }
        int[] da = sa.dims();
        int[] db = sb.dims();
        Shape batch;
        try {
            batch = Infer.broadcast("MatMul", Shape.of(java.util.Arrays.copyOf(da, da.length - 2)),
                    Shape.of(java.util.Arrays.copyOf(db, db.length - 2)));
        } catch (OpException e) {
            throw new OpException("MatMul", "batch dimensions of a " + sa + " and b " + sb + " cannot be broadcast"
                    + " (all axes but the last two must be equal or 1)");
        }
        int[] out = java.util.Arrays.copyOf(batch.dims(), batch.rank() + 2);
        out[batch.rank()] = m;
        out[batch.rank() + 1] = n;
        return Shape.of(out);
    }
}
