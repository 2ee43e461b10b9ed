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
        boolean mixed = false;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t.isSymbolic()) {
                throw new OpException(op.name(), "input " + i + " is a graph tensor " + t.spec() + " but the op "
                        + "runs eagerly; build it inside the graph's context or run the graph in a Session");
            }
            inSpecs[i] = t.spec();
            if (device == null) device = t.device();
            else mixed |= device != t.device();
        }
        if (device == null) device = CpuDevice.INSTANCE;
        if (mixed) {
            device = opDevice(op, inputs);
            inputs = inputs.clone();
            for (int i = 0; i < inputs.length; i++) inputs[i] = inputs[i].to(device);
        }
        TensorSpec[] outSpecs = op.infer(inSpecs, resolved);
        KernelRegistry.Entry entry = KernelRegistry.global().lookup(op, device.type(),
                op.kernelDType(inSpecs, resolved, outSpecs));
        return new EagerKernelContext(op, entry.prepare(inputs), resolved, outSpecs, device, TensorScope.current())
                .run(entry.kernel());
    }

    /**
     * Where an op whose inputs sit on several devices runs: on the one device that is not host memory (host inputs,
     * such as a constant made on the CPU, are copied there, as TensorFlow's eager runtime does), or on the first
     * input's device when all share host memory. Inputs on two different accelerators are an error.
     */
    private static Device opDevice(OpDef op, Tensor[] inputs) {
        Device chosen = null;
        for (int i = 0; i < inputs.length; i++) {
            Device d = inputs[i].device();
            if (d.sharesHostMemory()) continue;
            if (chosen == null) {
                chosen = d;
            } else if (chosen != d) {
                throw new OpException(op.name(), "inputs are on different devices: " + chosen.name() + " and "
                        + d.name() + " (input " + i + "); copy them to one device first with tensor.to(device)");
            }
        }
        return chosen != null ? chosen : inputs[0].device();
    }
}