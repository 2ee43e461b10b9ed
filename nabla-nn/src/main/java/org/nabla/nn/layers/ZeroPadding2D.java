package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Pads NHWC images with zero rows and columns: {@code top, bottom, left, right} (Keras' {@code ZeroPadding2D}). */
public final class ZeroPadding2D extends Layer {
    private final int top;
    private final int bottom;
    private final int left;
    private final int right;

    /** The same padding on every side. */
    public ZeroPadding2D(int pad) { this(pad, pad, pad, pad); }

    /** These paddings (each >= 0). */
    public ZeroPadding2D(int top, int bottom, int left, int right) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("ZeroPadding2D: paddings must be >= 0, got " + top + ", " + bottom
                    + ", " + left + ", " + right);
        }
        this.top = top;
        this.bottom = bottom;
        this.left = left;
        this.right = right;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        return Shape.of(s.dim(0), s.dim(1) < 0 ? -1 : s.dim(1) + top + bottom, s.dim(2) < 0 ? -1 : s.dim(2) + left + right,
                s.dim(3));
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        return Ops.pad(inputs[0], new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}});
    }
}
