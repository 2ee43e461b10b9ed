package org.nabla.onnx;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.nabla.Tensor;
import java.util.List;

/**
 * The ONNX operators Nabla imports (domain ai.onnx), each with its rule. The rules live in one class per family
 * ({@link MathRules}, {@link ArrayRules}...), which register here.
 */
public final class OnnxOperators {
    /** A rule and whether the operator is random (never folded at import time). */
    record Entry(OnnxRule rule, boolean stateful) {}

    private static final Map<String, Entry> RULES = new TreeMap<>();

    static {
        MathRules.register();
        ReductionRules.register();
        ArrayRules.register();
        NnRules.register();
        LossRules.register();
        ControlFlowRules.register();
        IndexRules.register();
        GeneratorRules.register();
    }

    private OnnxOperators() {}

    /** Whether {@code opType} of the standard domain can be imported. */
    public static boolean supports(String opType) { return RULES.containsKey(opType); }

    /** Every operator that can be imported, sorted. */
    public static Set<String> names() { return java.util.Collections.unmodifiableSet(RULES.keySet()); }

    static Entry get(String opType) { return RULES.get(opType); }

    static void rule(String name, OnnxRule rule) { add(name, new Entry(rule, false)); }

    static void statefulRule(String name, OnnxRule rule) { add(name, new Entry(rule, true)); }

    static void one(String name, Function<OnnxNode, Tensor> f) { rule(name, n -> List.of(f.apply(n))); }

    static void unary(String name, UnaryOperator<Tensor> f) { one(name, n -> f.apply(n.required(0))); }

    static void binary(String name, BinaryOperator<Tensor> f) {
        one(name, n -> {
            Tensor a = n.required(0), b = n.required(1);
            if (a.dtype() != b.dtype()) {
                throw n.error("inputs have different dtypes " + a.dtype() + " and " + b.dtype()
                        + "; ONNX requires the same type");
            }
            return f.apply(a, b);
        });
    }

    private static void add(String name, Entry e) {
        if (RULES.putIfAbsent(name, e) != null) throw new IllegalStateException("ONNX operator " + name + " twice");
    }
}
