package org.nabla.kernels;

import org.nabla.DType;
import org.nabla.ResourceManager;
import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpDef;
import org.nabla.ops.TensorSpec;

/**
 * A kernel context that shows a kernel other inputs, attributes and output specs than its caller's, and hands
 * everything else (memory, variables, rendezvous, nested calls) to the caller's context: how {@link WidenedKernel}
 * lets a float32 kernel compute a 16-bit op within the same run.
 */
final class DelegatingKernelContext implements KernelContext {
    private final KernelContext outer;
    private final Tensor[] inputs;
    private final Attrs attrs;
    private final TensorSpec[] outputSpecs;

    DelegatingKernelContext(KernelContext outer, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs) {
        this.outer = outer;
        this.inputs = inputs;
        this.attrs = attrs;
        this.outputSpecs = outputSpecs;
    }

    @Override public OpDef op() { return outer.op(); }
    @Override public Tensor input(int i) { return inputs[i]; }
    @Override public Tensor[] inputs() { return inputs; }
    @Override public int inputCount() { return inputs.length; }
    @Override public Attrs attrs() { return attrs; }
    @Override public TensorSpec outputSpec(int i) { return outputSpecs[i]; }
    @Override public TensorSpec[] outputSpecs() { return outputSpecs; }
    @Override public Device device() { return outer.device(); }
    @Override public Object allocate(DType.Storage storage, int length) { return outer.allocate(storage, length); }
    @Override public boolean reusesBuffers() { return outer.reusesBuffers(); }
    @Override public ResourceManager resources() { return outer.resources(); }
    @Override public Tensor readVariable(String name) { return outer.readVariable(name); }
    @Override public void lendVariable(String name, Tensor value) { outer.lendVariable(name, value); }
    @Override public Rendezvous rendezvous() { return outer.rendezvous(); }
    @Override public long stepId() { return outer.stepId(); }
    @Override public boolean isCancelled() { return outer.isCancelled(); }
    @Override public Tensor[] call(OpDef op, Attrs callAttrs, Tensor... args) { return outer.call(op, callAttrs, args); }

    @Override
    public Tensor[] callFunction(GraphFunction function, Tensor... args) { return outer.callFunction(function, args); }

    @Override
    public Tensor[] callFunction(GraphFunction function, long iteration, Tensor... args) {
        return outer.callFunction(function, iteration, args);
    }
}
