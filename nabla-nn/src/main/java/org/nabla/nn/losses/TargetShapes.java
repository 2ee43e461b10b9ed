package org.nabla.nn.losses;

import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * Lines up targets with predictions before an element-wise loss or metric, as Keras does: when the ranks differ by
 * one and the longer shape ends in 1, that axis is dropped (a rank-1 target [N] against [N, 1] predictions becomes
 * [N, 1]); any other mismatch is an error naming both shapes. Without this, [N] against [N, 1] would broadcast to
 * [N, N] and give a wrong loss without a word.
 */
public final class TargetShapes {
    private TargetShapes() {}

    /** {yTrue, yPred} with the same shape (where known), or an exception naming {@code what} and both shapes. */
    public static Tensor[] align(String what, Tensor yTrue, Tensor yPred) {
        Tensor t = yTrue, p = yPred;
        int rt = t.shape().rank(), rp = p.shape().rank();
        if (rt == rp + 1 && t.shape().dim(-1) == 1) {
            t = rp == 1 ? t : Ops.squeeze(t, -1);
            if (rp == 1) p = Ops.expandDims(p, -1);
        } else if (rp == rt + 1 && p.shape().dim(-1) == 1) {
            if (rt == 1) t = Ops.expandDims(t, -1);
            else p = Ops.squeeze(p, -1);
        }
        if (!t.shape().isCompatibleWith(p.shape())) {
            throw new IllegalArgumentException(what + ": targets of shape " + yTrue.shape() + " do not match "
                    + "predictions of shape " + yPred.shape() + " (expected the same shape, or one of them with an "
                    + "extra trailing axis of 1)");
        }
        return new Tensor[] {t, p};
    }
}
