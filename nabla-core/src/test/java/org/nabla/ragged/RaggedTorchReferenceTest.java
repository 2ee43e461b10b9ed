package org.nabla.ragged;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientTape;
import org.nabla.io.Json;

/**
 * Row reductions and padding of {@link RaggedTensor} against PyTorch 2.13 ({@code torch.segment_reduce},
 * {@code pad_sequence}, float64, gradients by autograd), eagerly and traced, and boolean masks against plain
 * indexing; from {@code scripts/references/torch_ragged_reference.py}'s checked-in output.
 */
class RaggedTorchReferenceTest {
    private static final double TOL = 1e-12;

    record Case(String label, Map<String, Object> data) {
        @Override public String toString() { return label; }
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = RaggedTorchReferenceTest.class.getResourceAsStream("/ragged/torch_ragged.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(m.get("name") + "#" + out.size() + (m.containsKey("lengths") ? " lengths "
                        + m.get("lengths") : ""), m));
            }
            return out.stream();
        }
    }

    @SuppressWarnings("unchecked")
    private static Tensor array(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        int[] dims = ((List<Object>) m.get("shape")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        double[] v = ((List<Object>) m.get("data")).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        return Tensor.wrap(DType.FLOAT64, Shape.of(dims), v);
    }

    @SuppressWarnings("unchecked")
    private static long[] lengths(Map<String, Object> d) {
        return ((List<Object>) d.get("lengths")).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
    }

    private static Function<Tensor, Tensor> computation(Map<String, Object> d) {
        long[] lengths = lengths(d);
        return switch ((String) d.get("name")) {
            case "reduce_sum" -> v -> RaggedTensor.fromRowLengths(v, lengths).reduceSum();
            case "reduce_max" -> v -> RaggedTensor.fromRowLengths(v, lengths).reduceMax();
            case "reduce_mean" -> v -> RaggedTensor.fromRowLengths(v, lengths).reduceMean();
            case "to_tensor" -> v -> RaggedTensor.fromRowLengths(v, lengths)
                    .toTensor(((Number) d.get("default")).doubleValue());
            default -> throw new IllegalArgumentException("unknown case " + d.get("name"));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchEagerlyAndTraced(Case c) {
        Map<String, Object> d = c.data();
        if (d.get("name").equals("boolean_mask")) {
            checkMask(d);
            return;
        }
        Tensor values = array(d.get("values")), w = array(d.get("weights"));
        Function<Tensor, Tensor> f = computation(d);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(values);
            Tensor out = f.apply(values);
            assertClose(c + " result", array(d.get("out")), out);
            assertClose(c + " gradient", array(d.get("grad_values")), tape.gradient(Ops.sum(Ops.mul(out, w)), values));
        }
        // traced: the row splits are constants of the graph, the values a parameter
        TracedFunction traced = TracedFunction.of(in -> {
            try (GradientTape tape = new GradientTape()) {
                tape.watch(in[0]);
                Tensor out = f.apply(in[0]);
                return new Tensor[] {out, tape.gradient(Ops.sum(Ops.mul(out, w)), in[0])};
            }
        });
        Tensor[] r = traced.call(values);
        assertClose(c + " traced result", array(d.get("out")), r[0]);
        assertClose(c + " traced gradient", array(d.get("grad_values")), r[1]);
    }

    @SuppressWarnings("unchecked")
    private static void checkMask(Map<String, Object> d) {
        Tensor data = array(d.get("data"));
        List<Object> m = (List<Object>) d.get("mask");
        byte[] mask = new byte[m.size()];
        for (int i = 0; i < mask.length; i++) mask[i] = (byte) ((Boolean) m.get(i) ? 1 : 0);
        RaggedTensor r = RaggedTensor.booleanMask(data, Tensor.wrap(DType.BOOL, data.shape(), mask));
        List<List<Number>> expected = (List<List<Number>>) d.get("rows");
        List<List<Number>> actual = r.toList();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).stream().map(Number::doubleValue).toList(),
                    actual.get(i).stream().map(Number::doubleValue).toList(), "row " + i);
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], TOL * (1 + Math.abs(e[i])), what + " at " + i);
    }
}
