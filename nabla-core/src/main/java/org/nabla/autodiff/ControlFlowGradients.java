package org.nabla.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.eager.ExecutionContext;
import org.nabla.graph.ControlFlow;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphContext;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.ops.Attrs;
import org.nabla.ops.ControlFlowOps;
import org.nabla.ops.GradientRegistry;
import org.nabla.ops.GraphFunction;
import org.nabla.ops.OpCall;
import org.nabla.ops.OpDef;
import org.nabla.ops.OpException;
import org.nabla.ops.TensorSpec;

/**
 * Gradients of the control-flow ops ({@link ControlFlowOps}): Cond, Case and While. The rules differentiate the
 * ops' sub-graphs where the gradient is built, by replaying them ({@link #replay}) on the values they were called with
 * and applying the ordinary reverse walk (symbolic {@link Gradients#gradients} in a graph, a nested
 * {@link GradientTape} eagerly), so a branch or a loop body may hold any differentiable op, control flow included.
 *
 * <ul>
 *   <li><b>Cond / Case</b>: the gradient is another Cond (Case) node on the same selector whose branches are the
 *       gradient functions of the forward branches: branch b's gradient function takes the branch inputs and the
 *       output gradients, replays branch b and returns the gradient of every floating-point input (zeros where the
 *       branch does not use it, so all branches return the same dtypes). At run time only the gradient of the taken
 *       branch runs, so an untaken branch that would fail (say, an out-of-range gather) stays harmless.</li>
 *   <li><b>While</b>: the forward loop's values entering each iteration are needed. When the forward node already
 *       keeps them ({@code keepIntermediates}) its stacked outputs are used; otherwise the rule adds its
 *       {@code keepIntermediates} twin (same inputs; a body with side effects is replaced by its effect-free data
 *       path, so variable writes are not replayed). The backward pass is a {@code whileLoop} over
 *       {@code k = iterations-1 ... 0} with loop vars (k, the loop vars' gradients, the captures' accumulated
 *       gradients): its body gathers iteration k's loop vars from the stacks, replays the forward body on them
 *       (checkpointing at iteration boundaries: the body's inner intermediates are recomputed) and applies the body's
 *       gradient. The results are the gradients of the initial loop vars and of every captured tensor. A gradient
 *       reaching the stacked outputs themselves (second order) is added to iteration k's loop-var gradient.</li>
 * </ul>
 */
public final class ControlFlowGradients {
    private ControlFlowGradients() {}

    /** Registers these gradients. */
    public static void register(GradientRegistry gradients) {
        gradients.register(ControlFlowOps.COND, ControlFlowGradients::condGradient);
        gradients.register(ControlFlowOps.CASE, ControlFlowGradients::caseGradient);
        gradients.register(ControlFlowOps.WHILE, ControlFlowGradients::whileGradient);
    }

    // ---------------------------------------------------------------- Cond and Case

    private static Tensor[] condGradient(OpCall call, Tensor[] grads) {
        List<FuncGraph> branches = List.of(funcGraph("Cond", call.attrs().get("thenBranch")),
                funcGraph("Cond", call.attrs().get("elseBranch")));
        return branchGradient(call, grads, branches, ControlFlowOps.COND,
                g -> Attrs.of("thenBranch", g.get(0), "elseBranch", g.get(1)));
    }

    private static Tensor[] caseGradient(OpCall call, Tensor[] grads) {
        List<FuncGraph> branches = new ArrayList<>();
        for (GraphFunction f : (GraphFunction[]) call.attrs().get("branches")) branches.add(funcGraph("Case", f));
        return branchGradient(call, grads, branches, ControlFlowOps.CASE,
                g -> Attrs.of("branches", g.toArray(GraphFunction[]::new)));
    }

