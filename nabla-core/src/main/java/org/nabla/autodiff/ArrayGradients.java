package org.nabla.autodiff;

import static org.nabla.autodiff.GradSupport.gatherGrad;
import static org.nabla.autodiff.GradSupport.reshapeLike;
import static org.nabla.autodiff.GradSupport.unbroadcast;

import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;

/**
 * Gradients of {@link org.nabla.ops.ArrayOps}. Layout ops reshape or permute the gradient back; data-movement ops use
 * their adjoints from {@link org.nabla.ops.GradOps} (which scatter the gradient into zeros shaped like the input at
 * run time, so unknown dimensions are fine). Sort and TopK send each gradient to the element it came from.
 */
public final class ArrayGradients {
    private ArrayGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        for (OpDef op : new OpDef[] {ArrayOps.RESHAPE, ArrayOps.SQUEEZE, ArrayOps.EXPAND_DIMS}) {
            gradients.register(op, (c, g) -> one(reshapeLike(g[0], c.input(0))));
        }
        gradients.register(ArrayOps.DYNAMIC_RESHAPE, (c, g) -> new Tensor[] {reshapeLike(g[0], c.input(0)), null});
        gradients.register(ArrayOps.IDENTITY, (c, g) -> one(g[0]));
        gradients.register(ArrayOps.CHECK_NUMERICS, (c, g) -> one(Ops.run(ArrayOps.CHECK_NUMERICS, Attrs.of("message",
                "Not a number (NaN) or infinity (Inf) values detected in gradient. " + c.attrs().getString("message")),
                g[0])));
        gradients.register(ArrayOps.TRANSPOSE, (c, g) -> {
            int[] perm = c.attrs().getInts("perm");
            int[] inverse = new int[perm.length];
            for (int i = 0; i < perm.length; i++) inverse[perm[i] < 0 ? perm[i] + perm.length : perm[i]] = i;
            return one(Ops.transpose(g[0], inverse));
        });
        gradients.register(ArrayOps.BROADCAST_TO, (c, g) -> one(unbroadcast(g[0], c.input(0))));
        gradients.register(ArrayOps.CONCAT, (c, g) -> Ops.runMulti(GradOps.CONCAT_GRAD,
                Attrs.of("axis", c.attrs().getInt("axis")), prepend(g[0], c.inputs())));
        gradients.register(ArrayOps.STACK, (c, g) -> {
            int n = c.inputs().length;
            int axis = c.attrs().getInt("axis");
            Tensor[] parts = Ops.split(g[0], n, axis < 0 ? axis + c.output(0).rank() : axis);
            for (int i = 0; i < n; i++) parts[i] = reshapeLike(parts[i], c.input(i));
            return parts;
        });
        gradients.register(ArrayOps.SPLIT, (c, g) -> {
            Tensor[] parts = g.clone();
            for (int i = 0; i < parts.length; i++) if (parts[i] == null) parts[i] = Ops.zerosLike(c.output(i));
            return one(Ops.concat(c.attrs().getInt("axis"), parts));
        });
        gradients.register(ArrayOps.SLICE, (c, g) -> {
            int[] begin = c.attrs().getInts("begin"), size = c.attrs().getInts("size");
            int[] end = new int[begin.length], strides = new int[begin.length];
            int endMask = 0;
            for (int i = 0; i < begin.length; i++) {
                strides[i] = 1;
                if (size[i] < 0) endMask |= 1 << i;
                else end[i] = begin[i] + size[i];
            }
            return one(Ops.run(GradOps.STRIDED_SLICE_GRAD, Attrs.of("begin", begin, "end", end, "strides", strides,
                    "endMask", endMask), g[0], c.input(0)));
        });
        gradients.register(ArrayOps.STRIDED_SLICE, (c, g) -> one(Ops.run(GradOps.STRIDED_SLICE_GRAD, c.attrs(), g[0],
                c.input(0))));
        gradients.register(ArrayOps.GATHER, (c, g) -> new Tensor[] {gatherGrad(g[0], c.input(1), c.input(0),
                c.attrs().getInt("axis"), c.attrs().getInt("batchDims")), null});
        gradients.register(ArrayOps.GATHER_ELEMENTS, (c, g) -> new Tensor[] {Ops.run(GradOps.GATHER_ELEMENTS_GRAD,
                Attrs.of("axis", c.attrs().getInt("axis")), g[0], c.input(1), c.input(0)), null});
        gradients.register(ArrayOps.GATHER_ND, (c, g) -> new Tensor[] {Ops.run(GradOps.GATHER_ND_GRAD, Attrs.EMPTY,
                g[0], c.input(1), c.input(0)), null});
        gradients.register(ArrayOps.TILE, (c, g) -> one(Ops.run(GradOps.TILE_GRAD,
                Attrs.of("multiples", c.attrs().getInts("multiples")), g[0], c.input(0))));
        gradients.register(ArrayOps.PAD, (c, g) -> one(Ops.run(GradOps.PAD_GRAD, Attrs.of("paddings",
                c.attrs().getInts("paddings"), "mode", c.attrs().getString("mode")), g[0], c.input(0))));
        gradients.register(ArrayOps.TOP_K, (c, g) -> {
            if (g[0] == null) return new Tensor[] {null};
            int r = c.input(0).rank();
            return one(gatherGrad(g[0], c.output(1), c.input(0), r - 1, r - 1));
        });
        gradients.register(ArrayOps.SORT, (c, g) -> {
            Tensor x = c.input(0);
            int r = x.rank();
            int axis = c.attrs().getInt("axis");
            axis = axis < 0 ? axis + r : axis;
            int[] swap = new int[r];
            for (int i = 0; i < r; i++) swap[i] = i;
            swap[axis] = r - 1;
            swap[r - 1] = axis;
            boolean last = axis == r - 1;
            Tensor xt = last ? x : Ops.transpose(x, swap), gt = last ? g[0] : Ops.transpose(g[0], swap);
            Tensor order = Ops.argsort(xt, -1, c.attrs().getBool("descending"));
            Tensor dx = gatherGrad(gt, order, xt, r - 1, r - 1);
            return one(last ? dx : Ops.transpose(dx, swap));
        });
    }

    private static Tensor[] one(Tensor t) { return new Tensor[] {t}; }

    /** {@code first} followed by {@code rest}. */
    private static Tensor[] prepend(Tensor first, Tensor[] rest) {
        Tensor[] all = new Tensor[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
