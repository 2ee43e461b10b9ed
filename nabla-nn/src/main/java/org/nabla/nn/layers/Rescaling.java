package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** {@code x * scale + offset} (Keras' {@code Rescaling}), e.g. {@code new Rescaling(1 / 255.0, 0)} for pixels. */
public final class Rescaling extends Layer {
    private final double scale;
    private final double offset;

    /** Multiplies by {@code scale}, then adds {@code offset}. */
    public Rescaling(double scale, double offset) {
        this.scale = scale;
        this.offset = offset;
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** The steps and their mask are kept (Keras: supports_masking). */
    @Override
    protected boolean supportsMasking() { return true; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        Tensor s = Ops.cast(org.nabla.Tensors.scalar(scale), x.dtype());
        Tensor o = Ops.cast(org.nabla.Tensors.scalar(offset), x.dtype());
        return Ops.add(Ops.mul(x, s), o);
    }
}
