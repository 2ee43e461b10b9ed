package org.nabla.autodiff;

import static org.nabla.autodiff.GradSupport.broadcastLike;
import static org.nabla.autodiff.GradSupport.keepDims;
import static org.nabla.autodiff.GradSupport.reducedCount;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpCall;
import org.nabla.ops.ReductionOps;

/**
 * Gradients of {@link org.nabla.ops.ReductionOps}: the output gradient gets its reduced axes back (as keepDims) and
 * is broadcast over the input. Max and Min split the gradient evenly among tied extremes (as TensorFlow does).
 */
public final class ReductionGradients {
    private ReductionGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        gradients.register(ReductionOps.SUM, (c, g) -> one(broadcastLike(kept(c, g[0]), c.input(0))));
        gradients.register(ReductionOps.MEAN, (c, g) -> one(Ops.div(broadcastLike(kept(c, g[0]), c.input(0)),
                reducedCount(c.input(0), c.attrs().getInts("axes")))));
        gradients.register(ReductionOps.MAX, ReductionGradients::extreme);
        gradients.register(ReductionOps.MIN, ReductionGradients::extreme);
        gradients.register(ReductionOps.PROD, ReductionGradients::prod);
        gradients.register(ReductionOps.LOG_SUM_EXP, (c, g) -> one(Ops.mul(kept(c, g[0]),
                Ops.exp(Ops.sub(c.input(0), kept(c, c.output(0)))))));
        gradients.register(ReductionOps.CUMSUM, (c, g) -> one(Ops.cumsum(g[0], c.attrs().getInt("axis"),
                c.attrs().getBool("exclusive"), !c.attrs().getBool("reverse"))));
    }

    private static Tensor[] one(Tensor t) { return new Tensor[] {t}; }

    /** {@code t} (shaped like the output) with the reduced axes of the call restored as size 1. */
    private static Tensor kept(OpCall c, Tensor t) {
        return keepDims(t, c.attrs().getInts("axes"), c.input(0).rank(), c.attrs().getBool("keepDims"));
    }

    /**
     * d prod / dx_i is the product of the other elements: y / x_i where x_i != 0; at a zero, the product of the
     * non-zero elements if it is the group's only zero, else 0.
     */
    private static Tensor[] prod(OpCall c, Tensor[] g) {
        Tensor x = c.input(0);
        int[] axes = c.attrs().getInts("axes");
        Tensor isZero = Ops.equal(x, GradSupport.scalar(0, x));
        Tensor nonZero = Ops.where(isZero, Ops.onesLike(x), x);
        Tensor zeros = Ops.sum(Ops.cast(isZero, x.dtype()), true, axes);
        Tensor othersAtZero = Ops.where(Ops.equal(zeros, GradSupport.scalar(1, x)), Ops.prod(nonZero, true, axes),
                Ops.zerosLike(zeros));
        Tensor others = Ops.where(isZero, broadcastLike(othersAtZero, x), Ops.div(kept(c, c.output(0)), nonZero));
        return one(Ops.mul(kept(c, g[0]), GradSupport.conj(others)));
    }

    private static Tensor[] extreme(OpCall c, Tensor[] g) {
        Tensor x = c.input(0);
        Tensor mask = Ops.cast(Ops.equal(x, kept(c, c.output(0))), x.dtype());
        Tensor ties = Ops.sum(mask, true, c.attrs().getInts("axes"));
        return one(Ops.mul(mask, Ops.div(kept(c, g[0]), ties)));
    }
}
