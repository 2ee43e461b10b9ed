package org.nabla.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.OpCall;

/**
 * The one reverse walk behind {@link Gradients#gradients} and {@link GradientTape} (micrograd's {@code backward}):
 * given the recorded calls in forward order, already pruned to those on a path from the sources, it visits them
 * backwards, sums the gradients that reached each output, applies the op's gradient function, and hands the results
 * to the inputs. Tensors are matched by identity. Gradient ops are ordinary op calls in the current context.
 */
final class Backprop {
    private Backprop() {}

    /** Gradients of the targets (seeded with {@code seeds}) for each tensor in {@code sources}; null when unreached. */
    static Tensor[] backward(List<OpCall> calls, List<Tensor> targets, List<Tensor> seeds, List<Tensor> sources) {
        return backward(calls, targets, seeds, sources, null);
    }

    /**
     * As {@link #backward(List, List, List, List)}, also handing each source's gradient to {@code ready} (with the
     * source's index) as soon as it is final: once the walk has passed the first call that reads the source, nothing
     * more can reach it. Data-parallel training starts all-reducing the last layers' gradients there, while the walk
     * goes on. {@code ready} may be null.
     */
    static Tensor[] backward(List<OpCall> calls, List<Tensor> targets, List<Tensor> seeds, List<Tensor> sources,
                             ObjIntConsumer<Tensor> ready) {
        Map<Tensor, List<Tensor>> grads = new IdentityHashMap<>();
        for (int i = 0; i < targets.size(); i++) accumulate(grads, targets.get(i), seeds.get(i));
        List<boolean[]> needs = inputsReachedFrom(calls, sources);
        List<List<Integer>> finalAfter = ready == null ? null : finalAfter(calls, sources, ready, grads);
        GradientRegistry gradients = GradientRegistry.global();
        for (int c = calls.size() - 1; c >= 0; c--) {
            OpCall call = calls.get(c).withNeeds(needs.get(c));
            Tensor[] outGrads = new Tensor[call.outputs().length];
            boolean any = false;
            for (int i = 0; i < outGrads.length; i++) {
                outGrads[i] = total(grads, call.output(i));
                any |= outGrads[i] != null;
            }
            if (any && call.op().isDifferentiable()) {
                Tensor[] inGrads = gradients.get(call.op()).apply(call, outGrads);
                for (int i = 0; i < inGrads.length && i < call.inputs().length; i++) {
                    if (inGrads[i] != null && carriesGradient(call.input(i))) {
                        accumulate(grads, call.input(i), inGrads[i]);
                    }
                }
            }
            if (finalAfter != null) for (int s : finalAfter.get(c)) ready.accept(total(grads, sources.get(s)), s);
        }
        Tensor[] out = new Tensor[sources.size()];
        for (int i = 0; i < out.length; i++) out[i] = total(grads, sources.get(i));
        return out;
    }

    /**
     * Per call, the sources whose gradient is final once the walk has processed it (those it is the first reader
     * of); sources no call reads are final already and go to {@code ready} now.
     */
    private static List<List<Integer>> finalAfter(List<OpCall> calls, List<Tensor> sources, ObjIntConsumer<Tensor> ready,
                                                  Map<Tensor, List<Tensor>> grads) {
        Map<Tensor, Integer> firstRead = new IdentityHashMap<>();
        for (int c = 0; c < calls.size(); c++) for (Tensor in : calls.get(c).inputs()) firstRead.putIfAbsent(in, c);
        List<List<Integer>> out = new ArrayList<>(calls.size());
        for (int c = 0; c < calls.size(); c++) out.add(new ArrayList<>(0));
        for (int s = 0; s < sources.size(); s++) {
            Integer c = firstRead.get(sources.get(s));
            if (c == null) ready.accept(total(grads, sources.get(s)), s);
            else out.get(c).add(s);
        }
        return out;
    }

    /** Per call (forward order), which inputs a source flows into, so gradient functions can skip the others. */
    private static List<boolean[]> inputsReachedFrom(List<OpCall> calls, List<Tensor> sources) {
        Map<Tensor, Boolean> reached = new IdentityHashMap<>();
        for (Tensor s : sources) reached.put(s, true);
        List<boolean[]> needs = new ArrayList<>(calls.size());
        for (OpCall call : calls) {
            boolean[] n = new boolean[call.inputs().length];
            boolean any = false;
            for (int i = 0; i < n.length; i++) {
                n[i] = reached.containsKey(call.input(i)) && carriesGradient(call.input(i));
                any |= n[i];
            }
            if (any) for (Tensor out : call.outputs()) reached.put(out, true);
            needs.add(n);
        }
        return needs;
    }

    /** Only floating-point tensors carry gradients; integer and bool values are constants to differentiation. */
    static boolean carriesGradient(Tensor t) { return t.dtype().isFloating() || t.dtype().isComplex(); }

    private static void accumulate(Map<Tensor, List<Tensor>> grads, Tensor t, Tensor g) {
        grads.computeIfAbsent(t, k -> new ArrayList<>(2)).add(g);
    }

    /** The sum of the gradients that reached {@code t} (kept as the single entry), or null. */
    private static Tensor total(Map<Tensor, List<Tensor>> grads, Tensor t) {
        List<Tensor> list = grads.get(t);
        if (list == null || list.isEmpty()) return null;
        if (list.size() > 1) {
            Tensor sum = list.get(0);
            for (int i = 1; i < list.size(); i++) sum = Ops.add(sum, list.get(i));
            list.clear();
            list.add(sum);
        }
        return list.get(0);
    }
}
