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
 * failure state, and result memory: on the CPU from the frame's {@link FrameBuffers} (buffers whose readers have all
 * run, recycled by liveness), elsewhere fresh from the partition's device. Kernels of variable ops get fresh memory
 * (what they compute may become a variable's value, which must never return to the pool), and variable values they
 * return are lent to the frame, which gives them back when their last reader ran.
 */
final class NodeKernelContext extends BaseKernelContext {
    private final Step step;
    /** Null where results are not recycled (another device type, or recycling switched off). */
    private final FrameBuffers buffers;
    /** Allocations bypass the pool: the kernel (or the stateful kernel that called it) may keep its results. */
    private final boolean keepsResults;

    NodeKernelContext(Step step, OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs, Device device,
                      FrameBuffers buffers) {
        this(step, op, inputs, attrs, outputSpecs, device, buffers, !op.variableAttrs().isEmpty());
    }

    private NodeKernelContext(Step step, OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs,
                              Device device, FrameBuffers buffers, boolean keepsResults) {
        super(op, inputs, attrs, outputSpecs, device);
        this.step = step;
        this.buffers = buffers;
        this.keepsResults = keepsResults;
    }

    @Override
    protected KernelContext child(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs) {
        return new NodeKernelContext(step, op, inputs, attrs, outputSpecs, device(), buffers,
                keepsResults || !op.variableAttrs().isEmpty());
    }

    @Override
    public Object allocate(DType.Storage storage, int length) {
        return reusesBuffers() ? buffers.allocate(storage, length) : device().allocate(storage, length);
    }

    @Override public boolean reusesBuffers() { return buffers != null && !keepsResults; }

    @Override
    public Tensor readVariable(String name) {
        if (buffers == null) return super.readVariable(name);
        Tensor v = step.resources.borrow(name);
        buffers.borrowed(v, step.resources, name);
        return v;
    }

    @Override
    public void lendVariable(String name, Tensor value) {
        if (buffers == null) {
            super.lendVariable(name, value);
        } else if (step.resources.borrow(name, value)) {
            buffers.borrowed(value, step.resources, name);
        }
    }

    @Override public ResourceManager resources() { return step.resources; }

    @Override public Rendezvous rendezvous() { return step.rendezvous; }

    @Override public long stepId() { return step.id; }

    @Override public boolean isCancelled() { return step.failed(); }

    /** The step this call belongs to (function calls of the kernel run as its sub-steps). */
    Step step() { return step; }
}
