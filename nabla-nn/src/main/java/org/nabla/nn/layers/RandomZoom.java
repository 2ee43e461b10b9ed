package org.nabla.nn.layers;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.nn.CallContext;

/**
 * Zooms each image in training about its centre (Keras' {@code RandomZoom}): the sampling step is 1 + f with f
 * uniform in [lower, upper] per axis (a factor f means [-f, f]; positive zooms out, negative in); without a width
 * range the width uses the height's draw, keeping the aspect ratio. The identity at inference.
 */
public final class RandomZoom extends AffineAugmentation {
    private final double[] height;
    private final double[] width;

    /** Height and width zoomed together by 1 + f, f in [-factor, factor]. */
    public RandomZoom(double factor) { this(-Math.abs(factor), Math.abs(factor)); }

    /** Height and width zoomed together by 1 + f, f in [lower, upper] (lower above -1). */
    public RandomZoom(double lower, double upper) { this(lower, upper, Double.NaN, Double.NaN); }

    /** Height by 1 + f in [hLower, hUpper], width by 1 + g in [wLower, wUpper] (NaN: the height's draw). */
    public RandomZoom(double hLower, double hUpper, double wLower, double wUpper) {
        height = range("RandomZoom", "height factor", hLower, hUpper);
        if (hLower <= -1) throw new IllegalArgumentException("RandomZoom: factors must be above -1, got " + hLower);
        if (Double.isNaN(wLower) && Double.isNaN(wUpper)) {
            width = null;
        } else {
            width = range("RandomZoom", "width factor", wLower, wUpper);
            if (wLower <= -1) throw new IllegalArgumentException("RandomZoom: factors must be above -1, got " + wLower);
        }
    }

    @Override
    Tensor transforms(Tensor x, int h, int w, CallContext ctx) {
        Tensor zy = draw(x, ctx, 0, 1 + height[0], 1 + height[1]);
        Tensor zx = width == null ? zy : draw(x, ctx, 1, 1 + width[0], 1 + width[1]);
        Tensor dx = Ops.mul(Ops.sub(1.0, zx), (w - 1) / 2.0), dy = Ops.mul(Ops.sub(1.0, zy), (h - 1) / 2.0);
        return rows(zy, zx, 0, dx, 0, zy, dy, 0, 0);
    }
}
