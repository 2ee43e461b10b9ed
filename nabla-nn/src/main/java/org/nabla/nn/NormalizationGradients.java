package org.nabla.nn;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpCall;

/**
 * The gradients of {@link NormalizationOps}, written with other ops so they differentiate again (second order
 * through LayerNormalization). Per row of C features, with m the mean, s = 1 / sqrt(var + epsilon), xh = (x - m) s
 * and g = dy * gamma, LayerNormGrad computes dx = s (g - mean(g) - xh mean(g xh)), dgamma = sum over rows of dy xh
 * and dbeta = sum over rows of dy; its own gradient below treats m and s as inputs, and LayerNorm passes gradients
 * reaching its m and s outputs on to x, so the chain is complete.
 */
final class NormalizationGradients {
    private NormalizationGradients() {}

    /** LayerNorm: LayerNormGrad for y's gradient, plus the mean's and rstd's (second order only) reaching x. */
    static Tensor[] layerNorm(OpCall c, Tensor[] g) {
        Tensor x = c.input(0);
        Tensor[] d = g[0] == null ? new Tensor[3] : Ops.runMulti(NormalizationOps.LAYER_NORM_GRAD, Attrs.EMPTY,
                g[0], x, c.input(1), c.output(1), c.output(2));
        if (g[1] == null && g[2] == null) return d;
        // d mean / d x_j = 1 / C and d s / d x_j = -s^3 (x_j - m) / C
        Tensor s = row(c.output(2)), centered = Ops.sub(x, row(c.output(1)));
        Tensor perRow = g[1] == null ? Ops.zerosLike(x) : Ops.add(Ops.zerosLike(x), row(g[1]));
        if (g[2] != null) perRow = Ops.sub(perRow, Ops.mul(Ops.mul(row(g[2]), Ops.mul(s, Ops.square(s))), centered));
        Tensor fromStats = Ops.div(perRow, Ops.sum(Ops.onesLike(x), true, -1));   // C from the runtime shape
        d[0] = d[0] == null ? fromStats : Ops.add(d[0], fromStats);
        return d;
    }

    /**
     * LayerNormGrad's inputs (dy, x, gamma, mean, rstd) from the gradients a, bg, bb of its outputs dx, dgamma and
     * dbeta. L = sum a * dx + bg . dgamma + bb . dbeta, through g (Gg), xh (Gxh) and s's explicit factor (Ls).
     */
    static Tensor[] layerNormGrad(OpCall c, Tensor[] g) {
        Tensor dy = c.input(0), x = c.input(1), gamma = c.input(2);
        Tensor m = row(c.input(3)), s = row(c.input(4));
        Tensor a = g[0], bg = g[1], bb = g[2];
        Tensor centered = Ops.sub(x, m), xh = Ops.mul(centered, s);
        Tensor ddy = Ops.zerosLike(dy), gxh = Ops.zerosLike(x), dgamma = null, ls = null;
        if (a != null) {
            Tensor gy = Ops.mul(dy, gamma);
            Tensor meanA = Ops.mean(a, true, -1), meanAxh = Ops.mean(Ops.mul(a, xh), true, -1);
            Tensor meanG = Ops.mean(gy, true, -1), meanGxh = Ops.mean(Ops.mul(gy, xh), true, -1);
            Tensor gg = Ops.mul(s, Ops.sub(Ops.sub(a, meanA), Ops.mul(xh, meanAxh)));
            ddy = Ops.add(ddy, Ops.mul(gg, gamma));
            dgamma = sumRows(Ops.mul(gg, dy));
            gxh = Ops.sub(gxh, Ops.mul(s, Ops.add(Ops.mul(gy, meanAxh), Ops.mul(a, meanGxh))));
            ls = Ops.sum(Ops.mul(a, Ops.sub(Ops.sub(gy, meanG), Ops.mul(xh, meanGxh))), -1);
        }
        if (bg != null) {
            ddy = Ops.add(ddy, Ops.mul(bg, xh));
            gxh = Ops.add(gxh, Ops.mul(bg, dy));
        }
        if (bb != null) ddy = Ops.add(ddy, bb);
        Tensor dx = Ops.mul(gxh, s);
        Tensor dmean = Ops.neg(Ops.sum(dx, -1));
        Tensor drstd = Ops.sum(Ops.mul(gxh, centered), -1);
        if (ls != null) drstd = Ops.add(drstd, ls);
        return new Tensor[] {ddy, dx, dgamma, dmean, drstd};
    }

    /** A per-row statistic [...] as [..., 1], to broadcast along the row. */
    private static Tensor row(Tensor stat) { return Ops.expandDims(stat, -1); }

    /** The sum over every axis but the last (gamma's gradient). */
    private static Tensor sumRows(Tensor t) {
        if (t.rank() == 1) return t;
        int[] axes = new int[t.rank() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        return Ops.sum(t, axes);
    }
}
