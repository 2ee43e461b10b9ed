package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Elementwise sum of several inputs of one shape (functional API merge layer). */
public final class Add extends Layer {
    /** Adds its inputs element-wise (same shapes). */
    public Add() {}

    @Override
    protected void checkInputs(Shape[] shapes) {
        if (shapes.length < 2) {
            throw new IllegalArgumentException(describe() + " needs at least 2 inputs, got " + shapes.length);
        }
        for (Shape s : shapes) {
            if (!s.isCompatibleWith(shapes[0])) {
                throw new IllegalArgumentException(describe() + ": inputs must have one shape, got "
                        + java.util.Arrays.toString(shapes));
            }
        }
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor y = inputs[0];
        for (int i = 1; i < inputs.length; i++) y = Ops.add(y, inputs[i]);
        return y;
    }
}
