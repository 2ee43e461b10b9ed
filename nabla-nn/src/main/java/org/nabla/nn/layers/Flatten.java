package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Flattens each example: [N, d1, d2, ...] to [N, d1*d2*...]. */
public final class Flatten extends Layer {
    /** Flattens each example to one axis. */
    public Flatten() {}

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 1) throw new IllegalArgumentException(describe() + " needs a batch dim, got a scalar");
        requireKnownFeatures(shapes[0]);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        long n = 1;
        for (int i = 1; i < in[0].rank(); i++) n *= in[0].dim(i);
        return Shape.of(in[0].dim(0), (int) n);
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (x.shape().rank() == 2) return x;
        return Ops.reshape(x, -1, outputShape(new Shape[] {x.shape()}).dim(1));
    }
}
