package org.nabla.ops;

/**
 * Variable ops. A variable is a named, mutable slot in a {@link org.nabla.runtime.ResourceManager} (the eager
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
            .stateful()
            .summary("the current value of the variable 'name'").build();

    public static final OpDef ASSIGN_VARIABLE = OpDef.builder("AssignVariable").inputs("value")
            .attr("name", AttrType.STRING)
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .stateful().notDifferentiable()
            .summary("stores value in the variable 'name' (creating it) and returns it").build();

    public static final OpDef ASSIGN_ADD_VARIABLE = OpDef.builder("AssignAddVariable").inputs("delta")
            .attr("name", AttrType.STRING)
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .stateful().notDifferentiable()
            .summary("adds delta to the variable 'name' and returns the new value").build();

    public static final OpDef ASSIGN_SUB_VARIABLE = OpDef.builder("AssignSubVariable").inputs("delta")
            .attr("name", AttrType.STRING)
            .shape((in, a) -> Infer.one(in[0].dtype(), in[0].shape()))
            .stateful().notDifferentiable()
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
            .stateful().notDifferentiable()
            .summary("subtracts alpha * delta from the variable 'name' and returns the new value").build();
}
