package org.nabla.nn.layers;

import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * A layer made of a Java function of its input (Keras' {@code Lambda}), for computations without weights, e.g.
 * {@code new Lambda(x -> Ops.mul(x, 2f))}. It is traced like any layer, so models using it train, save (as a graph)
 * and export; the output shape is the input's unless an {@code outputShape} function says otherwise.
 */
public final class Lambda extends Layer {
    private final UnaryOperator<Tensor> fn;
    private final Function<Shape, Shape> outputShape;

    /** A shape-preserving function. */
    public Lambda(UnaryOperator<Tensor> fn) { this(fn, s -> s); }

    /** A function and the output shape it gives for an input shape (batch dim included, -1 when unknown). */
    public Lambda(UnaryOperator<Tensor> fn, Function<Shape, Shape> outputShape) {
        if (fn == null || outputShape == null) throw new IllegalArgumentException("Lambda: null function");
        this.fn = fn;
        this.outputShape = outputShape;
    }

    @Override
    public Shape outputShape(Shape[] in) { return outputShape.apply(in[0]); }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor y = fn.apply(inputs[0]);
        Shape declared = outputShape.apply(inputs[0].shape());
        if (!y.shape().isCompatibleWith(declared)) {
            throw new IllegalStateException(describe() + ": the function gave shape " + y.shape() + " but the layer "
                    + "declares " + declared + " for input " + inputs[0].shape() + "; pass the outputShape function");
        }
        return y;
    }
}
