package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Repeats each example's vector {@code n} times: [N, F] to [N, n, F] (Keras' {@code RepeatVector}). */
public final class RepeatVector extends Layer {
    private final int n;

    /** Repeats {@code n} (>= 1) times. */
    public RepeatVector(int n) {
        if (n < 1) throw new IllegalArgumentException("RepeatVector: n must be >= 1, got " + n);
        this.n = n;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 2, "vectors (batch, features)");
    }

    @Override
    public Shape outputShape(Shape[] in) { return Shape.of(in[0].dim(0), n, in[0].dim(1)); }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        return Ops.tile(Ops.expandDims(inputs[0], 1), 1, n, 1);
    }
}
