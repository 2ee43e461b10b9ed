package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.Rendezvous;
import org.nabla.ops.OpException;
import org.nabla.ops.TransferOps;

/**
 * CPU kernels for {@link TransferOps}, talking to the run's {@link Rendezvous} (from the kernel context). The
 * executor does not call the Recv kernel: it waits for the value asynchronously so that no thread blocks; the kernel
 * here (a blocking receive) serves callers that run nodes one by one.
 */
public final class CpuTransferKernels {
    private CpuTransferKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(TransferOps.SEND, cpu, (DType) null, ctx -> {
            ctx.rendezvous().send(Rendezvous.key(ctx.attrs()), ctx.input(0));
            return new Tensor[0];
        }, true);
        r.register(TransferOps.RECV, cpu, (DType) null, ctx -> {
            try {
                return new Tensor[] {ctx.rendezvous().recv(Rendezvous.key(ctx.attrs())).join()};
            } catch (java.util.concurrent.CompletionException e) {
                throw new OpException("Recv", "receiving " + Rendezvous.key(ctx.attrs()) + " failed: "
                        + e.getCause().getMessage());
            }
        });
    }
}
