package org.nabla.ops;

import java.util.Arrays;
import org.nabla.Shape;

/**
 * Small ops that gradient rules need because, in a graph, shapes may be known only at run time: reduce or broadcast a
 * gradient to the runtime shape of another tensor, reshape like it, zeros/ones like it, and the adjoints
 * ("scatter back") of the data-movement ops (slicing, padding, gathering, tiling, concatenation). Each adjoint is
 * linear in its gradient input, so its own gradient is the forward op again. These helpers, and CustomGradient, are
 * {@linkplain OpDef#isInternal() internal}: gradient rules run them with {@code Ops.run}. StopGradient, ZerosLike and
 * OnesLike are ordinary user ops with front-door methods.
 */
public final class GradOps {
    private GradOps() {}

    public static final OpDef STOP_GRADIENT = OpDef.builder("StopGradient").inputs("x")
            .shape((in, a) -> new TensorSpec[] {in[0]})
            .notDifferentiable()
            .summary("the input itself; gradients do not flow through it").build();

    public static final OpDef ZEROS_LIKE = OpDef.builder("ZerosLike").inputs("x")
            .shape((in, a) -> new TensorSpec[] {in[0]})
            .notDifferentiable()
            .summary("zeros with the dtype and (runtime) shape of x").build();

    public static final OpDef ONES_LIKE = OpDef.builder("OnesLike").inputs("x")
            .shape((in, a) -> new TensorSpec[] {in[0]})
            .notDifferentiable()
            .summary("ones with the dtype and (runtime) shape of x").build();

    public static final OpDef SUM_TO_SHAPE_OF = OpDef.builder("SumToShapeOf").inputs("grad", "like")
            .shape((in, a) -> {
                Shape g = in[0].shape(), like = in[1].shape();
                Shape b = Infer.broadcast("SumToShapeOf", g, like);
                if (!b.isCompatibleWith(g)) {
                    throw new OpException("SumToShapeOf", "'like' of shape " + like + " does not broadcast to the "
                            + "gradient's shape " + g + " (it must be the shape of a broadcast operand)");
                }
                return Infer.one(in[0].dtype(), like);
            })
            .internal()
            .summary("sums grad over the axes along which 'like' was broadcast, giving the runtime shape of 'like'")
            .build();

    public static final OpDef BROADCAST_LIKE = OpDef.builder("BroadcastLike").inputs("x", "like")
            .shape((in, a) -> Infer.one(in[0].dtype(), Infer.broadcast("BroadcastLike", in[0].shape(),
                    in[1].shape())))
            .internal()
            .summary("x broadcast against the runtime shape of 'like' (NumPy rules); the dtype is x's").build();

    public static final OpDef RESHAPE_LIKE = OpDef.builder("ReshapeLike").inputs("x", "like")
            .shape((in, a) -> {
                long n = in[0].shape().size(), m = in[1].shape().size();
                if (n >= 0 && m >= 0 && n != m) {
                    throw new OpException("ReshapeLike", "cannot reshape " + in[0] + " (" + n + " elements) to the "
                            + "shape of " + in[1] + " (" + m + " elements)");
                }
                return Infer.one(in[0].dtype(), in[1].shape());
            })
            .internal()
            .summary("x reshaped to the runtime shape of 'like'").build();

    public static final OpDef STRIDED_SLICE_GRAD = OpDef.builder("StridedSliceGrad").inputs("grad", "like")
            .attr("begin", AttrType.INTS).attr("end", AttrType.INTS).attr("strides", AttrType.INTS)
            .attr("beginMask", AttrType.INT, 0).attr("endMask", AttrType.INT, 0).attr("ellipsisMask", AttrType.INT, 0)
            .attr("newAxisMask", AttrType.INT, 0).attr("shrinkAxisMask", AttrType.INT, 0)
            .shape((in, a) -> adjointShape("StridedSliceGrad", in[0], in[1],
                    StridedSlicing.of(in[1].shape(), a).shape()))
            .internal()
            .summary("the adjoint of StridedSlice: grad placed at the sliced positions of zeros shaped like 'like'")
            .build();

    public static final OpDef PAD_GRAD = OpDef.builder("PadGrad").inputs("grad", "like")
            .attr("paddings", AttrType.INTS).attr("mode", AttrType.STRING, "CONSTANT")
            .shape((in, a) -> adjointShape("PadGrad", in[0], in[1], ArrayOps.PAD.infer(new TensorSpec[] {in[1]},
                    a.with("constantValue", 0.0))[0].shape()))
            .internal()
            .summary("the adjoint of Pad: the interior of grad, plus the mirrored edges for REFLECT/SYMMETRIC")
            .build();

