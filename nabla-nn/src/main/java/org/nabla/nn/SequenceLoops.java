package org.nabla.nn;

import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * What the fused recurrent loops ({@link LstmSequenceOps}, {@link GruSequenceOps}, {@link SimpleRnnSequenceOps}) share:
 * mask and attributes.
 */
final class SequenceLoops {
    private SequenceLoops() { }

    /** The loop attributes, as Keras' {@code backend.rnn} takes them. */
    static OpDef.Builder loopAttrs(OpDef.Builder b) {
        return b.attr("goBackwards", AttrType.BOOL, false).attr("zeroOutputForMask", AttrType.BOOL, false);
    }

    /** Their values for one call. */
    static Attrs attrs(boolean goBackwards, boolean zeroOutputForMask) {
        return Attrs.of("goBackwards", goBackwards, "zeroOutputForMask", zeroOutputForMask);
    }

    /** The mask input: the [batch, time] mask, or a scalar true for none. */
    static Tensor maskInput(Tensor mask) { return mask != null ? mask : org.nabla.Tensors.scalar(true); }

    /** Checks the mask input against the projection's shape [batch, time, ...]. */
    static void checkMask(String op, TensorSpec mask, Shape x) {
        if (mask.dtype() != DType.BOOL || !(mask.shape().rank() == 0
                || mask.shape().isCompatibleWith(Shape.of(x.dim(0), x.dim(1))))) {
            throw new OpException(op, "mask must be bool [batch, time] = " + Shape.of(x.dim(0), x.dim(1))
                    + " or a scalar (no mask), got " + mask);
        }
    }

    /** A kernel's mask input as bytes, or null for none. */
    static byte[] mask(Tensor mask) { return mask.shape().rank() == 0 ? null : (byte[]) mask.data(); }
}