    /**
     * The gradient of a Cond or Case call: a node of the same op, on the same selector (input 0), whose branches are
     * the forward branches' gradient functions, on inputs (branch inputs, seeded output gradients, captures).
     */
    private static Tensor[] branchGradient(OpCall call, Tensor[] grads, List<FuncGraph> branches, OpDef op,
                                           java.util.function.Function<List<FuncGraph>, Attrs> attrsOf) {
        Tensor[] in = Arrays.copyOfRange(call.inputs(), 1, call.inputs().length);
        int[] seeded = seededOutputs(call.outputs(), grads, call.outputs().length);
        boolean[] diff = floating(in);
        Tensor[] result = new Tensor[call.inputs().length];
        if (seeded.length == 0 || count(diff) == 0) return result;
        List<TensorSpec> specs = new ArrayList<>();
        for (Tensor t : in) specs.add(t.spec());
        for (int s : seeded) specs.add(grads[s].spec());
        List<FuncGraph> gradBranches = new ArrayList<>();
        for (FuncGraph branch : branches) {
            gradBranches.add(FuncGraph.trace(branch.name() + "_grad", specs, args -> {
                Tensor[] x = Arrays.copyOf(args, in.length);
                Tensor[] seeds = Arrays.copyOfRange(args, in.length, args.length);
                return compact(vjp(branch, x, diff, seeded, seeds), diff);
            }));
        }
        List<Tensor> captures = FuncGraph.alignCaptures(gradBranches);
        List<Tensor> opInputs = new ArrayList<>();
        opInputs.add(call.input(0));
        opInputs.addAll(Arrays.asList(in));
        for (int s : seeded) opInputs.add(grads[s]);
        opInputs.addAll(captures);
        Tensor[] dx;
        try (ExecutionContext.Scope scope = graphOf(call.inputs())) {
            dx = Ops.runMulti(op, attrsOf.apply(gradBranches), opInputs.toArray(Tensor[]::new));
        }
        for (int i = 0, k = 0; i < in.length; i++) if (diff[i]) result[1 + i] = dx[k++];
        return result;
    }

    // ---------------------------------------------------------------- While

    private static Tensor[] whileGradient(OpCall call, Tensor[] grads) {
        Attrs attrs = call.attrs();
        FuncGraph body = funcGraph("While", attrs.get("body"));
        FuncGraph cond = funcGraph("While", attrs.get("cond"));
        int n = body.results().size();
        Tensor[] in = call.inputs();
        Tensor[] result = new Tensor[in.length];
        boolean[] diff = floating(in);
        if (count(diff) == 0) return result;
        try (ExecutionContext.Scope scope = graphOf(in)) {
            boolean keep = attrs.getBool("keepIntermediates");
            Tensor[] forward = keep ? call.outputs() : Ops.runMulti(ControlFlowOps.WHILE, attrs
                    .with("keepIntermediates", true).with("cond", withoutEffects(cond)).with("body",
                            withoutEffects(body)), in);
            Tensor[] stacks = Arrays.copyOfRange(forward, n, 2 * n);
            Tensor iterations = forward[2 * n];
            Tensor[] stackGrads = new Tensor[n];
            if (keep) {
                for (int i = 0; i < n; i++) if (grads[n + i] != null && diff[i]) stackGrads[i] = grads[n + i];
            }
            // Loop vars of the backward loop: k, the gradient of each floating loop var, then the accumulated
            // gradient of each floating capture.
            List<Integer> varIdx = new ArrayList<>();
            List<Integer> capIdx = new ArrayList<>();
            for (int i = 0; i < n; i++) if (diff[i]) varIdx.add(i);
            for (int j = n; j < in.length; j++) if (diff[j]) capIdx.add(j);
            if (varIdx.isEmpty()) return result; // no floating loop var: no gradient flows through the loop
            Tensor[] init = new Tensor[1 + varIdx.size() + capIdx.size()];
            init[0] = iterations.sub(1);
            for (int a = 0; a < varIdx.size(); a++) {
                int i = varIdx.get(a);
                init[1 + a] = grads[i] != null ? grads[i] : Ops.zerosLike(call.output(i));
            }
            for (int b = 0; b < capIdx.size(); b++) init[1 + varIdx.size() + b] = Ops.zerosLike(in[capIdx.get(b)]);
            int[] seeded = varIdx.stream().mapToInt(Integer::intValue).toArray();
            Tensor[] out = ControlFlow.whileLoop(v -> v[0].greaterEqual(0), v -> {
                Tensor k = v[0];
                Tensor[] args = new Tensor[in.length];
                for (int i = 0; i < n; i++) args[i] = Ops.gather(stacks[i], k);
                for (int j = n; j < in.length; j++) args[j] = Ops.identity(in[j]); // a local value to differentiate
                Tensor[] seeds = Arrays.copyOfRange(v, 1, 1 + varIdx.size());
                Tensor[] d = vjp(body, args, diff, seeded, seeds);
                Tensor[] next = new Tensor[v.length];
                next[0] = k.sub(1);
                for (int a = 0; a < varIdx.size(); a++) {
                    int i = varIdx.get(a);
                    next[1 + a] = stackGrads[i] == null ? d[i] : Ops.add(d[i], Ops.gather(stackGrads[i], k));
                }
                for (int b = 0; b < capIdx.size(); b++) {
                    int at = 1 + varIdx.size() + b;
                    next[at] = Ops.add(v[at], d[capIdx.get(b)]);
                }
                return next;
            }, init, -1, null);
            for (int a = 0; a < varIdx.size(); a++) result[varIdx.get(a)] = out[1 + a];
            for (int b = 0; b < capIdx.size(); b++) result[capIdx.get(b)] = out[1 + varIdx.size() + b];
            return result;
        }
    }