    public static final OpDef GATHER_GRAD = OpDef.builder("GatherGrad").inputs("grad", "indices", "like")
            .attr("axis", AttrType.INT, 0).attr("batchDims", AttrType.INT, 0)
            .shape((in, a) -> adjointShape("GatherGrad", in[0], in[2], ArrayOps.GATHER.infer(
                    new TensorSpec[] {in[2], in[1]}, a)[0].shape()))
            .internal()
            .summary("the adjoint of Gather: grad rows added into zeros shaped like 'like' at the indices").build();

    public static final OpDef GATHER_ND_GRAD = OpDef.builder("GatherNdGrad").inputs("grad", "indices", "like")
            .shape((in, a) -> adjointShape("GatherNdGrad", in[0], in[2], ArrayOps.GATHER_ND.infer(
                    new TensorSpec[] {in[2], in[1]}, a)[0].shape()))
            .internal()
            .summary("the adjoint of GatherNd: grad slices added into zeros shaped like 'like' at the indices")
            .build();

    public static final OpDef GATHER_ELEMENTS_GRAD = OpDef.builder("GatherElementsGrad")
            .inputs("grad", "indices", "like")
            .attr("axis", AttrType.INT, 0)
            .shape((in, a) -> adjointShape("GatherElementsGrad", in[0], in[2], ArrayOps.GATHER_ELEMENTS.infer(
                    new TensorSpec[] {in[2], in[1]}, a)[0].shape()))
            .internal()
            .summary("the adjoint of GatherElements: grad added into zeros shaped like 'like' at the indices along "
                    + "axis (ScatterElements with reduction add)").build();

    public static final OpDef TILE_GRAD = OpDef.builder("TileGrad").inputs("grad", "like")
            .attr("multiples", AttrType.INTS)
            .shape((in, a) -> adjointShape("TileGrad", in[0], in[1], ArrayOps.TILE.infer(new TensorSpec[] {in[1]},
                    a)[0].shape()))
            .internal()
            .summary("the adjoint of Tile: the sum of grad's tiles, shaped like 'like'").build();

    /** Outputs: one part per value, shaped like it. */
    public static final OpDef CONCAT_GRAD = OpDef.builder("ConcatGrad").inputs("grad").variadicInput("values", 1)
            .attr("axis", AttrType.INT, 0)
            .shape((in, a) -> {
                TensorSpec[] values = Arrays.copyOfRange(in, 1, in.length);
                adjointShape("ConcatGrad", in[0], in[1], ArrayOps.CONCAT.infer(values, a)[0].shape());
                TensorSpec[] out = new TensorSpec[values.length];
                for (int i = 0; i < out.length; i++) out[i] = new TensorSpec(in[0].dtype(), values[i].shape());
                return out;
            })
            .internal()
            .summary("the adjoint of Concat: grad split along axis into parts shaped like the values").build();

    /**
     * Inputs: the numInputs arguments of a function, then its results; outputs: the results. Its gradient is the
     * Java function registered under 'key' by {@code Gradients.customGradient}, so no gradient flows into how the
     * results were computed.
     */
    public static final OpDef CUSTOM_GRADIENT = OpDef.builder("CustomGradient").variadicInput("values", 1)
            .attr("key", AttrType.STRING).attr("numInputs", AttrType.INT)
            .kernelDTypeFromAttr(null)
            .shape((in, a) -> {
                int n = a.getInt("numInputs");
                if (n < 0 || n >= in.length) {
                    throw new OpException("CustomGradient", "numInputs " + n + " must leave at least one result among "
                            + in.length + " values");
                }
                return Arrays.copyOfRange(in, n, in.length);
            })
            .internal()
            .summary("returns its last values (a function's results) with the gradient registered under 'key'")
            .build();

    /** Checks that {@code grad} has the shape the forward op gives on {@code like}; the result is shaped like it. */
    private static TensorSpec[] adjointShape(String op, TensorSpec grad, TensorSpec like, Shape forward) {
        if (!grad.shape().isCompatibleWith(forward)) {
            throw new OpException(op, "grad has shape " + grad.shape() + " but the forward op on 'like' " + like
                    + " gives " + forward);
        }
        return Infer.one(grad.dtype(), like.shape());
    }
}
