package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.PoolOptions;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/**
 * Shared base of {@link MaxPooling3D} and {@link AveragePooling3D}: NDHWC windows (strides default to the pool
 * size), run by core's channels-first N-d pooling between two transposes; "same" padding is never counted in an
 * average (Keras).
 */
public abstract class Pooling3D extends Layer {
    private final int[] pool;
    private final int[] strides;
    private final String padding;

    Pooling3D(String op, int[] pool, int[] strides, String padding) {
        for (int i = 0; i < 3; i++) {
            if (pool[i] < 1 || strides[i] < 1) {
                throw new IllegalArgumentException(op + ": pool size and strides must be >= 1, got pool "
                        + java.util.Arrays.toString(pool) + ", strides " + java.util.Arrays.toString(strides));
            }
        }
        this.pool = pool.clone();
        this.strides = strides.clone();
        this.padding = Pooling.checkPadding(op, padding);
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 5, "NDHWC volumes (batch, depth, height, width, channels)");
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        return Shape.of(s.dim(0), Pooling.outSize(s.dim(1), pool[0], strides[0], padding, describe()),
                Pooling.outSize(s.dim(2), pool[1], strides[1], padding, describe()),
                Pooling.outSize(s.dim(3), pool[2], strides[2], padding, describe()), s.dim(4));
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        PoolOptions o = PoolOptions.of(pool).strides(strides).padding(padding);
        Tensor x = Ops.transpose(inputs[0], 0, 4, 1, 2, 3);
        Tensor y = this instanceof MaxPooling3D ? Ops.maxPool(x, o) : Ops.avgPool(x, o);
        return Ops.transpose(y, 0, 2, 3, 4, 1);
    }
}
