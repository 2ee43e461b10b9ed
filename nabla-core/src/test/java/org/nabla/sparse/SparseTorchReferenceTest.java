package org.nabla.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Forward values and gradients of the sparse ops against PyTorch 2.13's sparse COO tensors (float64), from
 * {@code scripts/references/torch_sparse_reference.py}'s checked-in output. Each case runs eagerly (tape) and as a
 * traced graph; the loss is {@code sum(weights * result)}.
 */
class SparseTorchReferenceTest {
    private static final double TOL = 1e-12;

    record Case(String label, Map<String, Object> data) {
        @Override public String toString() { return label; }
    }

    @SuppressWarnings("unchecked")
    static Stream<Case> cases() throws IOException {
        try (InputStream in = SparseTorchReferenceTest.class.getResourceAsStream("/sparse/torch_sparse.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            for (Object c : (List<Object>) root.get("cases")) {
                Map<String, Object> m = (Map<String, Object>) c;
                out.add(new Case(m.get("name") + "#" + out.size() + describe(m), m));
            }
            return out.stream();
        }
    }

    private static String describe(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        for (String k : List.of("axes", "adjoint_a", "adjoint_b", "start", "size", "axis")) {
            if (m.containsKey(k)) b.append(' ').append(k).append('=').append(m.get(k));
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Tensor array(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        List<Object> shape = (List<Object>) m.get("shape"), data = (List<Object>) m.get("data");
        int[] dims = shape.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        double[] v = data.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        return Tensor.wrap(DType.FLOAT64, Shape.of(dims), v);
    }

    @SuppressWarnings("unchecked")
    private static long[] longs(Object o) {
        return ((List<Object>) o).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
    }

    @SuppressWarnings("unchecked")
    private static Tensor indices(Object o) {
        List<Object> rows = (List<Object>) o;
        int rank = rows.isEmpty() ? 0 : ((List<Object>) rows.get(0)).size();
        long[] flat = new long[rows.size() * rank];
        for (int r = 0; r < rows.size(); r++) System.arraycopy(longs(rows.get(r)), 0, flat, r * rank, rank);
        return Tensor.wrap(DType.INT64, Shape.of(rows.size(), rank), flat);
    }

    private static Tensor shape(Object o) {
        long[] s = longs(o);
        return Tensor.wrap(DType.INT64, Shape.of(s.length), s);
    }

    /** The case's computation: differentiable inputs in, {result, loss} out. */
    private static Function<Tensor[], Tensor[]> computation(Map<String, Object> d) {
        Tensor idx = indices(d.get("indices")), shp = shape(d.get("shape"));
        Tensor w = d.containsKey("weights") ? array(d.get("weights")) : null;
        Function<Tensor, Tensor[]> withLoss = out -> new Tensor[] {out, Ops.sum(Ops.mul(out, w))};
        return switch ((String) d.get("name")) {
            case "to_dense" -> x -> withLoss.apply(Sparse.toDense(new SparseTensor(idx, x[0], shp)));
            case "dense_add" -> x -> withLoss.apply(Sparse.add(new SparseTensor(idx, x[0], shp), x[1]));
            case "matmul" -> x -> withLoss.apply(Sparse.matmul(new SparseTensor(idx, x[0], shp), x[1],
                    (Boolean) d.get("adjoint_a"), (Boolean) d.get("adjoint_b")));
            case "reduce_sum" -> x -> withLoss.apply(Sparse.reduceSum(new SparseTensor(idx, x[0], shp),
                    longsAsInts(d.get("axes"))));
            case "reorder" -> x -> withLoss.apply(Sparse.reorder(new SparseTensor(idx, x[0], shp)).values());
            case "slice" -> x -> withLoss.apply(Sparse.slice(new SparseTensor(idx, x[0], shp), longs(d.get("start")),
                    longs(d.get("size"))).toDense());
            case "concat" -> x -> withLoss.apply(Sparse.concat(((Number) d.get("axis")).intValue(),
                    new SparseTensor(idx, x[0], shp),
                    new SparseTensor(indices(d.get("indices_b")), x[1], shape(d.get("shape_b")))).toDense());
            default -> throw new IllegalArgumentException("unknown case " + d.get("name"));
        };
    }

    private static int[] longsAsInts(Object o) {
        long[] l = longs(o);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
        return out;
    }

    /** The differentiable inputs and the expected gradients, in order. */
    private static List<Tensor[]> inputsAndGradients(Map<String, Object> d) {
        List<Tensor[]> r = new ArrayList<>();
        r.add(new Tensor[] {array(d.get("values")), array(d.get("grad_values"))});
        if (d.containsKey("b")) r.add(new Tensor[] {array(d.get("b")), array(d.get("grad_b"))});
        if (d.containsKey("values_b")) r.add(new Tensor[] {array(d.get("values_b")), array(d.get("grad_values_b"))});
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchEagerly(Case c) {
        Map<String, Object> d = c.data();
        if (d.get("name").equals("from_dense")) {
            SparseTensor s = Sparse.fromDense(array(d.get("x")));
            assertArrayEquals(indices(d.get("indices")).toLongArray(), s.indices().toLongArray());
            assertArrayEquals(array(d.get("out_values")).toDoubleArray(), s.values().toDoubleArray());
            return;
        }
        List<Tensor[]> io = inputsAndGradients(d);
        Tensor[] x = io.stream().map(p -> p[0]).toArray(Tensor[]::new);
        try (GradientTape tape = new GradientTape()) {
            for (Tensor t : x) tape.watch(t);
            Tensor[] r = computation(d).apply(x);
            check(c, d, r[0]);
            Tensor[] grads = tape.gradient(r[1], (Object[]) x);
            for (int i = 0; i < x.length; i++) assertClose(c + " gradient " + i, io.get(i)[1], grads[i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchInATracedGraph(Case c) {
        Map<String, Object> d = c.data();
        if (d.get("name").equals("from_dense")) {
            TracedFunction f = TracedFunction.of(in -> {
                SparseTensor s = Sparse.fromDense(in[0]);
                return new Tensor[] {s.indices(), s.values()};
            });
            Tensor[] r = f.call(array(d.get("x")));
            assertArrayEquals(indices(d.get("indices")).toLongArray(), r[0].toLongArray());
            assertArrayEquals(array(d.get("out_values")).toDoubleArray(), r[1].toDoubleArray());
            return;
        }
        List<Tensor[]> io = inputsAndGradients(d);
        Function<Tensor[], Tensor[]> body = computation(d);
        TracedFunction f = TracedFunction.of(in -> {
            try (GradientTape tape = new GradientTape()) {
                for (Tensor t : in) tape.watch(t);
                Tensor[] r = body.apply(in);
                Tensor[] g = tape.gradient(r[1], (Object[]) in);
                Tensor[] out = new Tensor[1 + g.length];
                out[0] = r[0];
                System.arraycopy(g, 0, out, 1, g.length);
                return out;
            }
        });
        Tensor[] r = f.call(io.stream().map(p -> p[0]).toArray(Tensor[]::new));
        check(c, d, r[0]);
        for (int i = 0; i < io.size(); i++) assertClose(c + " gradient " + i, io.get(i)[1], r[1 + i]);
    }

    private static void check(Case c, Map<String, Object> d, Tensor result) {
        if (d.containsKey("out")) assertClose(c + " result", array(d.get("out")), result);
        if (d.containsKey("out_values")) assertClose(c + " values", array(d.get("out_values")), result);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], TOL * (1 + Math.abs(e[i])), what + " at " + i);
        }
    }
}
