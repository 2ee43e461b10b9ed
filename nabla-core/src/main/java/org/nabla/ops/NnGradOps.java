package org.nabla.ops;

/**
 * The backward ops of the spatial nn ops, used by their gradient rules: the two convolution backprops (Gemm-based,
 * like the forward convolution) and the pooling gradients. Attributes are those of the forward op. The convolution
 * backprops are linear in each argument, so their gradients are convolutions again (likewise AvgPool2DGrad and
 * AvgPoolGrad, whose gradients are average pools); MaxPool2DGrad and MaxPool2DGradGrad are each other's gradient
 * (with respect to the gradient input; the argmax is piecewise constant in the pooled input). MaxPool needs no
 * backward op: its rule scatters through its own indices output with GatherGrad. ReluGrad and the pooling gradients
 * are {@linkplain OpDef#isInternal() internal} (only gradient rules run them); the convolution backprops are public
 * ops ({@code Ops.conv2dBackpropInput} is also the transposed convolution).
 */
public final class NnGradOps {
    private NnGradOps() {}

    public static final OpDef RELU_GRAD = OpDef.builder("ReluGrad").inputs("grad", "output")
            .shape((in, a) -> {
                Infer.requireFloating("ReluGrad", "grad", in[0]);
                Infer.sameDType("ReluGrad", in[0], in[1]);
                if (!in[0].shape().isCompatibleWith(in[1].shape())) {
                    throw new OpException("ReluGrad", "grad " + in[0].shape() + " and output " + in[1].shape()
                            + " must have the same shape");
                }
                return new TensorSpec[] {in[0]};
            })
            .internal()
            .summary("the gradient of Relu from its output: grad where output > 0, else 0 (one pass)").build();

    public static final OpDef CONV2D_BACKPROP_INPUT = conv("Conv2DBackpropInput", "input", "filter")
            .summary("the gradient of Conv2D with respect to its input, shaped like 'input' (only its shape is read)")
            .build();

    public static final OpDef CONV2D_BACKPROP_FILTER = conv("Conv2DBackpropFilter", "input", "filter")
            .summary("the gradient of Conv2D with respect to its filter, shaped like 'filter' (only its shape is "
                    + "read)").build();

    public static final OpDef MAX_POOL2D_GRAD = pool("MaxPool2DGrad", "input", "grad")
            .kernelDTypeFromInput(1)
            .shape((in, a) -> poolGradShape("MaxPool2DGrad", in[1], in[0], a))
            .internal()
            .summary("the gradient of MaxPool2D: each window's gradient goes to its first maximum").build();

    public static final OpDef MAX_POOL2D_GRAD_GRAD = pool("MaxPool2DGradGrad", "input", "grad")
            .kernelDTypeFromInput(1)
            .shape((in, a) -> {
                Infer.sameDType("MaxPool2DGradGrad", in[0], in[1]);
                if (!in[0].shape().isCompatibleWith(in[1].shape())) {
                    throw new OpException("MaxPool2DGradGrad", "grad " + in[1].shape() + " must have the shape of "
                            + "input " + in[0].shape());
                }
                return NnOps.MAX_POOL2D.infer(new TensorSpec[] {in[0]}, a);
            })
            .internal()
            .summary("the gradient of MaxPool2DGrad with respect to its grad: each output element takes grad at its "
                    + "window's first maximum in input").build();

    public static final OpDef AVG_POOL2D_GRAD = pool("AvgPool2DGrad", "grad", "like")
            .shape((in, a) -> poolGradShape("AvgPool2DGrad", in[0], in[1], a))
            .internal()
            .summary("the gradient of AvgPool2D: each window's gradient spread evenly over its valid positions, "
                    + "shaped like 'like'").build();

    public static final OpDef AVG_POOL_GRAD = NnOps.avgPoolAttrs(OpDef.builder("AvgPoolGrad").inputs("grad", "like"))
            .shape((in, a) -> {
                Infer.sameDType("AvgPoolGrad", in[0], in[1]);
                TensorSpec y = NnOps.AVG_POOL.infer(new TensorSpec[] {in[1]}, a)[0];
                if (!y.shape().isCompatibleWith(in[0].shape())) {
                    throw new OpException("AvgPoolGrad", "grad has shape " + in[0].shape() + " but AvgPool of "
                            + in[1].shape() + " gives " + y.shape());
                }
                return new TensorSpec[] {in[1]};
            })
            .internal()
            .summary("the gradient of AvgPool: each window's gradient spread over the elements it divided by, "
                    + "shaped like 'like' (only its shape is read)").build();

    private static OpDef.Builder conv(String name, String... forwardInputs) {
        boolean wantInput = name.endsWith("Input");
        return NnOps.convAttrs(OpDef.builder(name).inputs(forwardInputs[0], forwardInputs[1], "grad"))
                .kernelDTypeFromInput(2)
                .shape((in, a) -> {
                    Infer.sameDType(name, in[0], in[2]);
                    Infer.sameDType(name, in[1], in[2]);
                    TensorSpec y = NnOps.CONV2D.infer(new TensorSpec[] {in[0], in[1]}, a)[0];
                    if (!y.shape().isCompatibleWith(in[2].shape())) {
                        throw new OpException(name, "grad has shape " + in[2].shape() + " but Conv2D of input "
                                + in[0].shape() + " and filter " + in[1].shape() + " gives " + y.shape());
                    }
                    return new TensorSpec[] {in[wantInput ? 0 : 1]};
                });
    }

    private static OpDef.Builder pool(String name, String first, String second) {
        return PoolWindow.attrs2d(OpDef.builder(name).inputs(first, second));
    }

    private static TensorSpec[] poolGradShape(String name, TensorSpec grad, TensorSpec input, Attrs a) {
        Infer.sameDType(name, grad, input);
        String forward = name.startsWith("Max") ? "MaxPool2D" : "AvgPool2D";
        TensorSpec y = (forward.equals("MaxPool2D") ? NnOps.MAX_POOL2D : NnOps.AVG_POOL2D)
                .infer(new TensorSpec[] {input}, a)[0];
        if (!y.shape().isCompatibleWith(grad.shape())) {
            throw new OpException(name, "grad has shape " + grad.shape() + " but " + forward + " of " + input.shape()
                    + " gives " + y.shape());
        }
        return new TensorSpec[] {input};
    }
}
