package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Concatenates several inputs along the last axis (functional API merge layer). */
public final class Concatenate extends Layer {
    /** Concatenates its inputs along the last axis. */
    public Concatenate() {}

    @Override
    protected void checkInputs(Shape[] shapes) {
        if (shapes.length < 2) {
            throw new IllegalArgumentException(describe() + " needs at least 2 inputs, got " + shapes.length);
        }
        for (Shape s : shapes) {
            if (s.rank() != shapes[0].rank() || s.dim(-1) < 0) {
                throw new IllegalArgumentException(describe() + ": inputs must share a rank and have known last "
                        + "dims, got " + java.util.Arrays.toString(shapes));
            }
        }
    }

    @Override
    public Shape outputShape(Shape[] in) {
        int[] d = in[0].dims();
        int sum = 0;
        for (Shape s : in) sum += s.dim(-1);
        d[d.length - 1] = sum;
        return Shape.of(d);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return Ops.concat(-1, inputs); }

    /** Reads every input's mask, for the output mask. */
    @Override
    public boolean readsInputMasks() { return true; }

    /**
     * Keras' Concatenate mask: when some input has a mask, a step is real where it is real in any input (an input
     * without a mask counts as real everywhere); null when no input has a mask.
     */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor[] masks) {
        Tensor out = null;
        boolean unmasked = false;
        for (Tensor m : masks) {
            if (m == null) unmasked = true;
            else out = out == null ? ElementwiseMerge.bool(m) : Ops.logicalOr(out, ElementwiseMerge.bool(m));
        }
        if (out == null || !unmasked) return out;
        return Ops.logicalOr(out, Ops.logicalNot(out));   // all true, in the masks' shape
    }
}
