package org.nabla.kernels;

import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;
import org.nabla.ops.TensorSpec;

/**
 * A library that builds on another one without compiling against it: its gradient is written with {@link CubeLibrary}'s
 * op, looked up by name when the gradient is registered. It is listed before CubeLibrary in the services file, so it
 * only works because every library's ops are registered before any library's gradients.
 */
public final class Pow4Library implements OpLibrary {
    /** x ** 4. */
    public static final OpDef POW4 = OpDef.builder("UserPow4").inputs("x")
            .shape((in, a) -> {
                Infer.requireFloating("UserPow4", "x", in[0]);
                return new TensorSpec[] {in[0]};
            })
            .internal().summary("x ** 4 (a test op library's op)").build();

    @Override
    public Collection<OpDef> ops() { return List.of(POW4); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        OpDef cube = OpRegistry.get("UserCube"); // another library's op, by name
        gradients.register(POW4, (c, g) -> new Tensor[] {
                Ops.mul(g[0], Ops.mul(4.0, Ops.run(cube, Attrs.EMPTY, c.input(0))))});
    }

    @Override
    public void registerKernels(KernelRegistry kernels) {
        kernels.register(POW4, CpuDevice.TYPE, DType.FLOAT64, ctx -> {
            double[] x = (double[]) ctx.input(0).data();
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = x[i] * x[i] * x[i] * x[i];
            return new Tensor[] {Tensor.wrap(DType.FLOAT64, ctx.input(0).shape(), y)};
        });
    }
}
