package org.nabla.kernels.cpu;

import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.eager.EagerContext;
import org.nabla.kernels.KernelProvider;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.Attrs;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpException;
import org.nabla.ops.StateOps;
import org.nabla.runtime.ResourceManager;

/** CPU kernels for {@link StateOps}: they read and write the current run's {@link ResourceManager}. */
public final class CpuStateKernels implements KernelProvider {
    @Override
    public void registerKernels(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(StateOps.READ_VARIABLE, cpu, (DType) null, (in, attrs, out) -> {
            String name = attrs.getString("name");
            Tensor v = ResourceManager.current().read(name);
            if (v.dtype() != out[0].dtype() || !v.shape().isCompatibleWith(out[0].shape())) {
                throw new OpException("ReadVariable", "variable '" + name + "' holds " + v.spec() + " but "
                        + out[0] + " was declared");
            }
            return new Tensor[] {v};
        });
        r.register(StateOps.ASSIGN_VARIABLE, cpu, (DType) null, (in, attrs, out) -> {
            ResourceManager.current().assign(attrs.getString("name"), in[0]);
            return new Tensor[] {in[0]};
        }, true);
        r.register(StateOps.ASSIGN_ADD_VARIABLE, cpu, (DType) null, (in, attrs, out) -> update(in[0], attrs, true));
        r.register(StateOps.ASSIGN_SUB_VARIABLE, cpu, (DType) null, (in, attrs, out) -> update(in[0], attrs, false));
    }

    private static Tensor[] update(Tensor delta, Attrs attrs, boolean add) {
        String name = attrs.getString("name");
        // read-modify-write under the manager's per-variable atomicity: parallel updates do not lose each other
        Tensor next = ResourceManager.current().update(name, old -> {
            Tensor v = EagerContext.INSTANCE.execute(add ? MathOps.ADD : MathOps.SUB, Attrs.EMPTY,
                    new Tensor[] {old, delta})[0];
            if (!v.shape().equals(old.shape())) {
                throw new OpException(add ? "AssignAddVariable" : "AssignSubVariable", "variable '" + name
                        + "' of shape " + old.shape() + " cannot take a delta of shape " + delta.shape());
            }
            return v;
        });
        return new Tensor[] {next};
    }
}
