package org.nabla.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nabla.Shape;
import org.nabla.Tensor;

/**
 * The loops behind {@link CpuReductionKernels}. A reduction is first laid out as {@code [outer, red, inner]} over a
 * dense array: reduced axes that are already adjacent are merged in place, other layouts are permuted (one copy) so
 * that the reduced axes come last. Rows ({@code inner == 1}) are reduced with vector loops; otherwise whole input
 * rows are accumulated into an output row, so no path walks memory with a large stride. Independent outputs, or
 * pieces of one long row, run in parallel.
 */
final class ReduceLoops {
    private ReduceLoops() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** float32 sums add at most this many elements in float before moving the partial sum to a double. */
    private static final int BLOCK = 512;
    private static final int GRAIN = Broadcasting.GRAIN;
    /** Column sums add this many input rows in float before moving the partial row to doubles. */
    private static final int ROWS = 32;

    /** The reduction kinds; Any/All are Max/Min on 0/1 values. */
    enum Op { SUM, MEAN, MAX, MIN, PROD, LSE }

    /** A reduction laid out as {@code [outer, red, inner]} over {@code data}, dense from index 0. */
    record Plan(Object data, int outer, int red, int inner) {}

    /** True when the reduced axes of {@code dims} (ignoring size-1 axes) form one contiguous run. */
    static boolean isSimple(int[] dims, boolean[] mask) {
        int state = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) continue;
            if (mask[i]) {
                if (state == 2) return false;
                state = 1;
            } else if (state == 1) {
                state = 2;
            }
        }
        return true;
    }

    /** Lays out {@code x} (any strides) so that {@code mask} axes form the middle group of a dense array. */
    static Plan plan(Tensor x, boolean[] mask) {
        int[] dims = x.shape().dims();
        int outer = 1, red = 1, inner = 1, state = 0; // 0: leading kept axes, 1: reduced, 2: trailing kept
        boolean simple = true;
        for (int i = 0; i < dims.length && simple; i++) {
            if (dims[i] == 1) continue;
            if (mask[i]) {
                if (state == 2) simple = false;
                state = 1;
                red *= dims[i];
            } else if (state == 0) {
                outer *= dims[i];
            } else {
                state = 2;
                inner *= dims[i];
            }
        }
        if (simple) return new Plan(x.dense().data(), outer, red, inner);
        int rank = dims.length;
        int[] strides = x.strides();
        int[] pd = new int[rank];
        int[] ps = new int[rank];
        int k = 0;
        outer = 1;
        red = 1;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < rank; i++) {
                if (mask[i] == (pass == 1)) {
                    pd[k] = dims[i];
                    ps[k++] = strides[i];
                    if (pass == 0) outer *= dims[i]; else red *= dims[i];
                }
            }
        }
        Tensor permuted = Tensor.view(x, Shape.of(pd), x.offset(), ps).dense();
        return new Plan(permuted.data(), outer, red, 1);
    }

    /** Runs {@code unit(o, from, to)} over every output column range, splitting work across cores. */
    interface Unit {
        void run(int o, int from, int to);
    }

    static void forOutputs(Plan p, Unit unit) {
        long work = (long) p.outer * p.red * p.inner;
        if (p.outer >= Parallel.THREADS || work < 2L * GRAIN) {
            int grain = (int) Math.max(1, GRAIN / Math.max(1L, (long) p.red * p.inner));
            Parallel.forRange(p.outer, grain, (from, to) -> {
                for (int o = from; o < to; o++) unit.run(o, 0, p.inner);
            });
        } else {
            int grain = (int) Math.max(64, GRAIN / Math.max(1, p.red));
            for (int o = 0; o < p.outer; o++) {
                int oo = o;
                Parallel.forRange(p.inner, grain, (from, to) -> unit.run(oo, from, to));
            }
        }
    }

    // ---------------------------------------------------------------- float32

    static float[] reduceFloat(Plan p, Op op) {
        float[] x = (float[]) p.data;
        float[] z = new float[p.outer * p.inner];
        int red = p.red;
        if (p.inner == 1 && p.outer == 1 && red >= 2 * GRAIN && Parallel.THREADS > 1) {
            int chunks = Parallel.THREADS;
            double[] part = new double[chunks];
            Parallel.forRange(chunks, 1, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int a = (int) ((long) red * c / chunks), b = (int) ((long) red * (c + 1) / chunks);
                    part[c] = rowFloat(x, a, b - a, op == Op.MEAN ? Op.SUM : op);
                }
            });
            z[0] = (float) (op == Op.MEAN ? combine(part, Op.SUM) / red : combine(part, op));
            return z;
        }
        if (p.inner == 1) {
            Parallel.forRange(p.outer, Math.max(1, GRAIN / Math.max(1, red)), (from, to) -> {
                for (int o = from; o < to; o++) {
                    double v = rowFloat(x, o * red, red, op == Op.MEAN ? Op.SUM : op);
                    z[o] = (float) (op == Op.MEAN ? v / red : v);
                }
            });
            return z;
        }
        if (p.outer == 1 && Parallel.THREADS > 1 && (long) red * p.inner >= 2L * GRAIN && p.inner * 64L < red) {
            // Tall and narrow (a sum over the batch of [batch, features]): split the rows, then combine the rows.
            int chunks = Parallel.THREADS, inner = p.inner;
            Op part = op == Op.MEAN ? Op.SUM : op;
            float[][] partial = new float[chunks][inner];
            Parallel.forRange(chunks, 1, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int a = (int) ((long) red * c / chunks), b = (int) ((long) red * (c + 1) / chunks);
                    columnsFloat(x, 0, b - a, inner, 0, inner, part, partial[c], a * inner);
                }
            });
            double[] col = new double[chunks];
            for (int i = 0; i < inner; i++) {
                for (int c = 0; c < chunks; c++) col[c] = partial[c][i];
                double v = combine(col, part);
                z[i] = (float) (op == Op.MEAN ? v / red : v);
            }
            return z;
        }
        forOutputs(p, (o, from, to) -> columnsFloat(x, o, red, p.inner, from, to, op, z, 0));
        return z;
    }

    static double combine(double[] part, Op op) {
        double r = part[0];
        for (int i = 1; i < part.length; i++) {
            double v = part[i];
            r = switch (op) {
                case SUM, MEAN -> r + v;
                case PROD -> r * v;
                case MAX -> Math.max(r, v);
                case MIN -> Math.min(r, v);
                case LSE -> logAddExp(r, v);
            };
        }
        return r;
    }

    private static double logAddExp(double a, double b) {
        double m = Math.max(a, b);
        if (Double.isInfinite(m) || Double.isNaN(m)) return m;
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    /** One row of {@code n >= 1} elements. SUM uses float vector lanes within short blocks and a double across. */
    static double rowFloat(float[] x, int from, int n, Op op) {
        int end = from + n;
        switch (op) {
            case SUM -> {
                double total = 0;
                int i = from;
                while (i < end) {
                    int blockEnd = Math.min(end, i + BLOCK);
                    FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                    for (int vEnd = i + (blockEnd - i) / (4 * L) * (4 * L); i < vEnd; i += 4 * L) {
                        a0 = a0.add(FloatVector.fromArray(F, x, i));
                        a1 = a1.add(FloatVector.fromArray(F, x, i + L));
                        a2 = a2.add(FloatVector.fromArray(F, x, i + 2 * L));
                        a3 = a3.add(FloatVector.fromArray(F, x, i + 3 * L));
                    }
                    double s = VectorMath.sumLanes(a0.add(a1).add(a2.add(a3)));
                    for (; i < blockEnd; i++) s += x[i];
                    total += s;
                }
                return total;
            }
            case MAX, MIN -> {
                boolean max = op == Op.MAX;
                int i = from;
                float r = x[from];
                if (n >= 4 * L) {
                    FloatVector a0 = FloatVector.fromArray(F, x, from), a1 = a0, a2 = a0, a3 = a0;
                    for (int vEnd = from + n / (4 * L) * (4 * L); i < vEnd; i += 4 * L) {
                        FloatVector v0 = FloatVector.fromArray(F, x, i), v1 = FloatVector.fromArray(F, x, i + L);
                        FloatVector v2 = FloatVector.fromArray(F, x, i + 2 * L), v3 = FloatVector.fromArray(F, x, i + 3 * L);
                        if (max) {
                            a0 = a0.max(v0); a1 = a1.max(v1); a2 = a2.max(v2); a3 = a3.max(v3);
                        } else {
                            a0 = a0.min(v0); a1 = a1.min(v1); a2 = a2.min(v2); a3 = a3.min(v3);
                        }
                    }
                    FloatVector acc = max ? a0.max(a1).max(a2.max(a3)) : a0.min(a1).min(a2.min(a3));
                    if (acc.test(VectorOperators.IS_NAN).anyTrue()) return Float.NaN;
                    r = acc.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
                }
                for (; i < end; i++) r = max ? Math.max(r, x[i]) : Math.min(r, x[i]);
                return r;
            }
            case PROD -> {
                double r = 1;
                for (int i = from; i < end; i++) r *= x[i];
                return r;
            }
            case LSE -> {
                float m = (float) rowFloat(x, from, n, Op.MAX);
                if (Float.isInfinite(m) || Float.isNaN(m)) return m;
                FloatVector mv = FloatVector.broadcast(F, m);
                double s = 0;
                int i = from;
                while (i < end) {
                    int blockEnd = Math.min(end, i + BLOCK);
                    FloatVector acc = FloatVector.zero(F);
                    for (int vEnd = i + (blockEnd - i) / L * L; i < vEnd; i += L) {
                        acc = acc.add(VectorMath.exp(FloatVector.fromArray(F, x, i).sub(mv)));
                    }
                    s += VectorMath.sumLanes(acc);
                    for (; i < blockEnd; i++) s += Math.exp(x[i] - m);
                }
                return m + Math.log(s);
            }
            default -> throw new IllegalStateException(op.toString());
        }
    }

    /** Output columns {@code [from, to)} of outer index {@code o}: accumulates input rows into an output row. */
    private static void columnsFloat(float[] x, int o, int red, int inner, int from, int to, Op op, float[] z,
                                     int xOffset) {
        int len = to - from;
        int zb = o * inner + from;
        int base0 = xOffset + o * red * inner + from;
        switch (op) {
            case SUM, MEAN -> {
                double[] acc = new double[len];
                float[] part = new float[len];
                for (int r0 = 0; r0 < red; r0 += ROWS) {
                    System.arraycopy(x, base0 + r0 * inner, part, 0, len);
                    for (int r = r0 + 1, r1 = Math.min(red, r0 + ROWS); r < r1; r++) {
                        int b = base0 + r * inner, i = 0;
                        for (int bound = F.loopBound(len); i < bound; i += L) {
                            FloatVector.fromArray(F, part, i).add(FloatVector.fromArray(F, x, b + i)).intoArray(part, i);
                        }
                        for (; i < len; i++) part[i] += x[b + i];
                    }
                    for (int i = 0; i < len; i++) acc[i] += part[i];
                }
                for (int i = 0; i < len; i++) z[zb + i] = (float) (op == Op.MEAN ? acc[i] / red : acc[i]);
            }
            case PROD -> {
                double[] acc = new double[len];
                Arrays.fill(acc, 1);
                for (int r = 0; r < red; r++) {
                    int b = base0 + r * inner;
                    for (int i = 0; i < len; i++) acc[i] *= x[b + i];
                }
                for (int i = 0; i < len; i++) z[zb + i] = (float) acc[i];
            }
            case MAX, MIN -> extremeRows(x, base0, red, inner, len, op == Op.MAX, z, zb);
            case LSE -> {
                float[] m = new float[len];
                extremeRows(x, base0, red, inner, len, true, m, 0);
                double[] s = new double[len];
                float[] part = new float[len];
                for (int r0 = 0; r0 < red; r0 += ROWS) {
                    Arrays.fill(part, 0);
                    for (int r = r0, r1 = Math.min(red, r0 + ROWS); r < r1; r++) {
                        int b = base0 + r * inner, i = 0;
                        for (int bound = F.loopBound(len); i < bound; i += L) {
                            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, b + i)
                                    .sub(FloatVector.fromArray(F, m, i)));
                            FloatVector.fromArray(F, part, i).add(e).intoArray(part, i);
                        }
                        for (; i < len; i++) part[i] += (float) Math.exp(x[b + i] - m[i]);
                    }
                    for (int i = 0; i < len; i++) s[i] += part[i];
                }
                for (int i = 0; i < len; i++) {
                    z[zb + i] = Float.isInfinite(m[i]) || Float.isNaN(m[i]) ? m[i] : (float) (m[i] + Math.log(s[i]));
                }
            }
        }
    }

    private static void extremeRows(float[] x, int base0, int red, int inner, int len, boolean max, float[] z, int zb) {
        System.arraycopy(x, base0, z, zb, len);
        for (int r = 1; r < red; r++) {
            int b = base0 + r * inner;
            int i = 0;
            for (int bound = F.loopBound(len); i < bound; i += L) {
                FloatVector acc = FloatVector.fromArray(F, z, zb + i);
                FloatVector v = FloatVector.fromArray(F, x, b + i);
                (max ? acc.max(v) : acc.min(v)).intoArray(z, zb + i);
            }
            for (; i < len; i++) z[zb + i] = max ? Math.max(z[zb + i], x[b + i]) : Math.min(z[zb + i], x[b + i]);
        }
    }

    // ---------------------------------------------------------------- float64

    static double[] reduceDouble(Plan p, Op op) {
        double[] x = (double[]) p.data;
        double[] z = new double[p.outer * p.inner];
        int red = p.red;
        Op base = op == Op.MEAN ? Op.SUM : op;
        if (p.inner == 1 && p.outer == 1 && red >= 2 * GRAIN && Parallel.THREADS > 1 && op != Op.LSE) {
            int chunks = Parallel.THREADS;
            double[] part = new double[chunks];
            Parallel.forRange(chunks, 1, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int a = (int) ((long) red * c / chunks), b = (int) ((long) red * (c + 1) / chunks);
                    double[] acc = new double[1];
                    accumulateDouble(x, a, b - a, 1, 1, base, acc);
                    part[c] = acc[0];
                }
            });
            z[0] = op == Op.MEAN ? combine(part, Op.SUM) / red : combine(part, base);
            return z;
        }
        forOutputs(p, (o, from, to) -> {
            int len = to - from;
            int zb = o * p.inner + from;
            int b0 = o * red * p.inner + from;
            if (op == Op.LSE) {
                double[] m = new double[len];
                accumulateDouble(x, b0, red, p.inner, len, Op.MAX, m);
                double[] s = new double[len];
                for (int r = 0; r < red; r++) {
                    int b = b0 + r * p.inner;
                    for (int i = 0; i < len; i++) s[i] += Math.exp(x[b + i] - m[i]);
                }
                for (int i = 0; i < len; i++) {
                    z[zb + i] = Double.isInfinite(m[i]) || Double.isNaN(m[i]) ? m[i] : m[i] + Math.log(s[i]);
                }
                return;
            }
            double[] acc = new double[len];
            accumulateDouble(x, b0, red, p.inner, len, base, acc);
            for (int i = 0; i < len; i++) z[zb + i] = op == Op.MEAN ? acc[i] / red : acc[i];
        });
        return z;
    }

    private static void accumulateDouble(double[] x, int b0, int red, int inner, int len, Op op, double[] acc) {
        if (inner == 1 && len == 1) { // one row: a scalar accumulator with no array traffic
            double r = op == Op.PROD ? 1 : op == Op.SUM ? 0 : x[b0];
            for (int k = 0; k < red; k++) {
                double v = x[b0 + k];
                r = switch (op) {
                    case SUM -> r + v;
                    case PROD -> r * v;
                    case MAX -> Math.max(r, v);
                    default -> Math.min(r, v);
                };
            }
            acc[0] = r;
            return;
        }
        if (op == Op.MAX || op == Op.MIN) System.arraycopy(x, b0, acc, 0, len);
        else if (op == Op.PROD) Arrays.fill(acc, 1);
        for (int r = op == Op.MAX || op == Op.MIN ? 1 : 0; r < red; r++) {
            int b = b0 + r * inner;
            switch (op) {
                case SUM -> { for (int i = 0; i < len; i++) acc[i] += x[b + i]; }
                case PROD -> { for (int i = 0; i < len; i++) acc[i] *= x[b + i]; }
                case MAX -> { for (int i = 0; i < len; i++) acc[i] = Math.max(acc[i], x[b + i]); }
                default -> { for (int i = 0; i < len; i++) acc[i] = Math.min(acc[i], x[b + i]); }
            }
        }
    }

    // ---------------------------------------------------------------- integers and bool (as long)

    /** Integer reductions in 64-bit arithmetic; the caller narrows to the dtype (wrapping like C). */
    static long[] reduceLong(Plan p, Op op) {
        long[] x = (long[]) p.data;
        long[] z = new long[p.outer * p.inner];
        int red = p.red;
        forOutputs(p, (o, from, to) -> {
            if (p.inner == 1) { // one contiguous row per output: a scalar accumulator
                int b = o * red;
                long r = x[b];
                switch (op) {
                    case SUM, MEAN -> { for (int k = 1; k < red; k++) r += x[b + k]; }
                    case PROD -> { for (int k = 1; k < red; k++) r *= x[b + k]; }
                    case MAX -> { for (int k = 1; k < red; k++) r = Math.max(r, x[b + k]); }
                    default -> { for (int k = 1; k < red; k++) r = Math.min(r, x[b + k]); }
                }
                z[o] = op == Op.MEAN ? r / red : r;
                return;
            }
            int len = to - from;
            int zb = o * p.inner + from;
            int b0 = o * red * p.inner + from;
            if (op == Op.MAX || op == Op.MIN) System.arraycopy(x, b0, z, zb, len);
            else if (op == Op.PROD) Arrays.fill(z, zb, zb + len, 1);
            for (int r = op == Op.MAX || op == Op.MIN ? 1 : 0; r < red; r++) {
                int b = b0 + r * p.inner;
                switch (op) {
                    case SUM, MEAN -> { for (int i = 0; i < len; i++) z[zb + i] += x[b + i]; }
                    case PROD -> { for (int i = 0; i < len; i++) z[zb + i] *= x[b + i]; }
                    case MAX -> { for (int i = 0; i < len; i++) z[zb + i] = Math.max(z[zb + i], x[b + i]); }
                    default -> { for (int i = 0; i < len; i++) z[zb + i] = Math.min(z[zb + i], x[b + i]); }
                }
            }
            if (op == Op.MEAN) for (int i = 0; i < len; i++) z[zb + i] /= red;
        });
        return z;
    }

    /** int32 Sum/Max/Min/Prod in int arithmetic, which wraps exactly as 64-bit arithmetic narrowed would. */
    static int[] reduceInt(Plan p, Op op) {
        int[] x = (int[]) p.data;
        int[] z = new int[p.outer * p.inner];
        int red = p.red;
        forOutputs(p, (o, from, to) -> {
            if (p.inner == 1) { // one contiguous row per output: a scalar accumulator
                int b = o * red;
                int r = x[b];
                switch (op) {
                    case SUM, MEAN -> { for (int k = 1; k < red; k++) r += x[b + k]; }
                    case PROD -> { for (int k = 1; k < red; k++) r *= x[b + k]; }
                    case MAX -> { for (int k = 1; k < red; k++) r = Math.max(r, x[b + k]); }
                    default -> { for (int k = 1; k < red; k++) r = Math.min(r, x[b + k]); }
                }
                z[o] = op == Op.MEAN ? r / red : r;
                return;
            }
            int len = to - from;
            int zb = o * p.inner + from;
            int b0 = o * red * p.inner + from;
            if (op == Op.MAX || op == Op.MIN) System.arraycopy(x, b0, z, zb, len);
            else if (op == Op.PROD) Arrays.fill(z, zb, zb + len, 1);
            for (int r = op == Op.MAX || op == Op.MIN ? 1 : 0; r < red; r++) {
                int b = b0 + r * p.inner;
                switch (op) {
                    case SUM -> { for (int i = 0; i < len; i++) z[zb + i] += x[b + i]; }
                    case PROD -> { for (int i = 0; i < len; i++) z[zb + i] *= x[b + i]; }
                    case MAX -> { for (int i = 0; i < len; i++) z[zb + i] = Math.max(z[zb + i], x[b + i]); }
                    default -> { for (int i = 0; i < len; i++) z[zb + i] = Math.min(z[zb + i], x[b + i]); }
                }
            }
        });
        return z;
    }
}
