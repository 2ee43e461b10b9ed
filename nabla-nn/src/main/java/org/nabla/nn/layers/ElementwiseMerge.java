package org.nabla.nn.layers;

import java.util.Arrays;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * A merge layer of the functional API combining inputs of one shape element by element (Keras' {@code Add},
 * {@code Multiply}, {@code Average}, {@code Maximum}, {@code Minimum}, {@code Subtract}); subclasses give the
 * combination of two tensors and how many inputs they take.
 */
abstract class ElementwiseMerge extends Layer {
    /** Combines the running result with the next input. */
    abstract Tensor combine(Tensor acc, Tensor next);

    /** The exact number of inputs, or -1 for two or more. */
    int arity() { return -1; }

    @Override
    protected void checkInputs(Shape[] shapes) {
        int n = arity();
        if (n < 0 ? shapes.length < 2 : shapes.length != n) {
            throw new IllegalArgumentException(describe() + " needs " + (n < 0 ? "at least 2" : "exactly " + n)
                    + " inputs, got " + shapes.length);
        }
        for (Shape s : shapes) {
            if (!s.isCompatibleWith(shapes[0])) {
                throw new IllegalArgumentException(describe() + ": inputs must have one shape, got "
                        + Arrays.toString(shapes));
            }
        }
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor y = inputs[0];
        for (int i = 1; i < inputs.length; i++) y = combine(y, inputs[i]);
        return y;
    }
}
