package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Marks padded timesteps of a float sequence [batch, time, features] (Keras' Masking): a step whose features all
 * equal {@code maskValue} is masked; the output is the input with masked steps set to zero, and the mask
 * [batch, time] flows to the next layers (a recurrent layer skips those steps).
 */
public final class Masking extends Layer {
    private final double maskValue;

    /** Masks steps whose features are all zero. */
    public Masking() { this(0.0); }

    /** Masks steps whose features all equal {@code maskValue}. */
    public Masking(double maskValue) { this.maskValue = maskValue; }

    /** The value that marks padding. */
    public double maskValue() { return maskValue; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        if (shapes[0].rank() < 3) {
            throw new IllegalArgumentException(describe() + " expects a sequence [batch, time, features], got input "
                    + "shape " + shapes[0]);
        }
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        return Ops.mul(x, Ops.cast(Ops.any(Ops.notEqual(x, maskValue), true, -1), x.dtype()));
    }

    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) {
        return Ops.any(Ops.notEqual(inputs[0], maskValue), -1);
    }
}
