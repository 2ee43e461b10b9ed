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
        r.register(StateOps.APPLY_GRADIENT_DESCENT, cpu, DType.FLOAT32, (in, attrs, out) -> applyGradientDescent(in,
                attrs));
        r.register(StateOps.APPLY_GRADIENT_DESCENT, cpu, DType.FLOAT64, (in, attrs, out) -> applyGradientDescent(in,
                attrs));
    }

    /**
     * {@code var - alpha * delta} in one pass, rounded like the unfused {@code Sub(var, Mul(delta, alpha))} (a product,
     * then a difference: no fused multiply-add), so the optimized graph gives the same bits.
     */
    private static Tensor[] applyGradientDescent(Tensor[] in, Attrs attrs) {
        String name = attrs.getString("name");
        Tensor alpha = in[0];
        Tensor delta = in[1];
        Tensor next = ResourceManager.current().update(name, stored -> {
            if (stored.dtype() != delta.dtype() || !stored.shape().equals(delta.shape())) {
                throw new OpException("ApplyGradientDescent", "variable '" + name + "' holds " + stored.spec()
                        + ", cannot take a delta of " + delta.spec());
            }
            Tensor old = stored.isDenseFromZero() ? stored : stored.dense();
            int n = Math.toIntExact(old.size());
            if (old.dtype() == DType.FLOAT32) {
                float a = alpha.floatValue();
                float[] v = (float[]) old.data(), d = (float[]) delta.data(), r = new float[n];
                Parallel.forRange(n, 1 << 16, (from, to) -> subScaled(v, d, a, r, from, to));
                return Tensor.wrap(DType.FLOAT32, old.shape(), r);
            }
            double a = alpha.doubleValue();
            double[] v = (double[]) old.data(), d = (double[]) delta.data(), r = new double[n];
            for (int i = 0; i < n; i++) r[i] = v[i] - d[i] * a;
            return Tensor.wrap(DType.FLOAT64, old.shape(), r);
        });
        return new Tensor[] {next};
    }

    private static void subScaled(float[] v, float[] d, float a, float[] r, int from, int to) {
        var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        var av = jdk.incubator.vector.FloatVector.broadcast(species, a);
        int i = from;
        for (int end = from + species.loopBound(to - from); i < end; i += species.length()) {
            var x = jdk.incubator.vector.FloatVector.fromArray(species, v, i);
            var y = jdk.incubator.vector.FloatVector.fromArray(species, d, i);
            x.sub(y.mul(av)).intoArray(r, i);
        }
        for (; i < to; i++) r[i] = v[i] - d[i] * a;
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
