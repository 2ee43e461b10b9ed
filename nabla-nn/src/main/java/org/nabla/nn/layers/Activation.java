package org.nabla.nn.layers;

import java.util.function.UnaryOperator;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.Activations;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Applies an activation function by name ("relu", "softmax"...). */
public final class Activation extends Layer {
    private final UnaryOperator<Tensor> fn;

    /**
     * Applies the activation named {@code name} ("relu", "softmax"...; see {@code Activations}); throws for an unknown
     * name.
     */
    public Activation(String name) { this.fn = Activations.get(name); }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) { return fn.apply(inputs[0]); }

    /** The timesteps are kept, so is their mask. */
    @Override
    public Tensor outputMask(Tensor[] inputs, Tensor mask) { return mask; }
}
