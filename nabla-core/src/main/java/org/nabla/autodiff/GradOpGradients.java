package org.nabla.autodiff;

import static org.nabla.autodiff.GradSupport.broadcastLike;
import static org.nabla.autodiff.GradSupport.reshapeLike;
import static org.nabla.autodiff.GradSupport.sumToShapeOf;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.GradOps;
import org.nabla.ops.GradientRegistry;

/**
 * Gradients of the helper ops in {@link org.nabla.ops.GradOps}, so gradients can be differentiated again. Each
 * helper is linear in its first input, and its gradient is its adjoint: SumToShapeOf and BroadcastLike are each
 * other's, and the data-movement adjoints (StridedSliceGrad, PadGrad...) have the forward op as theirs.
 */
public final class GradOpGradients {
    private GradOpGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        gradients.register(GradOps.SUM_TO_SHAPE_OF, (c, g) -> new Tensor[] {broadcastLike(g[0], c.input(0)), null});
        gradients.register(GradOps.BROADCAST_LIKE, (c, g) -> new Tensor[] {sumToShapeOf(g[0], c.input(0)), null});
        gradients.register(GradOps.RESHAPE_LIKE, (c, g) -> new Tensor[] {reshapeLike(g[0], c.input(0)), null});
        gradients.register(GradOps.STRIDED_SLICE_GRAD, (c, g) -> new Tensor[] {
                Ops.run(ArrayOps.STRIDED_SLICE, c.attrs(), g[0]), null});
        gradients.register(GradOps.PAD_GRAD, (c, g) -> new Tensor[] {Ops.run(ArrayOps.PAD,
                c.attrs().with("constantValue", 0.0), g[0]), null});
        gradients.register(GradOps.GATHER_GRAD, (c, g) -> new Tensor[] {Ops.gather(g[0], c.input(1),
                c.attrs().getInt("axis"), c.attrs().getInt("batchDims")), null, null});
        gradients.register(GradOps.GATHER_ELEMENTS_GRAD, (c, g) -> new Tensor[] {Ops.gatherElements(g[0],
                c.input(1), c.attrs().getInt("axis")), null, null});
        gradients.register(GradOps.GATHER_ND_GRAD, (c, g) -> new Tensor[] {Ops.gatherNd(g[0], c.input(1)), null,
                null});
        gradients.register(GradOps.TILE_GRAD, (c, g) -> new Tensor[] {Ops.tile(g[0],
                c.attrs().getInts("multiples")), null});
        gradients.register(GradOps.CUSTOM_GRADIENT, Gradients::customGradientRule);
        gradients.register(GradOps.CONCAT_GRAD, (c, g) -> {
            Tensor[] out = new Tensor[c.inputs().length];
            Tensor[] parts = new Tensor[g.length];
            for (int i = 0; i < g.length; i++) parts[i] = g[i] != null ? g[i] : Ops.zerosLike(c.output(i));
            out[0] = Ops.concat(c.attrs().getInt("axis"), parts);
            return out;
        });
    }
}
