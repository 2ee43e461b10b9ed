package org.nabla.kernels.cpu;

import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.GraphOps;
import org.nabla.ops.OpException;

/** CPU kernels for {@link GraphOps}. Placeholders are fed by the executor, so their kernel only explains that. */
public final class CpuGraphKernels {
    private CpuGraphKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(GraphOps.CONST, cpu, (org.nabla.DType) null, ctx ->
                new Tensor[] {(Tensor) ctx.attrs().get("value")});
        r.register(GraphOps.PLACEHOLDER, cpu, (org.nabla.DType) null, ctx -> {
            throw new OpException("Placeholder", "a placeholder of " + ctx.outputSpec(0) + " has no value: feed it "
                    + "when running the graph");
        });
        r.register(GraphOps.NO_OP, cpu, (org.nabla.DType) null, ctx -> new Tensor[0]);
    }
}
