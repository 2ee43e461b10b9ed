package org.nabla.onnx;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.nabla.Tensor;

/**
 * The ONNX operators Nabla imports (domain ai.onnx), each with its rule. Rules come from every {@link OnnxOpLibrary}
 * on the class path: nabla-onnx's own ({@link OnnxLibrary}, one class per family: {@link MathRules},
 * {@link ArrayRules}...) and any module's that imports its own operators. The static methods read the installed
 * rules; an instance is what a library registers into.
 */
public final class OnnxOperators {
    /** A rule and whether the operator is random (never folded at import time). */
    record Entry(ValueRule rule, boolean stateful) {}

    /** A rule over values of every kind: the sequence and optional operators, and those passing any value on. */
    @FunctionalInterface
    interface ValueRule {
        List<OnnxValue> apply(OnnxNode node);
    }

    private final Map<String, Entry> rules = new TreeMap<>();

    OnnxOperators() {}

    /** Whether {@code opType} of the standard domain can be imported. */
    public static boolean supports(String opType) { return OnnxLibrary.imports().rules.containsKey(opType); }

    /** Every operator that can be imported, sorted. */
    public static Set<String> names() { return Collections.unmodifiableSet(OnnxLibrary.imports().rules.keySet()); }

    static Entry get(String opType) { return OnnxLibrary.imports().rules.get(opType); }

    /** Imports ONNX operator {@code name} with {@code rule}; an operator has one rule. */
    public void rule(String name, OnnxRule rule) { add(name, new Entry(tensors(name, rule), false)); }

    /** Like {@link #rule}, for a random operator: its nodes are never computed at import time. */
    public void statefulRule(String name, OnnxRule rule) { add(name, new Entry(tensors(name, rule), true)); }

    /** Imports {@code name} with a rule that reads or gives sequences and optionals. */
    void valueRule(String name, ValueRule rule) { add(name, new Entry(rule, false)); }

    private static ValueRule tensors(String name, OnnxRule rule) {
        Objects.requireNonNull(rule, () -> "rule of ONNX operator " + name);
        return n -> {
            List<Tensor> out = rule.apply(n);
            List<OnnxValue> values = new java.util.ArrayList<>(out.size());
            for (Tensor t : out) values.add(t == null ? null : OnnxValue.of(t));
            return values;
        };
    }

    void one(String name, Function<OnnxNode, Tensor> f) { rule(name, n -> List.of(f.apply(n))); }

    /**
     * An elementwise operator of one input. Several of them are written as a few Nabla ops (Softsign, Mish, Sinh...);
     * for a float16 or bfloat16 input they compute in float32 and round once, as one ONNX kernel would.
     */
    void unary(String name, UnaryOperator<Tensor> f) { one(name, n -> inFloat32(n.required(0), f)); }

    /**
     * {@code f(x)}, computed in float32 and rounded back once when {@code x} is a 16-bit float (a float32 result; a
     * bool one, IsNaN's, stays).
     */
    static Tensor inFloat32(Tensor x, UnaryOperator<Tensor> f) {
        if (!x.dtype().isHalfPrecision()) return f.apply(x);
        Tensor y = f.apply(org.nabla.Ops.cast(x, org.nabla.DType.FLOAT32));
        return y.dtype() == org.nabla.DType.FLOAT32 ? org.nabla.Ops.cast(y, x.dtype()) : y;
    }

    void binary(String name, BinaryOperator<Tensor> f) {
        one(name, n -> {
            Tensor a = n.required(0), b = n.required(1);
            if (a.dtype() != b.dtype()) {
                throw n.error("inputs have different dtypes " + a.dtype() + " and " + b.dtype()
                        + "; ONNX requires the same type");
            }
            return f.apply(a, b);
        });
    }

    private void add(String name, Entry e) {
        Objects.requireNonNull(e.rule(), () -> "rule of ONNX operator " + name);
        if (rules.putIfAbsent(name, e) != null) throw new IllegalStateException("ONNX operator " + name + " twice");
    }
}
