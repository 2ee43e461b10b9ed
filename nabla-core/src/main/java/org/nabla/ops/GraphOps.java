package org.nabla.ops;

import org.nabla.Tensor;

/** The ops every graph needs: constants, placeholders fed at run time, and NoOp (a target that only orders). */
public final class GraphOps {
    private GraphOps() {}

    public static final OpDef CONST = OpDef.builder("Const")
            .attr("value", AttrType.TENSOR)
            .kernelDTypeFromAttr(null)
            .shape((in, a) -> {
                Tensor v = (Tensor) a.get("value");
                if (v == null) throw new OpException("Const", "missing attribute 'value'");
                return Infer.one(v.dtype(), v.shape());
            })
            .notDifferentiable()
            .summary("a constant tensor stored in the graph").build();

    public static final OpDef PLACEHOLDER = OpDef.builder("Placeholder")
            .attr("dtype", AttrType.DTYPE)
            .attr("shape", AttrType.SHAPE)
            .kernelDTypeFromAttr("dtype")
            .shape((in, a) -> Infer.one(a.getDType("dtype"), a.getShape("shape")))
            .notDifferentiable()
            .summary("a value fed when the graph runs; its shape may have unknown (-1) dimensions").build();

    public static final OpDef NO_OP = OpDef.builder("NoOp")
            .shape((in, a) -> new TensorSpec[0])
            .notDifferentiable()
            .summary("does nothing; used as a target that groups control dependencies").build();
}
