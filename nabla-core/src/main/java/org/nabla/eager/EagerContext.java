package org.nabla.eager;

import org.nabla.Tensor;
import org.nabla.TensorScope;
import org.nabla.device.CpuDevice;
import org.nabla.device.Device;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.Attrs;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Runs each op at once: infer output specs (the same function graph building uses), pick the kernel for the inputs'
 * device and dtype, make inputs dense if the kernel needs it, and compute. This path is kept short because its cost
 * is the eager dispatch overhead of every tiny op.
 */
public final class EagerContext implements ExecutionContext {
    /** The process-wide eager context. */
    public static final EagerContext INSTANCE = new EagerContext();

    private EagerContext() {}

    @Override
    public Tensor[] execute(OpDef op, Attrs attrs, Tensor[] inputs) {
        Attrs resolved = op.resolveAttrs(attrs);
        TensorSpec[] inSpecs = new TensorSpec[inputs.length];
        Device device = null;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t.isSymbolic()) {
                throw new OpException(op.name(), "input " + i + " is a graph tensor " + t.spec() + " but the op "
                        + "runs eagerly; build it inside the graph's context or run the graph in a Session");
            }
            inSpecs[i] = t.spec();
            if (device == null) {
                device = t.device();
            } else if (device != t.device()) {
                throw new OpException(op.name(), "inputs are on different devices: " + device.name() + " and "
                        + t.device().name() + " (input " + i + "); copy them to one device first");
            }
        }
        if (device == null) device = CpuDevice.INSTANCE;
        TensorSpec[] outSpecs = op.infer(inSpecs, resolved);
        KernelRegistry.Entry entry = KernelRegistry.global().lookup(op, device.type(),
                op.kernelDType(inSpecs, resolved, outSpecs));
        return new EagerKernelContext(op, entry.prepare(inputs), resolved, outSpecs, device, TensorScope.current())
                .run(entry.kernel());
    }
}
