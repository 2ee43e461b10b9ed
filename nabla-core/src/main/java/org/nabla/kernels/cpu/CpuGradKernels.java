package org.nabla.kernels.cpu;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradOps;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.RandomOps;
import org.nabla.ops.ReductionOps;

/**
 * CPU kernels for {@link GradOps}. The shape helpers run existing kernels (Sum, BroadcastTo, Reshape, Fill) on the
 * runtime shapes. The adjoints of data-movement ops share one trick: run the forward op on an "iota" tensor holding
 * each element's own flat index, which yields, for every gradient element, the input position it came from
 * (-1 for padding); then add the gradient into zeros through that map. So each adjoint reads its forward op's
 * index rules instead of restating them. StridedSliceGrad and an embedding's GatherGrad have direct kernels
 * ({@link SliceGradScatter}, {@link GatherGradRows}) that skip the map.
 */
public final class CpuGradKernels {
    private CpuGradKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        DType any = null;
        r.register(GradOps.STOP_GRADIENT, cpu, any, ctx -> new Tensor[] {ctx.input(0)}, true);
        r.register(GradOps.ZEROS_LIKE, cpu, any, ctx -> new Tensor[] {fill(ctx, ctx.input(0), 0)}, true);
        r.register(GradOps.ONES_LIKE, cpu, any, ctx -> new Tensor[] {fill(ctx, ctx.input(0), 1)}, true);
        r.register(GradOps.SUM_TO_SHAPE_OF, cpu, any, ctx -> new Tensor[] {sumToShape(ctx, ctx.input(0),
                ctx.input(1).shape())}, true);
        r.register(GradOps.BROADCAST_LIKE, cpu, any, ctx -> new Tensor[] {run(ctx, ArrayOps.BROADCAST_TO,
                Attrs.of("shape", ctx.outputSpec(0).shape().dims()), ctx.input(0))}, true);
        r.register(GradOps.RESHAPE_LIKE, cpu, any, ctx -> new Tensor[] {run(ctx, ArrayOps.RESHAPE,
                Attrs.of("shape", ctx.input(1).shape().dims()), ctx.input(0))}, true);
        for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
            r.register(GradOps.STRIDED_SLICE_GRAD, cpu, d, ctx ->
                    new Tensor[] {SliceGradScatter.scatter(ctx, ctx.input(0), ctx.input(1).shape(), ctx.attrs())});
            r.register(GradOps.PAD_GRAD, cpu, d, ctx -> new Tensor[] {adjoint(ctx, ctx.input(0), ctx.input(1).shape(),
                    ArrayOps.PAD, ctx.attrs().with("constantValue", -1.0))});
            r.register(GradOps.TILE_GRAD, cpu, d, ctx -> new Tensor[] {adjoint(ctx, ctx.input(0), ctx.input(1).shape(),
                    ArrayOps.TILE, ctx.attrs())});
            r.register(GradOps.GATHER_GRAD, cpu, d, ctx -> {
                Tensor rows = GatherGradRows.scatter(ctx, ctx.input(0), ctx.input(1), ctx.input(2).shape(),
                        ctx.attrs());
                return new Tensor[] {rows != null ? rows : adjoint(ctx, ctx.input(0), ctx.input(2).shape(),
                        ArrayOps.GATHER, ctx.attrs(), ctx.input(1))};
            });
            r.register(GradOps.GATHER_ELEMENTS_GRAD, cpu, d, ctx -> new Tensor[] {adjoint(ctx, ctx.input(0),
                    ctx.input(2).shape(), ArrayOps.GATHER_ELEMENTS, ctx.attrs(), ctx.input(1))});
            r.register(GradOps.GATHER_ND_GRAD, cpu, d, ctx ->
                    new Tensor[] {adjoint(ctx, ctx.input(0), ctx.input(2).shape(),
                    ArrayOps.GATHER_ND, ctx.attrs(), ctx.input(1))});
        }
        r.register(GradOps.CUSTOM_GRADIENT, cpu, any, ctx -> java.util.Arrays.copyOfRange(ctx.inputs(),
                ctx.attrs().getInt("numInputs"), ctx.inputs().length), true);
        r.register(GradOps.CONCAT_GRAD, cpu, any, ctx -> {
            int axis = ctx.attrs().getInt("axis");
            int[] sizes = new int[ctx.inputs().length - 1];
            for (int i = 1; i < ctx.inputs().length; i++) {
                sizes[i - 1] = ctx.input(i).shape().dim(axis < 0 ? axis + ctx.input(i).rank() : axis);
            }
            return ctx.call(ArrayOps.SPLIT, Attrs.of("axis", axis, "sizes", sizes), ctx.input(0));
        }, true);
    }

    private static Tensor run(KernelContext ctx, OpDef op, Attrs attrs, Tensor... inputs) {
        return ctx.call(op, attrs, inputs)[0];
    }

    private static Tensor fill(KernelContext ctx, Tensor like, int value) {
        return run(ctx, RandomOps.FILL, Attrs.of("shape", like.shape().dims()), Tensors.convert(value, like.dtype()));
    }

    /** Sums {@code g} over the leading axes it has beyond {@code target} and the axes where target has size 1. */
    static Tensor sumToShape(KernelContext ctx, Tensor g, Shape target) {
        if (g.shape().equals(target)) return g;
        int lead = g.rank() - target.rank();
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < g.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && g.shape().dim(i) != 1)) axes.add(i);
        }
        Tensor s = axes.isEmpty() ? g : run(ctx, ReductionOps.SUM, Attrs.of("axes",
                axes.stream().mapToInt(Integer::intValue).toArray(), "keepDims", true), g);
        return run(ctx, ArrayOps.RESHAPE, Attrs.of("shape", target.dims()), s);
    }

    /**
     * The adjoint of a data-movement op {@code forward}: result[map[k]] += grad[k], where map is the forward op
     * applied (with {@code extra} inputs such as indices) to the flat positions of a tensor of shape {@code like}.
     */
    private static Tensor adjoint(KernelContext ctx, Tensor grad, Shape like, OpDef forward, Attrs attrs,
                                  Tensor... extra) {
        int n = like.intSize();
        int[] iota = new int[n];
        for (int i = 0; i < n; i++) iota[i] = i;
        Tensor[] args = new Tensor[1 + extra.length];
        args[0] = Tensor.wrap(DType.INT32, like, iota);
        System.arraycopy(extra, 0, args, 1, extra.length);
        Attrs forwardAttrs = forward.resolveAttrs(filter(forward, attrs));
        int[] map = ctx.call(forward, forwardAttrs, args)[0].toIntArray();
        if (map.length != grad.shape().intSize()) {
            throw new OpException(forward.name() + "Grad", "grad has " + grad.shape().intSize() + " elements but "
                    + forward.name() + " gives " + map.length);
        }
        if (grad.dtype() == DType.FLOAT32) {
            float[] g = grad.toFloatArray();
            float[] z = new float[n];
            for (int k = 0; k < map.length; k++) if (map[k] >= 0) z[map[k]] += g[k];
            return Tensor.wrap(DType.FLOAT32, like, z);
        }
        double[] g = grad.toDoubleArray();
        double[] z = new double[n];
        for (int k = 0; k < map.length; k++) if (map[k] >= 0) z[map[k]] += g[k];
        return Tensor.wrap(DType.FLOAT64, like, z);
    }

    /** The attributes of {@code attrs} that {@code op} declares. */
    private static Attrs filter(OpDef op, Attrs attrs) {
        Attrs out = Attrs.EMPTY;
        for (var def : op.attrs()) {
            Object v = attrs.get(def.name());
            if (v != null) out = out.with(def.name(), v);
        }
        return out;
    }
}
