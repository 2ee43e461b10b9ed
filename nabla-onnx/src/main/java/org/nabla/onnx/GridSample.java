package org.nabla.onnx;

import java.util.ArrayList;
import java.util.List;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Tensor;

/**
 * ONNX GridSample (opset 16/20): samples X (N, C, D1..Dk) at the normalized coordinates of a grid (N, O1..Om, k),
 * whose last axis lists them innermost axis first (x, y, z). Coordinates are mapped to pixels (align_corners or
 * not), moved inside by the padding mode (border clamps, reflection mirrors, zeros leaves them), then interpolated:
 * nearest (rounded half to even), linear (2 neighbours per axis) or cubic (4, Keys with a = -0.75). Each neighbour
 * is fetched with the padding rule (zeros outside, clamped, or reflected again) by one gather over the flattened
 * pixels; all in float64 ops on the run-time grid, the spatial sizes known at import.
 */
final class GridSample {
    private GridSample() {}

    static Tensor apply(OnnxNode n) {
        Tensor x = n.required(0), grid = n.required(1);
        int k = x.rank() - 2;
        if (k < 1 || grid.rank() != k + 2) throw n.error("X " + x.shape() + " and grid " + grid.shape()
                + " do not fit (grid is (N, spatial..., " + k + "))");
        String mode = n.attrString("mode", n.opset() < 20 ? "bilinear" : "linear");
        mode = switch (mode) {
            case "bilinear" -> "linear";
            case "bicubic" -> "cubic";
            default -> mode;
        };
        String padding = n.attrString("padding_mode", "zeros");
        boolean align = n.attrInt("align_corners", 0) == 1;
        int batch = NnRules.knownDim(n, x, 0), channels = NnRules.knownDim(n, x, 1);
        int[] dims = new int[k];
        int pixels = 1;
        for (int i = 0; i < k; i++) pixels *= dims[i] = NnRules.knownDim(n, x, 2 + i);

        Tensor g = Ops.cast(grid, DType.FLOAT64);
        Tensor[] coord = new Tensor[k];
        Tensor[] parts = Ops.split(g, k, grid.rank() - 1);
        for (int i = 0; i < k; i++) {
            Tensor v = Ops.squeeze(parts[k - 1 - i], grid.rank() - 1); // the last axis lists x (innermost) first
            Tensor c = align ? Ops.mul(Ops.div(Ops.add(v, 1.0), 2.0), (double) (dims[i] - 1))
                    : Ops.div(Ops.sub(Ops.mul(Ops.add(v, 1.0), (double) dims[i]), 1.0), 2.0);
            if (mode.equals("nearest")) c = Ops.round(c);
            double lo = align ? 0 : -0.5, hi = align ? dims[i] - 1 : dims[i] - 0.5;
            if (padding.equals("border")) {
                c = Ops.where(Ops.logicalOr(Ops.less(c, lo), Ops.greater(c, hi)), Ops.clip(c, 0, dims[i] - 1), c);
            } else if (padding.equals("reflection")) {
                c = reflect(c, lo, hi);
            }
            coord[i] = c;
        }
        // Pixels as rows: (N * pixels, C), so one gather fetches every channel of a neighbour.
        int[] perm = new int[x.rank()];
        perm[0] = 0;
        for (int i = 0; i < k; i++) perm[1 + i] = 2 + i;
        perm[x.rank() - 1] = 1;
        Tensor rows = Ops.reshape(Ops.transpose(Ops.cast(x, DType.FLOAT64), perm), batch * pixels, channels);
        int[] batchShape = new int[grid.rank() - 1];
        java.util.Arrays.fill(batchShape, 1);
        batchShape[0] = batch;
        Tensor base = Ops.reshape(Ops.range(0, (long) batch * pixels, pixels, DType.INT64), batchShape);

        List<Tensor[]> offsets = new ArrayList<>(), weights = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Tensor c = coord[i];
            switch (mode) {
                case "nearest" -> {
                    offsets.add(new Tensor[] {c});
                    weights.add(new Tensor[] {null});
                }
                case "linear" -> {
                    Tensor f = Ops.floor(c), t = Ops.sub(c, f);
                    offsets.add(new Tensor[] {f, Ops.add(f, 1.0)});
                    weights.add(new Tensor[] {Ops.sub(1.0, t), t});
                }
                case "cubic" -> {
                    Tensor f = Ops.floor(c), t = Ops.sub(c, f);
                    offsets.add(new Tensor[] {Ops.sub(f, 1.0), f, Ops.add(f, 1.0), Ops.add(f, 2.0)});
                    weights.add(cubic(t));
                }
                default -> throw n.error("mode '" + mode + "' is not an ONNX value");
            }
        }
        Tensor sum = null;
        int per = offsets.get(0).length, combos = (int) Math.pow(per, k);
        for (int combo = 0; combo < combos; combo++) {
            Tensor flat = null, valid = null, w = null;
            int stride = pixels;
            for (int i = 0, rest = combo; i < k; i++, rest /= per) {
                int j = rest % per;
                Tensor idx = Ops.cast(offsets.get(i)[j], DType.INT64);
                Tensor ok = null;
                switch (padding) {
                    case "zeros" -> {
                        ok = Ops.logicalAnd(Ops.greaterEqual(idx, 0L), Ops.less(idx, (long) dims[i]));
                        idx = Ops.clip(idx, 0, dims[i] - 1);
                    }
                    case "border" -> idx = Ops.clip(idx, 0, dims[i] - 1);
                    case "reflection" -> {
                        double lo = align ? 0 : -0.5, hi = align ? dims[i] - 1 : dims[i] - 0.5;
                        // ONNX reflects the neighbour's index too, then truncates it.
                        idx = Ops.clip(Ops.cast(reflect(Ops.cast(idx, DType.FLOAT64), lo, hi), DType.INT64), 0,
                                dims[i] - 1);
                    }
                    default -> throw n.error("padding_mode '" + padding + "' is not an ONNX value");
                }
                stride /= dims[i];
                Tensor term = Ops.mul(idx, (long) stride);
                flat = flat == null ? term : Ops.add(flat, term);
                if (ok != null) valid = valid == null ? ok : Ops.logicalAnd(valid, ok);
                Tensor wi = weights.get(i)[j];
                if (wi != null) w = w == null ? wi : Ops.mul(w, wi);
            }
            Tensor picked = Ops.gather(rows, Ops.add(flat, base), 0); // (N, O..., C)
            if (valid != null) picked = Ops.where(Ops.expandDims(valid, -1), picked, Ops.zerosLike(picked));
            if (w != null) picked = Ops.mul(picked, Ops.expandDims(w, -1));
            sum = sum == null ? picked : Ops.add(sum, picked);
        }
        int rank = sum.rank();
        int[] back = new int[rank];
        back[0] = 0;
        back[1] = rank - 1;
        for (int i = 2; i < rank; i++) back[i] = i - 1;
        return Ops.cast(Ops.transpose(sum, back), x.dtype());
    }

    /** Mirrors values outside [lo, hi] back inside, bouncing between the borders (ONNX's reflect). */
    private static Tensor reflect(Tensor c, double lo, double hi) {
        double range = hi - lo;
        Tensor below = Ops.sub(lo, c), above = Ops.sub(c, hi);
        Tensor fromLo = bounce(below, range, lo, hi), fromHi = bounce(above, range, hi, lo);
        return Ops.where(Ops.less(c, lo), fromLo, Ops.where(Ops.greater(c, hi), fromHi, c));
    }

    /** The position {@code d} past the border {@code near}: an even number of ranges back from near, odd from far. */
    private static Tensor bounce(Tensor d, double range, double near, double far) {
        Tensor times = Ops.floor(Ops.div(Ops.maximum(d, 0.0), range));
        Tensor r = Ops.sub(d, Ops.mul(times, range));
        Tensor even = Ops.equal(Ops.mod(times, 2.0), 0.0);
        double toward = far > near ? 1 : -1;
        return Ops.where(even, Ops.add(Ops.mul(r, toward), near), Ops.sub(far, Ops.mul(r, toward)));
    }

    /** Keys' cubic weights (a = -0.75) of the neighbours at -1, 0, 1, 2 for a fraction t in [0, 1). */
    private static Tensor[] cubic(Tensor t) {
        double a = -0.75;
        Tensor p = Ops.add(t, 1.0), q = Ops.sub(1.0, t), s = Ops.sub(2.0, t);
        return new Tensor[] {
            Ops.sub(Ops.mul(Ops.add(Ops.mul(Ops.sub(Ops.mul(p, a), 5 * a), p), 8 * a), p), 4 * a),
            Ops.add(Ops.mul(Ops.mul(Ops.sub(Ops.mul(t, a + 2), a + 3), t), t), 1.0),
            Ops.add(Ops.mul(Ops.mul(Ops.sub(Ops.mul(q, a + 2), a + 3), q), q), 1.0),
            Ops.sub(Ops.mul(Ops.add(Ops.mul(Ops.sub(Ops.mul(s, a), 5 * a), s), 8 * a), s), 4 * a),
        };
    }
}
