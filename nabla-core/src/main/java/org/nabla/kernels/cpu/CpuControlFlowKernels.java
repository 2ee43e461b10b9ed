package org.nabla.kernels.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.ArrayOps;
import org.nabla.ops.Attrs;
import org.nabla.ops.ControlFlowOps;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;
import org.nabla.storage.Strided;

/**
 * CPU kernels for {@link ControlFlowOps}: they run only the selected sub-graph, through
 * {@link KernelContext#callFunction} (so within the caller's run: its variables, step and cancellation). The
 * kernels take any dtype and pass views through untouched (the sub-graph's own kernels densify what they need).
 */
public final class CpuControlFlowKernels {
    private CpuControlFlowKernels() {}

    /** Registers this family's CPU kernels. */
    public static void register(KernelRegistry r) {
        String cpu = CpuDevice.TYPE;
        r.register(ControlFlowOps.COND, cpu, (DType) null, ctx -> {
            boolean pred = ctx.input(0).booleanValue();
            GraphFunction branch = (GraphFunction) ctx.attrs().get(pred ? "thenBranch" : "elseBranch");
            return checked("Cond", branch, ctx.callFunction(branch, operands(ctx)), ctx.outputSpecs(), 0);
        }, true);
        r.register(ControlFlowOps.CASE, cpu, (DType) null, ctx -> {
            GraphFunction[] branches = (GraphFunction[]) ctx.attrs().get("branches");
            int index = ctx.input(0).intValue();
            GraphFunction branch = branches[index < 0 || index >= branches.length ? branches.length - 1 : index];
            return checked("Case", branch, ctx.callFunction(branch, operands(ctx)), ctx.outputSpecs(), 0);
        }, true);
        r.register(ControlFlowOps.WHILE, cpu, (DType) null, CpuControlFlowKernels::whileLoop, true);
    }

    /** The branch arguments of Cond and Case: every input after the predicate or index. */
    private static Tensor[] operands(KernelContext ctx) {
        return Arrays.copyOfRange(ctx.inputs(), 1, ctx.inputCount());
    }

    /**
     * Runs the loop. With keepIntermediates, the loop vars entering each iteration are kept and returned stacked
     * ({@code [iterations, ...]} per loop var) with the iteration count: what a gradient needs to replay the body
     * backwards.
     */
    private static Tensor[] whileLoop(KernelContext ctx) {
        Tensor[] in = ctx.inputs();
        Attrs attrs = ctx.attrs();
        TensorSpec[] out = ctx.outputSpecs();
        GraphFunction cond = (GraphFunction) attrs.get("cond");
        GraphFunction body = (GraphFunction) attrs.get("body");
        int max = attrs.getInt("maximumIterations");
        boolean keep = attrs.getBool("keepIntermediates");
        int n = body.outputSpecs().size();
        Tensor[] args = in.clone();
        List<List<Tensor>> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) kept.add(new ArrayList<>());
        int iterations = 0;
        while (max < 0 || iterations < max) {
            if (ctx.isCancelled()) throw new OpException("While", "the run was cancelled after " + iterations
                    + " iterations");
            if (!ctx.callFunction(cond, iterations, args)[0].booleanValue()) break;
            Tensor[] next = checked("While", body, ctx.callFunction(body, iterations, args), out, 0);
            for (int i = 0; i < n; i++) {
                if (keep) kept.get(i).add(args[i]);
                args[i] = next[i];
            }
            iterations++;
        }
        Tensor[] result = new Tensor[keep ? 2 * n + 1 : n];
        System.arraycopy(args, 0, result, 0, n);
        if (keep) {
            for (int i = 0; i < n; i++) result[n + i] = stack(ctx, kept.get(i), in[i], i);
            result[2 * n] = Tensor.wrap(DType.INT32, Shape.SCALAR, new int[] {iterations});
        }
        return result;
    }

    private static Tensor stack(KernelContext ctx, List<Tensor> values, Tensor initial, int loopVar) {
        if (values.isEmpty()) {
            int[] dims = initial.shape().dims();
            int[] stacked = new int[dims.length + 1];
            System.arraycopy(dims, 0, stacked, 1, dims.length);
            return Tensor.wrap(initial.dtype(), Shape.of(stacked), emptyArray(initial.dtype()));
        }
        Shape first = values.get(0).shape();
        for (Tensor t : values) {
            if (!t.shape().equals(first)) {
                throw new OpException("While", "keepIntermediates: loop var " + loopVar + " changed shape from "
                        + first + " to " + t.shape() + " across iterations, so its values cannot be stacked");
            }
        }
        return ctx.call(ArrayOps.STACK, Attrs.of("axis", 0), values.toArray(Tensor[]::new))[0];
    }

    private static Object emptyArray(DType dtype) {
        return Strided.allocate(dtype.storage(), 0);
    }

    /** Checks that a sub-graph's results fit the op's declared outputs (from {@code from} on). */
    private static Tensor[] checked(String op, GraphFunction f, Tensor[] results, TensorSpec[] out, int from) {
        for (int i = 0; i < results.length; i++) {
            TensorSpec want = out[from + i];
            if (results[i].dtype() != want.dtype() || !results[i].shape().isCompatibleWith(want.shape())) {
                throw new OpException(op, f.name() + " returned " + results[i].spec() + " as output " + i
                        + " but the op declares " + want);
            }
        }
        return results;
    }
}
