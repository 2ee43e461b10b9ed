package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Repeats each pixel of NHWC images {@code rows x cols} times (Keras' {@code UpSampling2D}, nearest). */
public final class UpSampling2D extends Layer {
    private final int rows;
    private final int cols;

    /** Doubles height and width. */
    public UpSampling2D() { this(2, 2); }

    /** Repeats each pixel {@code rows} times down and {@code cols} times across (each >= 1). */
    public UpSampling2D(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("UpSampling2D: sizes must be >= 1, got " + rows + ", " + cols);
        }
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
        requireKnownFeatures(shapes[0]);
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        return Shape.of(s.dim(0), s.dim(1) * rows, s.dim(2) * cols, s.dim(3));
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        Shape s = x.shape();
        int h = s.dim(1), w = s.dim(2), c = s.dim(3);
        // [N, H, 1, W, 1, C] tiled to [N, H, rows, W, cols, C], then merged
        Tensor e = Ops.reshape(x, -1, h, 1, w, 1, c);
        Tensor t = Ops.tile(e, 1, 1, rows, 1, cols, 1);
        return Ops.reshape(t, -1, h * rows, w * cols, c);
    }
}
