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

    /** Whether step {@code t} of example {@code b} is real (no mask: every step). */
    static boolean live(byte[] mask, int b, int time, int t) { return mask == null || mask[b * time + t] != 0; }

    /**
     * A masked step's output at {@code at} (Keras' {@code backend.rnn}): zeros with {@code zeroOut}, else the previous
     * step's output, which at the first step is h0's row {@code b}.
     */
    static void maskedOutput(float[] out, int at, int units, int k, float[] h0, int b, boolean zeroOut) {
        if (zeroOut) java.util.Arrays.fill(out, at, at + units, 0f);
        else if (k == 0) System.arraycopy(h0, b * units, out, at, units);
        else System.arraycopy(out, at - units, out, at, units);
    }

    /**
     * Backward through a masked step: its output was a copy of the previous one, so its gradient waits in
     * {@code carry} (row {@code s}) for the previous real step (or h0); zero outputs pass nothing back.
     */
    static void carryMasked(float[] carry, int s, float[] dOut, int at, int units, boolean zeroOut) {
        for (int j = 0; j < units; j++) carry[s + j] = zeroOut ? 0f : carry[s + j] + dOut[at + j];
    }

    /**
     * The rows x cols recurrent kernel {@code u} transposed (cols x rows): the backward loops multiply by Uᵀ at every
     * timestep, and a row-major Uᵀ is read in place by the GEMM where a transposed operand would be packed per step.
     */
    static float[] transpose(float[] u, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = u[i * cols + j];
        }
        return t;
    }
}
