package org.nabla.distributed.collective;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.device.CpuDevice;
import org.nabla.kernels.KernelContext;
import org.nabla.kernels.KernelRegistry;
import org.nabla.kernels.OpLibrary;
import org.nabla.ops.AttrType;
import org.nabla.ops.Attrs;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * The collective ops of nabla-distributed (TensorFlow's {@code CollectiveReduceV2}), an {@link OpLibrary} listed in
 * this module's {@code META-INF/services/org.nabla.kernels.OpLibrary}:
 * <ul>
 * <li>{@code CollectiveAllReduce(tensors...)}: the element-wise sum (or mean) of each input over the replicas of a
 *     {@link CollectiveGroup}, one output per input. Attributes: {@code group} (a {@link CollectiveGroups} key),
 *     {@code instance} (names the node among the group's collectives: every replica gives the matching node the same
 *     one), {@code reduction} ({@code "sum"} or {@code "mean"}) and {@code replicas} (the group's size, checked when
 *     it runs). Its CPU kernel runs the group's ring all-reduce on all inputs at once (they share buckets), keyed by
 *     the instance and how many times this task ran it before, so the n-th run on one task meets the n-th run on
 *     every other whether it came from a traced step or an eager call. Stateful, so every run of a traced step runs
 *     it, in program order with the step's other collectives (the same order on every replica, so replicas with one
 *     inter-op thread cannot wait on each other's different collectives).</li>
 * </ul>
 * Its gradient is the same all-reduce of the incoming gradients (sum to sum, mean to mean): with y = sum_r x_r and a
 * loss summed over replicas, dL/dx_r = sum_r dL_r/dy.
 */
public final class CollectiveOps implements OpLibrary {
    public static final OpDef ALL_REDUCE = OpDef.builder("CollectiveAllReduce")
            .variadicInput("tensors", 1)
            .attr("group", AttrType.STRING)
            .attr("instance", AttrType.STRING)
            .attr("reduction", AttrType.STRING, "sum")
            .attr("replicas", AttrType.LONG)
            .shape(CollectiveOps::allReduceShape)
            .stateful().internal()
            .summary("sum or mean of each float tensor over the replicas of a collective group (ring all-reduce)")
            .build();

    @Override
    public Collection<OpDef> ops() { return List.of(ALL_REDUCE); }

    /**
     * The sum ({@code mean} false) or mean over the replicas of {@code group} of each of {@code tensors} (float32 or
     * float64; eager or symbolic); {@code instance} names this call among the group's collectives, the same on every
     * replica.
     */
    public static List<Tensor> allReduce(CollectiveGroup group, String instance, boolean mean, List<Tensor> tensors) {
        if (tensors == null || tensors.isEmpty()) throw new IllegalArgumentException("allReduce: no tensors");
        Attrs attrs = Attrs.of("group", CollectiveGroups.keyOf(group), "instance", instance, "reduction",
                mean ? "mean" : "sum", "replicas", (long) group.size());
        return List.of(Ops.runMulti(ALL_REDUCE, attrs, tensors.toArray(Tensor[]::new)));
    }

    @Override
    public void registerGradients(GradientRegistry gradients) {
        gradients.register(ALL_REDUCE, (c, g) -> {
            List<Tensor> flowing = new ArrayList<>();
            for (Tensor t : g) if (t != null) flowing.add(t);
            Tensor[] out = new Tensor[g.length];
            if (flowing.isEmpty()) return out;
            Attrs a = c.attrs().with("instance", c.attrs().getString("instance") + "'");
            Tensor[] reduced = Ops.runMulti(ALL_REDUCE, a, flowing.toArray(Tensor[]::new));
            for (int i = 0, k = 0; i < g.length; i++) if (g[i] != null) out[i] = reduced[k++];
            return out;
        });
    }

    @Override
    public void registerKernels(KernelRegistry kernels) {
        kernels.register(ALL_REDUCE, CpuDevice.TYPE, DType.FLOAT32, CollectiveOps::allReduceKernel);
        kernels.register(ALL_REDUCE, CpuDevice.TYPE, DType.FLOAT64, CollectiveOps::allReduceKernel);
    }

    private static Tensor[] allReduceKernel(KernelContext ctx) {
        Attrs a = ctx.attrs();
        String key = a.getString("group");
        String instance = a.getString("instance");
        CollectiveGroup group = CollectiveGroups.get(key);
        if (group.size() != a.getLong("replicas")) {
            throw new OpException(ALL_REDUCE.name(), "the node was built for " + a.getLong("replicas")
                    + " replicas but group '" + key + "' has " + group.size());
        }
        long run = CollectiveGroups.nextRun(key, instance);
        List<Tensor> sums = group.allReduce("op:" + instance + "#" + run, List.of(ctx.inputs()));
        if (!a.getString("reduction").equals("mean") || group.size() == 1) return sums.toArray(Tensor[]::new);
        Tensor[] out = new Tensor[sums.size()];
        for (int i = 0; i < out.length; i++) out[i] = CollectiveGroup.scaled(sums.get(i), 1.0 / group.size());
        return out;
    }

    private static TensorSpec[] allReduceShape(TensorSpec[] in, Attrs a) {
        String op = ALL_REDUCE.name();
        for (int i = 0; i < in.length; i++) {
            if (in[i].dtype() != DType.FLOAT32 && in[i].dtype() != DType.FLOAT64) {
                throw new OpException(op, "input " + i + " is " + in[i] + "; only float32 and float64 are reduced");
            }
        }
        String reduction = a.getString("reduction");
        if (!reduction.equals("sum") && !reduction.equals("mean")) {
            throw new OpException(op, "reduction must be \"sum\" or \"mean\", got \"" + reduction + "\"");
        }
        if (a.getLong("replicas") < 1) throw new OpException(op, "replicas must be >= 1, got " + a.getLong("replicas"));
        if (a.getString("instance").isEmpty()) throw new OpException(op, "instance is empty");
        return in.clone();
    }
}
