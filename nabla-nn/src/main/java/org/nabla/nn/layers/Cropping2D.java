package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;

/** Removes rows and columns from the edges of NHWC images (Keras' {@code Cropping2D}). */
public final class Cropping2D extends Layer {
    private final int top;
    private final int bottom;
    private final int left;
    private final int right;

    /** Crops {@code top, bottom, left, right} pixels (each >= 0). */
    public Cropping2D(int top, int bottom, int left, int right) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("Cropping2D: crops must be >= 0, got " + top + ", " + bottom + ", "
                    + left + ", " + right);
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
        Shape s = shapes[0];
        if (s.dim(1) < 0 || s.dim(2) < 0 || top + bottom >= s.dim(1) || left + right >= s.dim(2)) {
            throw new IllegalArgumentException(describe() + ": cropping " + top + "+" + bottom + " rows and " + left
                    + "+" + right + " columns leaves nothing of images " + s);
        }
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        return Shape.of(s.dim(0), s.dim(1) - top - bottom, s.dim(2) - left - right, s.dim(3));
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        Shape s = x.shape();
        return Ops.slice(x, new int[] {0, top, left, 0},
                new int[] {s.dim(0), s.dim(1) - top - bottom, s.dim(2) - left - right, s.dim(3)});
    }
}
