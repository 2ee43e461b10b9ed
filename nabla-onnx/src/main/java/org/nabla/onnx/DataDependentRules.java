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
 * Operators whose output shape depends on input values: NonZero, Compress, Unique and NonMaxSuppression. Nabla's shapes are known when
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
        r.one("NonMaxSuppression", DataDependentRules::nonMaxSuppression);
    }

    /**
     * Greedy non-maximum suppression per batch and class: boxes above the score threshold in decreasing score (equal
     * scores in index order), each kept unless its IoU with a kept box exceeds the threshold, at most
     * max_output_boxes_per_class; rows (batch, class, box), int64. Boxes are corners [y1, x1, y2, x2] in any order,
     * or [x_center, y_center, width, height] with center_point_box 1.
     */
    private static Tensor nonMaxSuppression(OnnxNode n) {
        Tensor boxesT = n.constant(0), scoresT = n.constant(1);
        long maxOut = n.in(2) == null || n.constant(2).size() == 0 ? 0 : Math.max(0, n.constant(2).longValue());
        double iou = n.in(3) == null || n.constant(3).size() == 0 ? 0 : n.constant(3).doubleValue();
        boolean thresholded = n.in(4) != null && n.constant(4).size() > 0;
        double minScore = thresholded ? n.constant(4).doubleValue() : 0;
        boolean center = n.attrInt("center_point_box", 0) == 1;
        int batches = boxesT.shape().dim(0), count = boxesT.shape().dim(1), classes = scoresT.shape().dim(1);
        double[] boxes = boxesT.toDoubleArray(), scores = scoresT.toDoubleArray();
        List<long[]> picked = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            for (int c = 0; c < classes; c++) {
                int base = (b * classes + c) * count;
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < count; i++) if (!thresholded || scores[base + i] > minScore) order.add(i);
                order.sort((i, j) -> scores[base + i] != scores[base + j]
                        ? Double.compare(scores[base + j], scores[base + i]) : Integer.compare(i, j));
                List<Integer> kept = new ArrayList<>();
                for (int i : order) {
                    if (kept.size() >= maxOut) break;
                    boolean keep = true;
                    for (int k : kept) {
                        if (overlaps(boxes, (b * count + i) * 4, (b * count + k) * 4, center, iou)) {
                            keep = false;
                            break;
                        }
                    }
                    if (keep) {
                        kept.add(i);
                        picked.add(new long[] {b, c, i});
                    }
                }
            }
        }
        long[] out = new long[picked.size() * 3];
        for (int r = 0; r < picked.size(); r++) System.arraycopy(picked.get(r), 0, out, 3 * r, 3);
        return Tensors.of(out, picked.size(), 3);
    }

    /** Whether the IoU of the boxes at offsets {@code a} and {@code b} exceeds {@code threshold}. */
    private static boolean overlaps(double[] v, int a, int b, boolean center, double threshold) {
        double[] p = corners(v, a, center), q = corners(v, b, center);
        double w = Math.min(p[3], q[3]) - Math.max(p[1], q[1]), h = Math.min(p[2], q[2]) - Math.max(p[0], q[0]);
        if (w <= 0 || h <= 0) return false;
        double inter = w * h;
        double areaP = (p[2] - p[0]) * (p[3] - p[1]), areaQ = (q[2] - q[0]) * (q[3] - q[1]);
        double union = areaP + areaQ - inter;
        if (areaP <= 0 || areaQ <= 0 || union <= 0) return false;
        return inter / union > threshold;
    }

    /** [y_min, x_min, y_max, x_max] of a box. */
    private static double[] corners(double[] v, int o, boolean center) {
        if (center) {
            return new double[] {v[o + 1] - v[o + 3] / 2, v[o] - v[o + 2] / 2, v[o + 1] + v[o + 3] / 2,
                v[o] + v[o + 2] / 2};
        }
        return new double[] {Math.min(v[o], v[o + 2]), Math.min(v[o + 1], v[o + 3]), Math.max(v[o], v[o + 2]),
            Math.max(v[o + 1], v[o + 3])};
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
