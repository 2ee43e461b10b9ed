package org.nabla.kernels;

import org.nabla.Tensor;
import org.nabla.device.Device;
import org.nabla.ops.Attrs;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The part of a {@link KernelContext} every executor shares: the call's own data, and {@link #call} (infer, look up
 * the kernel for this device, densify, compute in a child context that keeps the run's variables, rendezvous and step).
 */
public abstract class BaseKernelContext implements KernelContext {
    private final OpDef op;
    private final Tensor[] inputs;
    private final Attrs attrs;
    private final TensorSpec[] outputSpecs;
    private final Device device;

    protected BaseKernelContext(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs, Device device) {
        this.op = op;
        this.inputs = inputs;
        this.attrs = attrs;
        this.outputSpecs = outputSpecs;
        this.device = device;
    }

    /** A context for a nested call of {@code op} made by this call's kernel, in the same run. */
    protected abstract KernelContext child(OpDef op, Tensor[] inputs, Attrs attrs, TensorSpec[] outputSpecs);

    @Override public final OpDef op() { return op; }
    @Override public final Tensor input(int i) { return inputs[i]; }
    @Override public final Tensor[] inputs() { return inputs; }
    @Override public final int inputCount() { return inputs.length; }
    @Override public final Attrs attrs() { return attrs; }
    @Override public final TensorSpec outputSpec(int i) { return outputSpecs[i]; }
    @Override public final TensorSpec[] outputSpecs() { return outputSpecs; }
    @Override public final Device device() { return device; }

    @Override
    public Tensor[] call(OpDef callee, Attrs callAttrs, Tensor... args) {
        Attrs resolved = callee.resolveAttrs(callAttrs);
        TensorSpec[] inSpecs = new TensorSpec[args.length];
        for (int i = 0; i < args.length; i++) {
            // CPU devices share the heap (Tensor.to moves nothing between them), so any of them will do
            if (args[i].device() != device && !(device.sharesHostMemory() && args[i].device().sharesHostMemory())) {
                throw new OpException(callee.name(), "called from the " + op.name() + " kernel with input " + i
                        + " on " + args[i].device().name() + " instead of " + device.name());
            }
            inSpecs[i] = args[i].spec();
        }
        TensorSpec[] outSpecs = callee.infer(inSpecs, resolved);
        KernelRegistry.Entry entry = KernelRegistry.global().lookup(callee, device.type(),
                callee.kernelDType(inSpecs, resolved, outSpecs));
        return entry.kernel().compute(child(callee, entry.prepare(args), resolved, outSpecs));
    }

    @Override
    public Tensor[] callFunction(GraphFunction function, Tensor... args) {
        return FunctionLibrary.installed().call(function, args, this, 0);
    }

    @Override
    public Tensor[] callFunction(GraphFunction function, long iteration, Tensor... args) {
        return FunctionLibrary.installed().call(function, args, this, iteration);
    }
}
