package org.nabla.nn.layers;

import java.util.Locale;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;
import org.nabla.nn.ImageOps;
import org.nabla.nn.Layer;

/**
 * Flips each NHWC image in training with probability 1/2 (Keras' {@code RandomFlip}): left-right ("horizontal"),
 * upside down ("vertical") or both at once ("horizontal_and_vertical", the default; one draw per image for both, as
 * Keras). The identity at inference.
 */
public final class RandomFlip extends Layer {
    private final boolean horizontal;
    private final boolean vertical;
    private final RandomDraws draws = new RandomDraws(this);

    /** Flips along both axes. */
    public RandomFlip() { this("horizontal_and_vertical"); }

    /** "horizontal", "vertical" or "horizontal_and_vertical". */
    public RandomFlip(String mode) {
        String m = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
        if (!m.equals("horizontal") && !m.equals("vertical") && !m.equals("horizontal_and_vertical")) {
            throw new IllegalArgumentException("RandomFlip: mode must be horizontal, vertical or "
                    + "horizontal_and_vertical, got \"" + mode + "\"");
        }
        horizontal = !m.equals("vertical");
        vertical = !m.equals("horizontal");
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

    @Override
    protected Tensor forward(Tensor[] inputs, CallContext ctx) {
        Tensor x = inputs[0];
        if (!ctx.training()) return x;
        int h = x.shape().dim(1), w = x.shape().dim(2);
        // f = 1 flips: x_in = (w - 1) - x, i.e. scale 1 - 2f and offset f (w - 1); sampled exactly (nearest)
        Tensor f = Ops.cast(Ops.lessEqual(draws.uniform(x, 1, new int[] {1}, ctx, 0), 0.5), x.dtype());
        Tensor scale = Ops.sub(1.0, Ops.mul(f, 2.0));
        Tensor t = AffineAugmentation.rows(f, horizontal ? scale : 1, 0, horizontal ? Ops.mul(f, w - 1.0) : 0,
                0, vertical ? scale : 1, vertical ? Ops.mul(f, h - 1.0) : 0, 0, 0);
        return ImageOps.imageTransform(x, t, 0, 0, "nearest", "nearest", 0);
    }
}