    /**
     * {@code f} itself when it has no side effects, else a function computing the same results from its data path
     * only (variable writes and other effects that the results do not depend on are left out).
     */
    private static FuncGraph withoutEffects(FuncGraph f) {
        if (Effects.effectfulNodes(f.graph()).isEmpty()) return f;
        return FuncGraph.trace(f.name() + "_data", f.inputSpecs(), args -> replay(f, args));
    }

    // ---------------------------------------------------------------- differentiating a function graph

    /**
     * The vector-Jacobian product of {@code f} at {@code args}: the gradient, for each argument marked in
     * {@code diff}, of the results listed in {@code seeded} weighted by {@code seeds}; zeros (of the argument's
     * runtime shape) for a marked argument the seeded results do not depend on, null for the others. In a graph the
     * replayed nodes and their gradient are added to the graph being built; eagerly a nested tape computes it.
     */
    static Tensor[] vjp(FuncGraph f, Tensor[] args, boolean[] diff, int[] seeded, Tensor[] seeds) {
        Tensor[] d;
        if (firstSymbolic(args) != null) {
            Tensor[] results = replay(f, args);
            List<Tensor> ys = new ArrayList<>();
            List<Tensor> gys = new ArrayList<>();
            List<Tensor> xs = new ArrayList<>();
            for (int s = 0; s < seeded.length; s++) {
                ys.add(results[seeded[s]]);
                gys.add(seeds[s]);
            }
            for (int i = 0; i < args.length; i++) if (diff[i]) xs.add(args[i]);
            d = spread(Gradients.gradients(ys, xs, gys).toArray(Tensor[]::new), diff);
        } else {
            Tensor[] x = args.clone();
            List<Tensor> sources = new ArrayList<>();
            try (GradientTape tape = new GradientTape(false, false)) {
                for (int i = 0; i < x.length; i++) {
                    if (!diff[i]) continue;
                    // A distinct object per argument (the tape matches by identity), made by an op so that an
                    // outer tape recording this gradient (second order) still connects it to the argument.
                    x[i] = Ops.identity(x[i]);
                    sources.add(tape.watch(x[i]));
                }
                Tensor[] results = replay(f, x);
                Tensor target = null;
                for (int s = 0; s < seeded.length; s++) {
                    Tensor term = Ops.sum(Ops.mul(results[seeded[s]], seeds[s]));
                    target = target == null ? term : Ops.add(target, term);
                }
                d = spread(tape.gradient(target, sources.toArray()), diff);
            }
        }
        for (int i = 0; i < args.length; i++) if (diff[i] && d[i] == null) d[i] = Ops.zerosLike(args[i]);
        return d;
    }

