package org.nabla.nn.layers;

import java.util.Locale;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;
import org.nabla.nn.PoolingOps;

/** Shared base of {@link MaxPooling2D} and {@link AveragePooling2D}: NHWC windows, strides default to the pool size. */
public abstract class Pooling extends Layer {
    final int ph;
    final int pw;
    final int sh;
    final int sw;
    final String padding;

    Pooling(String op, int ph, int pw, int sh, int sw, String padding) {
        if (ph <= 0 || pw <= 0 || sh <= 0 || sw <= 0) {
            throw new IllegalArgumentException(op + ": pool size and strides must be positive, got pool " + ph + "x"
                    + pw + ", strides " + sh + "x" + sw);
        }
        this.ph = ph;
        this.pw = pw;
        this.sh = sh;
        this.sw = sw;
        this.padding = checkPadding(op, padding);
    }

    static String checkPadding(String op, String p) {
        String u = p == null ? "" : p.toUpperCase(Locale.ROOT);
        if (!u.equals("SAME") && !u.equals("VALID")) {
            throw new IllegalArgumentException(op + ": padding must be \"valid\" or \"same\", got \"" + p + "\"");
        }
        return u;
    }

    /** TensorFlow's output size along one axis; -1 stays -1. */
    static int outSize(int in, int k, int stride, String padding, String who) {
        if (in < 0) return in;
        int out = padding.equals("SAME") ? (in + stride - 1) / stride : (in - k + stride) / stride;
        if (out <= 0) {
            throw new IllegalArgumentException(who + ": input size " + in + " is smaller than the window " + k
                    + " with padding " + padding.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
    }

    @Override
    public Shape outputShape(Shape[] in) {
        Shape s = in[0];
        return Shape.of(s.dim(0), outSize(s.dim(1), ph, sh, padding, describe()),
                outSize(s.dim(2), pw, sw, padding, describe()), s.dim(3));
    }

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        int[] k = {ph, pw};
        int[] s = {sh, sw};
        if (!(this instanceof MaxPooling2D)) return Ops.avgPool2d(inputs[0], k, s, padding);
        // training keeps the argmax, so the backward pass is one scatter (PoolingOps); inference needs only the
        // maxima, and core's MaxPool2D has a vectorized path for windows that tile the input
        return ctx.training() ? PoolingOps.maxPoolWithArgmax(inputs[0], k, s, padding)[0]
                : Ops.maxPool2d(inputs[0], k, s, padding);
    }
}
