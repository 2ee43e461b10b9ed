package org.nabla.ops;

/**
 * Variable ops. A variable is a named, mutable slot in a {@link org.nabla.ResourceManager} (the eager
 * context's, or a Session's); these ops read and update it by name. They are stateful, so graph passes never fold
 * or merge them.
 */
public final class StateOps {
    private StateOps() {}

    public static final OpDef READ_VARIABLE = OpDef.builder("ReadVariable")
            .attr("name", AttrType.STRING)
            .attr("dtype", AttrType.DTYPE)
            .attr("shape", AttrType.SHAPE)
            .kernelDTypeFromAttr("dtype")
            .shape((in, a) -> Infer.one(a.getDType("dtype"), a.getShape("shape")))
            .variables("name")
            .summary("the current value of the variable 'name'").build();

    public static final OpDef ASSIGN_VARIABLE = OpDef.builder("AssignVariable").inputs("value")
            .attr("name", AttrType.STRING)
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .variables("name").notDifferentiable()
            .summary("stores value in the variable 'name' (creating it) and returns it").build();

    public static final OpDef ASSIGN_ADD_VARIABLE = OpDef.builder("AssignAddVariable").inputs("delta")
            .attr("name", AttrType.STRING)
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .variables("name").notDifferentiable()
            .summary("adds delta to the variable 'name' and returns the new value").build();

    public static final OpDef ASSIGN_SUB_VARIABLE = OpDef.builder("AssignSubVariable").inputs("delta")
            .attr("name", AttrType.STRING)
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .variables("name").notDifferentiable()
            .summary("subtracts delta from the variable 'name' and returns the new value").build();

    /**
     * TensorFlow's ResourceApplyGradientDescent: {@code var -= alpha * delta} in one pass. The graph optimizer makes
     * it from {@code AssignSubVariable(Mul(delta, alpha))} with a scalar alpha (a plain SGD update).
     */
    public static final OpDef APPLY_GRADIENT_DESCENT = OpDef.builder("ApplyGradientDescent").inputs("alpha", "delta")
            .attr("name", AttrType.STRING)
            .shape((in, a) -> {
                Infer.requireFloating("ApplyGradientDescent", "delta", in[1]);
                if (in[0].dtype() != in[1].dtype() || in[0].shape().rank() != 0) {
                    throw new OpException("ApplyGradientDescent", "alpha must be a scalar of the delta's dtype "
                            + in[1].dtype() + ", got " + in[0]);
                }
                return Infer.one(in[1].dtype(), in[1].shape());
            })
            .variables("name").readsInputsOnly().notDifferentiable()
            .summary("subtracts alpha * delta from the variable 'name' and returns the new value").build();

    /**
     * {@code var -= alpha * op(a) op(b)} (op: optional transpose) computed by one GEMM into a copy of the variable's
     * value: the SGD update of a dense layer's weight, whose gradient is a matrix product, without materializing the
     * gradient. Made by the graph optimizer from {@code ApplyGradientDescent(alpha, MatMul(a, b))}; a and b are
     * matrices (rank 2).
     */
    public static final OpDef MATMUL_APPLY_GRADIENT_DESCENT = OpDef.builder("MatMulApplyGradientDescent")
            .inputs("alpha", "a", "b")
            .attr("name", AttrType.STRING)
            .attr("transposeA", AttrType.BOOL, false)
            .attr("transposeB", AttrType.BOOL, false)
            .shape((in, a) -> {
                String op = "MatMulApplyGradientDescent";
                Infer.requireFloating(op, "a", in[1]);
                if (in[0].dtype() != in[1].dtype() || in[2].dtype() != in[1].dtype() || in[0].shape().rank() != 0
                        || in[1].shape().rank() != 2 || in[2].shape().rank() != 2) {
                    throw new OpException(op, "expects a scalar alpha and matrices a and b of one floating dtype, "
                            + "got " + in[0] + ", " + in[1] + ", " + in[2]);
                }
                boolean ta = a.getBool("transposeA"), tb = a.getBool("transposeB");
                int m = in[1].shape().dim(ta ? 1 : 0), ka = in[1].shape().dim(ta ? 0 : 1);
                int kb = in[2].shape().dim(tb ? 1 : 0), n = in[2].shape().dim(tb ? 0 : 1);
                if (ka >= 0 && kb >= 0 && ka != kb) {
                    throw new OpException(op, "inner dimensions differ: " + in[1] + " and " + in[2]
                            + " (transposeA=" + ta + ", transposeB=" + tb + ")");
                }
                return Infer.one(in[1].dtype(), org.nabla.Shape.of(m, n));
            })
            .variables("name").readsInputsOnly().notDifferentiable().internal()
            .summary("subtracts alpha * op(a) op(b) from the variable 'name' and returns the new value").build();
}