    /**
     * Replays the data path of {@code f} on {@code args} (declared parameters, then captures) in the current
     * context: the nodes its results depend on through data edges, in order. Unlike {@link ControlFlow#inline} it
     * leaves out effects the results do not depend on (a gradient must not write variables again).
     */
    static Tensor[] replay(FuncGraph f, Tensor[] args) {
        if (args.length != f.params().size()) {
            throw new IllegalArgumentException(f.name() + ": takes " + f.params().size() + " arguments (including "
                    + "captures), got " + args.length);
        }
        Map<Output, Tensor> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) values.put(f.params().get(i), args[i]);
        Set<Node> needed = new HashSet<>();
        Deque<Node> stack = new ArrayDeque<>();
        for (Output r : f.results()) stack.push(r.node());
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            if (!needed.add(node)) continue;
            for (Output o : node.inputs()) stack.push(o.node());
        }
        ExecutionContext ctx = ExecutionContext.current();
        for (Node node : f.graph().nodes()) {
            if (!needed.contains(node) || (node.numOutputs() > 0 && values.containsKey(new Output(node, 0)))) continue;
            Tensor[] in = new Tensor[node.inputs().size()];
            for (int i = 0; i < in.length; i++) in[i] = values.get(node.inputs().get(i));
            Tensor[] out;
            // a replayed node keeps its device request, so the backward pass of a multi-device body runs its
            // replay where the forward body ran
            try (Graph.ControlScope s = ctx.target() instanceof GraphContext g && !node.device().isEmpty()
                    ? g.graph().device(node.device()) : null) {
                out = ctx.execute(node.op(), node.attrs(), in);
            }
            for (int i = 0; i < out.length; i++) values.put(new Output(node, i), out[i]);
        }
        Tensor[] results = new Tensor[f.results().size()];
        for (int i = 0; i < results.length; i++) results[i] = values.get(f.results().get(i));
        return results;
    }

    // ---------------------------------------------------------------- helpers

    private static FuncGraph funcGraph(String op, Object attr) {
        if (attr instanceof FuncGraph f) return f;
        throw new OpException(op, "cannot differentiate sub-graph " + (attr instanceof GraphFunction g ? g.name()
                : String.valueOf(attr)) + ": gradients need function graphs (FuncGraph)");
    }

    /** Output indices whose gradient is present and which carry gradients. */
    private static int[] seededOutputs(Tensor[] outputs, Tensor[] grads, int upTo) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < upTo; i++) {
            if (grads[i] != null && Backprop.carriesGradient(outputs[i])) s.add(i);
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean[] floating(Tensor[] ts) {
        boolean[] f = new boolean[ts.length];
        for (int i = 0; i < ts.length; i++) f[i] = Backprop.carriesGradient(ts[i]);
        return f;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean x : b) if (x) c++;
        return c;
    }

    /**
     * Enters the graph of the symbolic {@code inputs} when no graph is being built (a tape that recorded
     * graph-building code answering its gradient call outside the graph's scope); else a scope that does nothing.
     */
    private static ExecutionContext.Scope graphOf(Tensor[] inputs) {
        Tensor symbolic = firstSymbolic(inputs);
        if (symbolic == null || ControlFlow.building()) return () -> { };
        return ((Output) symbolic.symbol()).graph().asDefault();
    }

    private static Tensor firstSymbolic(Tensor[] ts) {
        for (Tensor t : ts) if (t.isSymbolic()) return t;
        return null;
    }

    /** Gradients of the marked arguments (in order) put back at their argument positions. */
    private static Tensor[] spread(Tensor[] compact, boolean[] diff) {
        Tensor[] out = new Tensor[diff.length];
        for (int i = 0, k = 0; i < diff.length; i++) if (diff[i]) out[i] = compact[k++];
        return out;
    }

    private static Tensor[] compact(Tensor[] full, boolean[] diff) {
        Tensor[] out = new Tensor[count(diff)];
        for (int i = 0, k = 0; i < diff.length; i++) if (diff[i]) out[k++] = full[i];
        return out;
    }
}
