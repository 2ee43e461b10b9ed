package org.nabla.onnx;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.nabla.graph.Node;
import org.nabla.onnx.proto.AttributeProto;

/**
 * The Nabla ops that export to ONNX, each with its {@link ExportRule}. Rules come from every {@link OnnxOpLibrary} on
 * the class path: nabla-onnx's own ({@link OnnxLibrary}, one class per family: {@link MathExports},
 * {@link ReductionExports}, {@link ArrayExports}, {@link NnExports}, mirroring the import rules) and any module's that
 * exports its own ops. Placeholder, Const and ReadVariable are the graph's inputs and initializers and need no rule.
 */
public final class ExportOperators {
    private final Map<String, ExportRule> rules = new TreeMap<>();

    ExportOperators() {}

    /** Every Nabla op with an export rule, sorted. */
    static Set<String> names() { return Collections.unmodifiableSet(OnnxLibrary.exports().rules.keySet()); }

    static ExportRule get(String op) { return OnnxLibrary.exports().rules.get(op); }

    /** Exports Nabla op {@code op} (by name) with {@code rule}; an op has one rule. */
    public void rule(String op, ExportRule rule) {
        Objects.requireNonNull(rule, () -> "export rule of " + op);
        if (rules.putIfAbsent(op, rule) != null) throw new IllegalStateException("export rule for " + op + " twice");
    }

    /** An elementwise op written as one ONNX operator of the same inputs, with fixed attributes. */
    void same(String op, String onnxOp, AttributeProto... attrs) {
        rule(op, (n, w) -> elementwise(n, w, onnxOp, attrs));
    }

    /**
     * Writes elementwise {@code n} as {@code onnxOp} on its inputs: in NCHW when every input has an NCHW form (the
     * outputs of convolutions and pools: an elementwise op does not care about the layout), else as it is.
     */
    static void elementwise(Node n, OnnxGraphWriter w, String onnxOp, AttributeProto... attrs) {
        if (w.allNchw(n)) {
            List<String> l = new java.util.ArrayList<>();
            for (int i = 0; i < n.inputs().size(); i++) l.add(w.inputNchw(n, i));
            w.resultNchw(n, 0, onnxOp, l, attrs);
        } else {
            w.result(n, onnxOp, inputs(n, w), attrs);
        }
    }

    /** Every input of {@code n}, in order. */
    static List<String> inputs(Node n, OnnxGraphWriter w) {
        List<String> l = new java.util.ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) l.add(w.input(n, i));
        return l;
    }
}
