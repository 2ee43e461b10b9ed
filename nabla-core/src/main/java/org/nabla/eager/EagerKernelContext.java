package org.nabla.eager;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.TensorScope;
import org.nabla.device.Device;
import org.nabla.kernels.BaseKernelContext;
import org.nabla.kernels.Kernel;
import org.nabla.kernels.NumericsCheck;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.Rendezvous;
import org.nabla.profiler.Profiler;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The context of an eager kernel call: the process's eager variables, no rendezvous, and result memory from the
 * caller's {@link TensorScope} when one is open (the buffers it hands out are remembered so the scope can adopt the
 * outputs built on them).
 */
final class EagerKernelContext extends BaseKernelContext {
    private final TensorScope scope;
    /** Buffers the scope handed to this call and its nested calls; null outside a scope. */
    private final List<Object> handedOut;

    EagerKernelContext(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs, Device device,
                       TensorScope scope) {
        this(op, inputs, attrs, outputSpecs, device, scope, scope == null ? null : new ArrayList<>(2));
    }

    private EagerKernelContext(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs, Device device,
                               TensorScope scope, List<Object> handedOut) {
        super(op, inputs, attrs, outputSpecs, device);
        this.scope = scope;
        this.handedOut = handedOut;
    }

    /** Runs {@code kernel} in this context; under a scope its outputs on scope buffers become the scope's. */
    Tensor[] run(Kernel kernel) {
        long t0 = Profiler.begin();
        Tensor[] outputs = kernel.compute(this);
        if (t0 != 0) Profiler.record(t0, op().name(), null, device().name(), inputs(), outputs);
        if (NumericsCheck.enabled()) NumericsCheck.check(op().name(), null, inputs(), outputs);
        if (scope != null) scope.adoptResults(outputs, handedOut);
        return outputs;
    }

    @Override
    protected KernelContext child(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs) {
        return new EagerKernelContext(op, inputs, attrs, outputSpecs, device(), scope, handedOut);
    }

    @Override
    public Object allocate(DType.Storage storage, int length) {
        return scope == null ? device().allocate(storage, length) : scope.takeBuffer(storage, length, handedOut);
    }

    @Override public boolean reusesBuffers() { return scope != null; }

    @Override public ResourceManager resources() { return ResourceManager.eager(); }

    @Override
    public Rendezvous rendezvous() {
        throw new OpException(op().name(), "no rendezvous in eager execution: Send/Recv run only inside a Session run");
    }

    @Override public long stepId() { return 0; }

    @Override public boolean isCancelled() { return false; }
}
