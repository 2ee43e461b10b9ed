package org.nabla.runtime;

import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.kernels.BaseKernelContext;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.Rendezvous;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;

/**
 * The context of a kernel the executor runs for one node of one step: the step's variables, rendezvous, id and
 * failure state, and fresh result memory from the partition's device (graph results are never recycled: the executor
 * hands them to consumers and fetches whose lifetimes it does not track per buffer).
 */
final class NodeKernelContext extends BaseKernelContext {
    private final Step step;

    NodeKernelContext(Step step, OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs, Device device) {
        super(op, inputs, attrs, outputSpecs, device);
        this.step = step;
    }

    @Override
    protected KernelContext child(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs) {
        return new NodeKernelContext(step, op, inputs, attrs, outputSpecs, device());
    }

    @Override public Object allocate(DType.Storage storage, int length) { return device().allocate(storage, length); }

    @Override public boolean reusesBuffers() { return false; }

    @Override public ResourceManager resources() { return step.resources; }

    @Override public Rendezvous rendezvous() { return step.rendezvous; }

    @Override public long stepId() { return step.id; }

    @Override public boolean isCancelled() { return step.failed(); }

    /** The step this call belongs to (function calls of the kernel run as its sub-steps). */
    Step step() { return step; }
}
