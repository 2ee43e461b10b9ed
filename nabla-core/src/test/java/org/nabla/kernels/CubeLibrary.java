package org.nabla.kernels;

import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.Infer;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;

/**
 * A user's op library, as a program or module outside nabla-core writes one: one op, its gradient and its float64
 * CPU kernel. Listed in the test class path's {@code META-INF/services/org.nabla.kernels.OpLibrary}. The op is
 * declared in its own family class, as nabla-core's are, so it registers only when {@link #ops()} is called.
 */
public final class CubeLibrary implements OpLibrary {
    /** The library's op family. */
    public static final class CubeOps {
        /** x ** 3. Internal: a user's op has no {@code Ops} method. */
        public static final OpDef CUBE = OpDef.builder("UserCube").inputs("x")
                .shape((in, a) -> {
                    Infer.requireFloating("UserCube", "x", in[0]);
                    return new TensorSpec[] {in[0]};
                })
                .internal().summary("x ** 3 (a test op library's op)").build();

        private CubeOps() {}
    }

    @Override
    public Collection<OpDef> ops() { return List.of(CubeOps.CUBE); }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(CubeOps.CUBE, (c, g) -> new Tensor[] {Ops.mul(g[0], Ops.mul(3.0, Ops.square(c.input(0))))});
    }

    @Override
    public void registerKernels(KernelRegistry kernels) {
        kernels.register(CubeOps.CUBE, CpuDevice.TYPE, DType.FLOAT64, ctx -> {
            double[] x = (double[]) ctx.input(0).data();
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) y[i] = x[i] * x[i] * x[i];
            return new Tensor[] {Tensor.wrap(DType.FLOAT64, ctx.input(0).shape(), y)};
        });
    }
}
