package org.nabla.device;

import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.kernels.BaseKernelContext;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.kernels.Rendezvous;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpRegistry;
import org.nabla.ops.TensorSpec;

/**
 * Kernels of {@link OffHeapDevice} for every op, contributed as a device module does: an {@link OpLibrary} listed in
 * (test) {@code META-INF/services/org.nabla.kernels.OpLibrary}. Each kernel copies its inputs to the host, runs the op's CPU kernel in a
 * host context that keeps the caller's variables, rendezvous and step, and copies the results to the device. What a
 * real device module does with its own kernels, and nothing more: the CPU arithmetic keeps results comparable.
 */
public final class OffHeapKernels implements OpLibrary {
    /** A device module contributes kernels only: here one per op of every library (their ops are loaded first). */
    @Override
    public void registerKernels(KernelRegistry registry) {
        for (OpDef op : OpRegistry.all()) {
            registry.register(op, OffHeapDevice.TYPE, null, ctx -> compute(op, ctx), true);
        }
    }

    private static Tensor[] compute(OpDef op, KernelContext ctx) {
        Tensor[] host = new Tensor[ctx.inputCount()];
        TensorSpec[] inSpecs = new TensorSpec[host.length];
        for (int i = 0; i < host.length; i++) {
            // as a GPU kernel would, insist that the runtime moved every input here first (eager, feeds, Recv)
            if (ctx.input(i).device() != ctx.device()) {
                throw new IllegalStateException(op.name() + " on " + ctx.device() + ": input " + i + " is on "
                        + ctx.input(i).device());
            }
            host[i] = ctx.input(i).to(CpuDevice.INSTANCE);
            inSpecs[i] = host[i].spec();
        }
        KernelRegistry.Entry cpu = KernelRegistry.global().lookup(op, CpuDevice.TYPE,
                op.kernelDType(inSpecs, ctx.attrs(), ctx.outputSpecs()));
        Tensor[] out = cpu.kernel().compute(new HostContext(ctx, op, cpu.prepare(host), ctx.attrs(),
                ctx.outputSpecs()));
        Tensor[] onDevice = new Tensor[out.length];
        for (int i = 0; i < out.length; i++) onDevice[i] = out[i].to(ctx.device());
        return onDevice;
    }

    /** A CPU kernel call made on behalf of an off-heap one: host memory, the outer call's run. */
    private static final class HostContext extends BaseKernelContext {
        private final KernelContext outer;

        HostContext(KernelContext outer, OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs) {
            super(op, inputs, attrs, outputSpecs, CpuDevice.INSTANCE);
            this.outer = outer;
        }

        @Override
        protected KernelContext child(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs) {
            return new HostContext(outer, op, inputs, attrs, outputSpecs);
        }

        @Override public Object allocate(org.nabla.DType.Storage storage, int length) {
            return CpuDevice.INSTANCE.allocate(storage, length);
        }
        @Override public boolean reusesBuffers() { return false; }
        @Override public ResourceManager resources() { return outer.resources(); }
        @Override public Rendezvous rendezvous() { return outer.rendezvous(); }
        @Override public long stepId() { return outer.stepId(); }
        @Override public boolean isCancelled() { return outer.isCancelled(); }
    }
}
