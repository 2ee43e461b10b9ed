package org.nabla.onnx.thirdparty;

import static org.nabla.onnx.OnnxGraphWriter.in;

import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.onnx.ExportOperators;
import org.nabla.onnx.OnnxOpLibrary;
import org.nabla.onnx.OnnxOperators;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;

/**
 * A module outside nabla-onnx (its own package, so only public API) with an op, its gradient, its kernel and its ONNX
 * rules: ONNX operator {@code NablaTestSquarePlusOne} imports as the op, and the op exports as ONNX Mul and Add. Listed
 * in nabla-onnx's test {@code META-INF/services/org.nabla.kernels.OpLibrary}.
 */
public final class SquarePlusOneLibrary implements OnnxOpLibrary {
    /** x * x + 1. */
    public static final OpDef SQUARE_PLUS_ONE = OpDef.builder("TestSquarePlusOne").inputs("x")
            .shape((ins, a) -> {
                Infer.requireFloating("TestSquarePlusOne", "x", ins[0]);
                return new TensorSpec[] {ins[0]};
            })
            .internal().summary("x * x + 1 (a test module's op)").build();

    @Override
    public Collection<OpDef> ops() { return List.of(SQUARE_PLUS_ONE); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(SQUARE_PLUS_ONE, (c, g) -> new Tensor[] {Ops.mul(g[0], Ops.mul(2.0, c.input(0)))});
    }

    @Override
    public void registerKernels(KernelRegistry kernels) {
        kernels.register(SQUARE_PLUS_ONE, CpuDevice.TYPE, List.of(DType.FLOAT32, DType.FLOAT64), ctx -> {
            double[] x = ctx.input(0).toDoubleArray();
            for (int i = 0; i < x.length; i++) x[i] = x[i] * x[i] + 1;
            return new Tensor[] {Tensors.of(x, ctx.input(0).shape().dims()).cast(ctx.input(0).dtype())};
        });
    }

    @Override
    public void registerOnnxRules(OnnxOperators imports, ExportOperators exports) {
        imports.rule("NablaTestSquarePlusOne", n -> List.of(Ops.run(SQUARE_PLUS_ONE, Attrs.EMPTY, n.required(0))));
        exports.rule("TestSquarePlusOne", (n, w) -> {
            String x = w.input(n, 0);
            w.result(n, "Add", in(w.temp(n, "Mul", in(x, x)), w.scalar(n, "one", n.outputSpec(0).dtype(), 1)));
        });
    }
}
