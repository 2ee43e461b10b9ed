package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * The mean or maximum of each channel over every axis between the batch and the channels: [N, T, C] or
 * [N, H, W, C] to [N, C] (Keras' global pooling layers).
 */
abstract class GlobalPooling extends Layer {
    private final int rank;
    private final boolean max;
    private final String expected;

    GlobalPooling(int rank, boolean max, String expected) {
        this.rank = rank;
        this.max = max;
        this.expected = expected;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], rank, expected);
    }

    @Override
    public Shape outputShape(Shape[] in) { return Shape.of(in[0].dim(0), in[0].dim(rank - 1)); }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        int[] axes = new int[rank - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        return max ? Ops.max(inputs[0], axes) : Ops.mean(inputs[0], axes);
    }
}
