package org.nabla.onnx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nabla.Ops;
import org.nabla.eager.EagerContext;
import org.nabla.eager.ExecutionContext;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * Operators whose output shape depends on input values: NonZero, Compress and Unique. Nabla's shapes are known when
 * a graph is built (like XLA's), so these need the values they depend on at import time (initializers, constants,
 * or graph inputs bound with {@code ImportOptions.withBindings}); otherwise the import names the input.
 */
final class DataDependentRules {
    private DataDependentRules() {}

    static void register(OnnxOperators r) {
        r.one("NonZero", n -> nonZero(n.constant(0)));
        r.one("Compress", n -> {
            Tensor x = n.required(0);
            long[] keep = n.constant(1).toLongArray();
            List<Long> picked = new ArrayList<>();
            for (int i = 0; i < keep.length; i++) if (keep[i] != 0) picked.add((long) i);
            Tensor idx = Tensors.of(picked.stream().mapToLong(Long::longValue).toArray(), picked.size());
            if (!n.hasAttr("axis")) return Ops.gather(Ops.reshape(x, -1), idx, 0);
            return Ops.gather(x, idx, IndexRules.axis(n, x));
        });
        r.rule("Unique", DataDependentRules::unique);
    }

    /** The indices of the non-zero elements, one row per axis (int64, shape (rank, count)). */
    private static Tensor nonZero(Tensor x) {
        double[] v = x.toDoubleArray();
        int[] dims = x.shape().dims();
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < v.length; i++) if (v[i] != 0) hits.add(i);
        int rank = dims.length, count = hits.size();
        long[] out = new long[rank * count];
        for (int j = 0; j < count; j++) {
            int flat = hits.get(j);
            for (int a = rank - 1; a >= 0; a--) {
                out[a * count + j] = flat % dims[a];
                flat /= dims[a];
            }
        }
        return Tensors.of(out, rank, count);
    }

    /**
     * Unique elements (or slices along {@code axis}), sorted or in order of first occurrence, with the index of each
     * one's first occurrence, each input element's (slice's) position in the result, and the counts.
     */
    private static List<Tensor> unique(OnnxNode n) {
        try (var eager = ExecutionContext.enter(EagerContext.INSTANCE)) { // computed now, constants in a graph
            return unique(n, n.constant(0));
        }
    }

    private static List<Tensor> unique(OnnxNode n, Tensor x) {
        boolean flat = !n.hasAttr("axis");
        int axis = flat ? 0 : IndexRules.axis(n, x);
        Tensor rows = flat ? Ops.reshape(x, -1, 1) : moveToFront(x, axis);
        int count = rows.shape().dim(0), width = count == 0 ? 0 : (int) (rows.size() / count);
        double[] v = rows.toDoubleArray();
        Map<List<Double>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            List<Double> key = new ArrayList<>(width);
            for (int j = 0; j < width; j++) key.add(v[i * width + j]);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        List<List<Double>> keys = new ArrayList<>(groups.keySet());
        if (n.attrInt("sorted", 1) == 1) keys.sort(LEXICOGRAPHIC);
        long[] first = new long[keys.size()], counts = new long[keys.size()], inverse = new long[count];
        for (int u = 0; u < keys.size(); u++) {
            List<Integer> members = groups.get(keys.get(u));
            first[u] = members.get(0);
            counts[u] = members.size();
            for (int i : members) inverse[i] = u;
        }
        Tensor picked = Ops.gather(rows, Tensors.of(first, first.length), 0);
        Tensor y;
        if (flat) {
            y = Ops.reshape(picked, -1);
        } else {
            int[] dims = x.shape().dims().clone();
            dims[axis] = keys.size();
            int[] front = dims.clone();
            front[0] = dims[axis];
            for (int a = 0, k = 1; a < dims.length; a++) if (a != axis) front[k++] = dims[a];
            y = Ops.reshape(picked, front);
            int[] back = new int[dims.length];
            for (int a = 0, k = 1; a < dims.length; a++) back[a] = a == axis ? 0 : k++;
            y = Ops.transpose(y, back);
        }
        return List.of(y, Tensors.of(first, first.length), Tensors.of(inverse, count),
                Tensors.of(counts, counts.length));
    }

    private static final Comparator<List<Double>> LEXICOGRAPHIC = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = Double.compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return 0;
    };

    /** {@code x} with {@code axis} first and the other axes flattened: (dim, rest). */
    private static Tensor moveToFront(Tensor x, int axis) {
        int[] perm = new int[x.rank()];
        perm[0] = axis;
        for (int a = 0, k = 1; a < x.rank(); a++) if (a != axis) perm[k++] = a;
        return Ops.reshape(Ops.transpose(x, perm), x.shape().dim(axis), -1);
    }
}
