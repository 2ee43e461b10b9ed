package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.ImageOps;
import org.nabla.nn.Layer;

/**
 * Shared base of the geometric augmentation layers ({@link RandomRotation}, {@link RandomZoom},
 * {@link RandomTranslation}): in training each NHWC image is resampled through its own random affine transform
 * (Keras' {@code affine_transform}: bilinear or nearest, fill mode reflect by default); the identity at inference.
 */
public abstract class AffineAugmentation extends Layer {
    private String fillMode = "REFLECT";
    private String interpolation = "BILINEAR";
    private double fillValue;
    private final RandomDraws draws = new RandomDraws(this);

    AffineAugmentation() {}

    /** How points outside the image are filled: "reflect" (default), "constant", "nearest", "mirror" or "wrap". */
    public AffineAugmentation fillMode(String mode) {
        fillMode = ImageOps.checkFillMode(getClass().getSimpleName(), mode);
        return this;
    }

    /** "bilinear" (default) or "nearest". */
    public AffineAugmentation interpolation(String i) {
        interpolation = ImageOps.checkInterpolation(getClass().getSimpleName(), i);
        return this;
    }

    /** The value of points outside the image in "constant" fill mode (default 0). */
    public AffineAugmentation fillValue(double v) { fillValue = v; return this; }

    static double[] range(String who, String what, double lower, double upper) {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException(who + ": " + what + " lower bound " + lower + " exceeds upper "
                    + upper);
        }
        return new double[] {lower, upper};
    }

    @Override
    protected void checkInputs(Shape[] shapes) {
        super.checkInputs(shapes);
        requireRank(shapes[0], 4, "NHWC images (batch, height, width, channels)");
        if (shapes[0].dim(1) < 0 || shapes[0].dim(2) < 0) {
            throw new IllegalArgumentException(describe() + " needs known height and width, got " + shapes[0]);
        }
    }

    @Override
    public Shape outputShape(Shape[] in) { return in[0]; }

    /** The [N, 8] transforms of the batch {@code x} of h x w images. */
    abstract Tensor transforms(Tensor x, int h, int w, CallContext ctx);

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (!ctx.training()) return x;
        Tensor t = transforms(x, x.shape().dim(1), x.shape().dim(2), ctx);
        return ImageOps.imageTransform(x, t, 0, 0, interpolation, fillMode, fillValue);
    }

    /** [N, 1] uniform samples in [lo, hi) (exactly lo when they are equal), one per image of {@code x}. */
    Tensor draw(Tensor x, CallContext ctx, int stream, double lo, double hi) {
        Tensor u = draws.uniform(x, 1, new int[] {1}, ctx, stream);
        return Ops.add(Ops.mul(u, hi - lo), lo);
    }

    /** The [N, 8] rows from eight [N, 1] columns or Java numbers (broadcast against {@code like}, [N, 1]). */
    static Tensor rows(Tensor like, Object... cols) {
        Tensor zero = Ops.zerosLike(like);
        Tensor[] t = new Tensor[cols.length];
        for (int i = 0; i < cols.length; i++) {
            t[i] = cols[i] instanceof Tensor c ? c : Ops.add(zero, ((Number) cols[i]).doubleValue());
        }
        return Ops.concat(1, t);
    }
}
