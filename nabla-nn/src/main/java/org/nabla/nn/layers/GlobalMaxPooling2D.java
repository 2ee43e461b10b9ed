package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** The maximum over height and width of NHWC inputs: [N, H, W, C] to [N, C]. */
public final class GlobalMaxPooling2D extends Layer {
    /** Takes each channel's maximum over height and width. */
    public GlobalMaxPooling2D() {}

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
    }

    @Override
    public Shape outputShape(Shape[] in) { return Shape.of(in[0].dim(0), in[0].dim(3)); }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return Ops.max(inputs[0], 1, 2); }
}
