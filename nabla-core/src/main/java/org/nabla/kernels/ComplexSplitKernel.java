package org.nabla.kernels;

import java.util.Map;
import java.util.Set;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.ops.Attrs;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.ComplexParts;

/**
 * Runs a real kernel of a data-movement or summing op for complex operands: the op is applied once to the real parts
 * and once to the imaginary parts, and the two results are joined. That is exact for every op that moves, repeats,
 * drops or adds elements without mixing the two parts (reshape, transpose, concat, gather, pad with 0, the sums that
 * gradients of broadcasts make); those ops are named in {@link #SPLIT_OPS}, so no other kernel claims complex support
 * by accident. Ops that never read element values (identity, control flow, ops that call other ops) are listed in
 * {@link #PASS_THROUGH_OPS} and see complex tensors as they are.
 */
final class ComplexSplitKernel implements Kernel {
    /** Ops whose real kernels are exact for complex values when run on each part. */
    static final Set<String> SPLIT_OPS = Set.of("Reshape", "DynamicReshape", "Transpose", "Concat", "Stack", "Split",
            "Slice", "StridedSlice", "Gather", "GatherNd", "GatherElements", "Tile", "BroadcastTo", "Squeeze",
            "ExpandDims", "Pad", "CheckNumerics", "Select", "Fill", "StridedSliceGrad", "PadGrad", "TileGrad",
            "GatherGrad", "GatherElementsGrad", "GatherNdGrad");

    /** Ops whose any-dtype kernels never read element storage themselves: complex tensors pass as they are. */
    static final Set<String> PASS_THROUGH_OPS = Set.of("Identity", "Shape", "StopGradient", "ZerosLike", "OnesLike",
            "SumToShapeOf", "BroadcastLike", "ReshapeLike", "ConcatGrad", "CustomGradient", "Cond", "Case", "While",
            "Const", "Placeholder", "NoOp", "Send", "Recv", "ReadVariable", "AssignVariable", "AssignAddVariable",
            "AssignSubVariable");

    private final Kernel real;
    private final DType complex;

    ComplexSplitKernel(Kernel real, DType complex) {
        this.real = real;
        this.complex = complex;
    }

    @Override
    public Tensor[] compute(KernelContext ctx) {
        DType part = complex.realPart();
        Tensor[] re = ctx.inputs().clone();
        Tensor[] im = ctx.inputs().clone();
        for (int i = 0; i < re.length; i++) {
            if (re[i].dtype() != complex) continue;
            Tensor d = re[i].dense();
            int n = d.shape().intSize();
            re[i] = Tensor.wrap(part, d.shape(), ComplexParts.part(d.data(), n, false));
            im[i] = Tensor.wrap(part, d.shape(), ComplexParts.part(d.data(), n, true));
        }
        TensorSpec[] specs = ctx.outputSpecs().clone();
        for (int i = 0; i < specs.length; i++) {
            if (specs[i].dtype() == complex) specs[i] = new TensorSpec(part, specs[i].shape());
        }
        Attrs attrs = ctx.attrs();
        for (Map.Entry<String, Object> a : ctx.attrs().asMap().entrySet()) {
            if (a.getValue() == complex) attrs = attrs.with(a.getKey(), part);
        }
        // Pad's constant is a real number c: the padding is c + 0j
        Attrs imAttrs = ctx.op().name().equals("Pad") ? attrs.with("constantValue", 0.0) : attrs;
        Tensor[] outRe = real.compute(new DelegatingKernelContext(ctx, re, attrs, specs));
        Tensor[] outIm = real.compute(new DelegatingKernelContext(ctx, im, imAttrs, specs));
        for (int i = 0; i < outRe.length; i++) {
            if (i >= specs.length || ctx.outputSpec(i).dtype() != complex) continue;
            Tensor r = outRe[i].dense(), m = outIm[i].dense();
            outRe[i] = Tensor.wrap(complex, r.shape(), ComplexParts.join(complex, r.data(), m.data(), part,
                    r.shape().intSize()));
        }
        return outRe;
    }
}
