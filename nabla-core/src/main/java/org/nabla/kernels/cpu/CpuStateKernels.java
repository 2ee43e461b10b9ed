package org.nabla.kernels.cpu;

import java.util.List;
import org.nabla.DType;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.Attrs;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpException;
import org.nabla.ops.StateOps;

/** CPU kernels for {@link StateOps}: they read and write the run's variables ({@link KernelContext#resources()}). */
public final class CpuStateKernels {
    private CpuStateKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(StateOps.READ_VARIABLE, cpu, (DType) null, ctx -> {
            String name = ctx.attrs().getString("name");
            Tensor v = ctx.readVariable(name);
            if (v.dtype() != ctx.outputSpec(0).dtype() || !v.shape().isCompatibleWith(ctx.outputSpec(0).shape())) {
                throw new OpException("ReadVariable", "variable '" + name + "' holds " + v.spec() + " but "
                        + ctx.outputSpec(0) + " was declared");
            }
            return new Tensor[] {v};
        });
        r.register(StateOps.ASSIGN_VARIABLE, cpu, (DType) null, ctx -> {
            ctx.resources().assign(ctx.attrs().getString("name"), ctx.input(0));
            return new Tensor[] {ctx.input(0)};
        }, true);
        r.register(StateOps.ASSIGN_ADD_VARIABLE, cpu, (DType) null, ctx -> update(ctx, true));
        r.register(StateOps.ASSIGN_SUB_VARIABLE, cpu, (DType) null, ctx -> update(ctx, false));
        r.register(StateOps.APPLY_GRADIENT_DESCENT, cpu, DType.FLOAT32, CpuStateKernels::applyGradientDescent);
        r.register(StateOps.APPLY_GRADIENT_DESCENT, cpu, DType.FLOAT64, CpuStateKernels::applyGradientDescent);
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            r.register(StateOps.MATMUL_APPLY_GRADIENT_DESCENT, cpu, d, CpuStateKernels::matmulApplyGradientDescent);
        }
    }

    /**
     * {@code var - alpha * op(a) op(b)}: the value is C of one GEMM with alpha' = -alpha and beta = 1, updated in
     * place when the variable's value is private (else a copy). For k up to the GEMM's K block (256) every element is
     * rounded as in the unfused ops (product, scale, difference); longer sums add the old value after the first block
     * (within float rounding of the unfused result).
     */
    private static Tensor[] matmulApplyGradientDescent(KernelContext ctx) {
        Tensor[] in = ctx.inputs();
        Attrs attrs = ctx.attrs();
        String name = attrs.getString("name");
        boolean ta = attrs.getBool("transposeA"), tb = attrs.getBool("transposeB");
        Tensor a = in[1], b = in[2];
        int m = a.shape().dim(ta ? 1 : 0), k = a.shape().dim(ta ? 0 : 1), n = b.shape().dim(tb ? 0 : 1);
        int lda = a.shape().dim(1), ldb = b.shape().dim(1);
        Tensor next = ctx.resources().writeInPlace(List.of(name), (values, writable) -> {
            Tensor stored = values[0];
            if (stored.dtype() != a.dtype() || stored.rank() != 2 || stored.shape().dim(0) != m
                    || stored.shape().dim(1) != n) {
                throw new OpException("MatMulApplyGradientDescent", "variable '" + name + "' holds "
                        + stored.spec() + ", cannot take a delta of " + a.dtype() + "(" + m + ", " + n + ")");
            }
            Tensor target = writable[0] ? stored : privateCopy(stored);
            if (stored.dtype() == DType.FLOAT32) {
                Gemm.sgemm(ta, tb, m, n, k, -in[0].floatValue(), (float[]) a.data(), 0, lda, (float[]) b.data(), 0,
                        ldb, 1f, (float[]) target.data(), 0, n);
            } else {
                Gemm.dgemm(ta, tb, m, n, k, -in[0].doubleValue(), (double[]) a.data(), 0, lda, (double[]) b.data(),
                        0, ldb, 1.0, (double[]) target.data(), 0, n);
            }
            return new Tensor[] {target};
        })[0];
        ctx.lendVariable(name, next);
        return new Tensor[] {next};
    }

    /** A dense copy of {@code t} in fresh memory (never the frame's pool: it becomes a variable's value). */
    static Tensor privateCopy(Tensor t) {
        Tensor dense = t.isDenseFromZero() ? t : t.dense();
        int n = Math.toIntExact(t.size());
        Object data = switch (dense.data()) {
            case float[] f -> java.util.Arrays.copyOf(f, n);
            case double[] d -> java.util.Arrays.copyOf(d, n);
            default -> throw new IllegalArgumentException("privateCopy: float32/float64 only, got " + t.dtype());
        };
        return Tensor.wrap(t.dtype(), t.shape(), data);
    }

    /**
     * {@code var - alpha * delta} in one pass, in place when the variable's value is private (else into a copy),
     * rounded like the unfused {@code Sub(var, Mul(delta, alpha))} (a product, then a difference: no fused
     * multiply-add), so the optimized graph gives the same bits.
     */
    private static Tensor[] applyGradientDescent(KernelContext ctx) {
        Tensor[] in = ctx.inputs();
        String name = ctx.attrs().getString("name");
        Tensor alpha = in[0];
        Tensor delta = in[1].isDenseFromZero() ? in[1] : in[1].dense();
        Tensor next = ctx.resources().writeInPlace(List.of(name), (values, writable) -> {
            Tensor stored = values[0];
            if (stored.dtype() != delta.dtype() || !stored.shape().equals(delta.shape())) {
                throw new OpException("ApplyGradientDescent", "variable '" + name + "' holds " + stored.spec()
                        + ", cannot take a delta of " + delta.spec());
            }
            Tensor old = stored.isDenseFromZero() ? stored : stored.dense();
            int n = Math.toIntExact(old.size());
            Tensor target;
            if (old.dtype() == DType.FLOAT32) {
                float a = alpha.floatValue();
                float[] v = (float[]) old.data(), d = (float[]) delta.data();
                float[] r = writable[0] ? v : new float[n];
                // one memory-bound pass: splitting it across cores gains little and waits for a second thread
                Parallel.forRange(n, 1 << 20, (from, to) -> subScaled(v, d, a, r, from, to));
                target = writable[0] ? stored : Tensor.wrap(DType.FLOAT32, old.shape(), r);
            } else {
                double a = alpha.doubleValue();
                double[] v = (double[]) old.data(), d = (double[]) delta.data();
                double[] r = writable[0] ? v : new double[n];
                for (int i = 0; i < n; i++) r[i] = v[i] - d[i] * a;
                target = writable[0] ? stored : Tensor.wrap(DType.FLOAT64, old.shape(), r);
            }
            return new Tensor[] {target};
        })[0];
        ctx.lendVariable(name, next);
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

    private static Tensor[] update(KernelContext ctx, boolean add) {
        Tensor delta = ctx.input(0);
        String name = ctx.attrs().getString("name");
        // read-modify-write under the manager's per-variable atomicity: parallel updates do not lose each other
        Tensor next = ctx.resources().update(name, old -> {
            Tensor v = ctx.call(add ? MathOps.ADD : MathOps.SUB, Attrs.EMPTY, old, delta)[0];
            if (!v.shape().equals(old.shape())) {
                throw new OpException(add ? "AssignAddVariable" : "AssignSubVariable", "variable '" + name
                        + "' of shape " + old.shape() + " cannot take a delta of shape " + delta.shape());
            }
            return v;
        });
        return new Tensor[] {next};
    }
}
