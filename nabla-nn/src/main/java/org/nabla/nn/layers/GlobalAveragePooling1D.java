package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** The mean over the steps of sequences: [N, T, C] to [N, C]. */
public final class GlobalAveragePooling1D extends Layer {
    /** Pools each channel over all steps. */
    public GlobalAveragePooling1D() {}

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 3, "sequences (batch, steps, channels)");
    }

    @Override
    public Shape outputShape(Shape[] in) { return Shape.of(in[0].dim(0), in[0].dim(2)); }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return Ops.mean(inputs[0], 1); }
}
