package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Max or average pooling over the steps of sequences [N, T, C] (Keras' {@code MaxPooling1D} /
 * {@code AveragePooling1D}): windows of {@code pool} steps every {@code stride}, padding "valid" or "same" (an
 * average over a padded window counts only real steps, as TensorFlow does). Runs as 2-D pooling of height 1.
 */
abstract class Pooling1D extends Layer {
    private final int pool;
    private final int stride;
    private final String padding;
    private final boolean max;

    Pooling1D(String op, int pool, int stride, String padding, boolean max) {
        if (pool < 1 || stride < 1) {
            throw new IllegalArgumentException(op + ": pool size and strides must be positive, got " + pool + ", "
                    + stride);
        }
        this.pool = pool;
        this.stride = stride;
        this.padding = Pooling.checkPadding(op, padding);
        this.max = max;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 3, "sequences (batch, steps, channels)");
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        return Shape.of(s.dim(0), Pooling.outSize(s.dim(1), pool, stride, padding, describe()), s.dim(2));
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = Ops.expandDims(inputs[0], 1);
        int[] k = {1, pool}, s = {1, stride};
        Tensor y = max ? Ops.maxPool2d(x, k, s, padding) : Ops.avgPool2d(x, k, s, padding);
        return Ops.squeeze(y, 1);
    }
}
