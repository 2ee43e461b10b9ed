package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.OpException;
import org.nabla.ops.TransferOps;
import org.nabla.runtime.Rendezvous;

/**
 * CPU kernels for {@link TransferOps}, talking to the run's {@link Rendezvous#current()}. The executor does not call
 * the Recv kernel: it waits for the value asynchronously so that no thread blocks; the kernel here (a blocking
 * receive) serves callers that run nodes one by one.
 */
public final class CpuTransferKernels implements KernelProvider {
    @Override
    public void registerKernels(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(TransferOps.SEND, cpu, (DType) null, (in, attrs, out) -> {
            current("Send").send(Rendezvous.key(attrs), in[0]);
            return new Tensor[0];
        }, true);
        r.register(TransferOps.RECV, cpu, (DType) null, (in, attrs, out) -> {
            try {
                return new Tensor[] {current("Recv").recv(Rendezvous.key(attrs)).join()};
            } catch (java.util.concurrent.CompletionException e) {
                throw new OpException("Recv", "receiving " + Rendezvous.key(attrs) + " failed: "
                        + e.getCause().getMessage());
            }
        });
    }

    private static Rendezvous current(String op) {
        Rendezvous r = Rendezvous.current();
        if (r == null) {
            throw new OpException(op, "no rendezvous on this thread: Send/Recv run only inside a Session run");
        }
        return r;
    }
}
