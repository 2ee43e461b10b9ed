package org.nabla.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.graph.FuncGraph;
import org.nabla.ops.TensorSpec;

/**
 * If and Loop onto Nabla's functional control flow ({@code Ops.cond}, {@code Ops.whileLoop}): the sub-graphs become
 * the traced branches and body, reading outer values by capture. A condition known at import time picks its branch
 * then and there.
 */
final class ControlFlowRules {
    private ControlFlowRules() {}

    static void register(OnnxOperators r) {
        r.valueRule("If", ControlFlowRules::ifThenElse);
        r.valueRule("Loop", ControlFlowRules::loopOrUnrolled);
        r.rule("Scan", Scan::apply);
    }

    /** A condition known at import picks its branch (whose outputs may be sequences or optionals); else a cond. */
    private static List<OnnxValue> ifThenElse(OnnxNode n) {
        Tensor known = n.known(0);
        if (known != null) return n.subgraphValues(scalarTrue(known, n) ? "then_branch" : "else_branch", List.of());
        Tensor pred = scalar(n.required(0), n);
        Tensor[] out = Ops.cond(pred, () -> n.subgraph("then_branch", List.of()).toArray(Tensor[]::new),
                () -> n.subgraph("else_branch", List.of()).toArray(Tensor[]::new));
        return wrap(List.of(out));
    }

    private static List<OnnxValue> wrap(List<Tensor> tensors) {
        List<OnnxValue> out = new ArrayList<>();
        for (Tensor t : tensors) out.add(OnnxValue.of(t));
        return out;
    }

    /**
     * A Nabla while-loop, unless the loop carries sequences or optionals, or its body needs a value known at import
     * (a Slice bound from the iteration count, say) and the trip count is known: then it is unrolled at import.
     */
    private static List<OnnxValue> loopOrUnrolled(OnnxNode n) {
        if (carriesStructure(n)) return UnrolledLoop.apply(n);
        try {
            return wrap(loop(n));
        } catch (UnsupportedOnnxException e) {
            if (n.in(0) == null || n.known(0) == null || n.in(1) != null && n.known(1) == null) throw e;
            return UnrolledLoop.apply(n);
        }
    }

    /** Whether a loop-carried value is a sequence or optional, whose structure changes per iteration. */
    private static boolean carriesStructure(OnnxNode n) {
        for (int i = 2; i < n.inputCount(); i++) if (!(n.value(i) instanceof OnnxValue.TensorValue)) return true;
        return false;
    }

    /** ONNX conditions are one-element bool tensors of any rank. */
    private static Tensor scalar(Tensor c, OnnxNode n) {
        if (c.dtype() != DType.BOOL) throw n.error("condition must be bool, got " + c.dtype());
        if (c.rank() == 0) return c;
        if (c.shape().isFullyDefined() && c.size() != 1) {
            throw n.error("condition must hold one element, got shape " + c.shape());
        }
        return Ops.reshape(c);
    }

    static boolean scalarTrue(Tensor c, OnnxNode n) {
        if (c.size() != 1) throw n.error("condition must hold one element, got shape " + c.shape());
        return c.toLongArray()[0] != 0;
    }

    /**
     * Loop(M, cond, v...): body(i, cond, v...) -> (cond', v'..., scan...) while i < M and cond. Loop-carried values
     * become while-loop variables; each scan output is gathered along a new first axis.
     */
    private static List<Tensor> loop(OnnxNode n) {
        int[] arity = n.subgraphArity("body");
        Tensor tripCount = n.in(0) == null ? null : Ops.reshape(Ops.cast(n.in(0), DType.INT64));
        Tensor cond0 = n.in(1) == null ? Tensors.scalar(true) : scalar(n.in(1), n);
        List<Tensor> carried = new ArrayList<>();
        for (int i = 2; i < n.inputCount(); i++) carried.add(n.required(i));
        int nCarried = carried.size();
        if (arity[0] != nCarried + 2) {
            throw n.error("body takes " + arity[0] + " inputs, expected 2 + " + nCarried + " loop-carried values");
        }
        int nScan = arity[1] - 1 - nCarried;
        if (nScan < 0) throw n.error("body gives " + arity[1] + " outputs, expected at least 1 + " + nCarried);
        List<TensorSpec> scanSpecs = nScan == 0 ? List.of() : scanSpecs(n, carried, nCarried, nScan);

        List<Tensor> vars = new ArrayList<>();
        vars.add(Tensors.scalar(0L));
        vars.add(cond0);
        vars.addAll(carried);
        Shape[] invariants = new Shape[vars.size() + nScan];
        invariants[0] = Shape.SCALAR;
        invariants[1] = Shape.SCALAR;
        for (int i = 0; i < nCarried; i++) invariants[2 + i] = unknownDims(carried.get(i).shape());
        for (int k = 0; k < nScan; k++) {
            TensorSpec s = scanSpecs.get(k);
            int[] d = new int[s.shape().rank() + 1];
            d[0] = 0;
            System.arraycopy(s.shape().dims(), 0, d, 1, s.shape().rank());
            for (int x = 1; x < d.length; x++) {
                if (d[x] < 0) throw n.unsupported("scan output " + k + " has a dimension unknown before the loop runs "
                        + "(" + s + ")");
            }
            vars.add(Ops.zeros(s.dtype(), d));
            d[0] = -1;
            invariants[2 + nCarried + k] = Shape.of(d);
        }
        Tensor[] result = Ops.whileLoop(v -> tripCount == null ? v[1] : Ops.logicalAnd(Ops.less(v[0], tripCount), v[1]),
                v -> {
                    List<Tensor> in = new ArrayList<>(Arrays.asList(v).subList(0, 2 + nCarried));
                    List<Tensor> out = n.subgraph("body", in);
                    Tensor[] next = new Tensor[v.length];
                    next[0] = Ops.add(v[0], 1L);
                    next[1] = scalar(out.get(0), n);
                    for (int i = 0; i < nCarried; i++) next[2 + i] = out.get(1 + i);
                    for (int k = 0; k < nScan; k++) {
                        Tensor acc = v[2 + nCarried + k];
                        next[2 + nCarried + k] = Ops.concat(0, acc, Ops.expandDims(out.get(1 + nCarried + k), 0));
                    }
                    return next;
                }, vars.toArray(Tensor[]::new), -1, invariants);
        return List.of(Arrays.copyOfRange(result, 2, result.length));
    }

    /** The dtype and shape of each scan output's per-iteration value, from tracing the body once. */
    private static List<TensorSpec> scanSpecs(OnnxNode n, List<Tensor> carried, int nCarried, int nScan) {
        List<TensorSpec> in = new ArrayList<>();
        in.add(TensorSpec.of(DType.INT64, Shape.SCALAR));
        in.add(TensorSpec.of(DType.BOOL, Shape.SCALAR));
        for (Tensor t : carried) in.add(t.spec());
        FuncGraph probe = FuncGraph.trace("onnx_loop_probe", in,
                args -> n.subgraph("body", Arrays.asList(args)).toArray(Tensor[]::new));
        return probe.outputSpecs().subList(1 + nCarried, 1 + nCarried + nScan);
    }

    private static Shape unknownDims(Shape s) {
        int[] d = new int[s.rank()];
        Arrays.fill(d, -1);
        return Shape.of(d);
    }
}
