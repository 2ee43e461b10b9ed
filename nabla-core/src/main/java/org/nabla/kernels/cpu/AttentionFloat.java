package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 ScaledDotProductAttention kernels. Each (batch, head) pair is one task, and tasks are spread over the
 * kernel threads (each writes only its own rows of the outputs, so results do not depend on the thread count). A task
 * walks its query rows in blocks small enough that the block's scores [rows, Tk] (and in the backward pass the
 * gradient of the probabilities beside them) stay in the core's cache: scores by {@link Gemm}, masked, softmax and
 * log-sum-exp with vector lanes, then times V; the backward pass rebuilds the probabilities from the log-sum-exp and
 * accumulates dK and dV over the blocks in order.
 */
final class AttentionFloat {
    private AttentionFloat() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** A masked score: Keras' dot-product attention uses -0.7 * max (finite, so a fully masked row is uniform). */
    static final float LOWEST = -0.7f * Float.MAX_VALUE;
    /**
     * Floats of one score block: 64K (256 KB; twice that in the backward pass) fits a 1 MB L2 beside K and V; bigger
     * blocks pack K and V fewer times (measured at Tq = Tk = 200, one thread: forward 7.9 ms with 16K, 7.1 with 64K).
     */
    private static final int BLOCK_FLOATS = Integer.getInteger("nabla.attention.blockFloats", 1 << 16);

    /** Each thread's two score-sized scratch blocks, grown on demand. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    /** Query rows per block: the rows split evenly into blocks of at most BLOCK_FLOATS scores. */
    static int blockRows(int tq, int tk) {
        int most = Math.max(1, BLOCK_FLOATS / Math.max(1, tk));
        int blocks = (tq + most - 1) / most;
        return Math.max(1, (tq + blocks - 1) / Math.max(1, blocks));
    }

    /** (batch, head) tasks per thread: enough multiply-adds that waking a thread pays (Gemm's threshold). */
    static int grain(AttentionLayout l) {
        long work = (long) l.tq() * l.tk() * (l.d() + l.dv());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Gemm.PARALLEL_WORK / Math.max(1, work)));
    }

    private static float[] scratch(int which, int n) {
        float[][] s = SCRATCH.get();
        if (s[which].length < n) s[which] = new float[n];
        return s[which];
    }

    /** out [B, H, Tq, Dv] and lse [B, H, Tq], both dense. */
    static void forward(AttentionLayout l, AttentionLayout.Rows q, AttentionLayout.Rows k, AttentionLayout.Rows v,
                        float[] out, float[] lse) {
        int rows = blockRows(l.tq(), l.tk());
        float scale = (float) l.scale();
        Parallel.forRange(l.b() * l.h(), grain(l), (from, to) -> {
            float[] s = scratch(0, rows * l.tk()), maxes = new float[rows], sums = new float[rows];
            for (int task = from; task < to; task++) {
                int bi = task / l.h(), hi = task % l.h();
                int qo = q.at(bi, hi), ko = k.at(bi, hi), vo = v.at(bi, hi);
                for (int i0 = 0; i0 < l.tq(); i0 += rows) {
                    int m = Math.min(rows, l.tq() - i0);
                    Gemm.sgemm(false, true, m, l.tk(), l.d(), scale, (float[]) q.data(), qo + i0 * q.ld(), q.ld(),
                            (float[]) k.data(), ko, k.ld(), 0f, s, 0, l.tk());
                    if (l.masks()) hide(l, bi, hi, i0, m, s);
                    int lo = task * l.tq() + i0;
                    for (int r = 0; r < m; r++) {
                        maxes[r] = max(s, r * l.tk(), l.tk());
                        sums[r] = expRow(s, r * l.tk(), l.tk(), maxes[r]);
                    }
                    // O = exp(S - max) V, then each row divided by its sum: Dv wide instead of Tk wide
                    Gemm.sgemm(false, false, m, l.dv(), l.tk(), 1f, s, 0, l.tk(), (float[]) v.data(), vo, v.ld(),
                            0f, out, lo * l.dv(), l.dv());
                    for (int r = 0; r < m; r++) {
                        scaleRow(out, (lo + r) * l.dv(), l.dv(), 1f / sums[r]);
                        lse[lo + r] = maxes[r] + (float) Math.log(sums[r]);
                    }
                }
            }
        });
    }

    /** Sets the hidden scores of block rows [i0, i0 + m) to LOWEST. */
    private static void hide(AttentionLayout l, int bi, int hi, int i0, int m, float[] s) {
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < l.tk(); j++) if (l.hidden(bi, hi, i0 + r, j)) s[r * l.tk() + j] = LOWEST;
        }
    }

    /** s[at, at + n) = exp(s - max) in place; returns the sum. */
    private static float expRow(float[] s, int at, int n, float max) {
        int lanes = F.length(), bound = F.loopBound(n), j;
        FloatVector vm = FloatVector.broadcast(F, max), vsum = FloatVector.zero(F);
        for (j = 0; j < bound; j += lanes) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, s, at + j).sub(vm));
            e.intoArray(s, at + j);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            float e = VectorMath.exp(s[at + j] - max);
            s[at + j] = e;
            sum += e;
        }
        return sum;
    }

    private static float max(float[] s, int at, int n) {
        int lanes = F.length(), bound = F.loopBound(n), j;
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (j = 0; j < bound; j += lanes) vmax = vmax.max(FloatVector.fromArray(F, s, at + j));
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) max = Math.max(max, s[at + j]);
        return max;
    }

    private static void scaleRow(float[] z, int at, int n, float by) {
        int lanes = F.length(), bound = F.loopBound(n), j;
        for (j = 0; j < bound; j += lanes) FloatVector.fromArray(F, z, at + j).mul(by).intoArray(z, at + j);
        for (; j < n; j++) z[at + j] *= by;
    }

    /** Softmax of s[at, at + n) in place (a row that sees no key, in the backward pass). */
    private static void softmaxRow(float[] s, int at, int n) {
        scaleRow(s, at, n, 1f / expRow(s, at, n, max(s, at, n)));
    }

    /**
     * dq, dk, dv (dense, shaped like q, k, v) from the forward's lse, the output gradient {@code g} [B, H, Tq, Dv] and
     * the lse gradient {@code gl} [B, H, Tq] (dense).
     */
    static void backward(AttentionLayout l, AttentionLayout.Rows q, AttentionLayout.Rows k, AttentionLayout.Rows v,
                         float[] lse, AttentionLayout.Rows g, float[] gl, float[] dq, float[] dk, float[] dv) {
        int rows = blockRows(l.tq(), l.tk());
        float scale = (float) l.scale();
        int tk = l.tk();
        if (l.tq() == 0) { // no query rows: nothing reaches the keys and values
            java.util.Arrays.fill(dk, 0f);
            java.util.Arrays.fill(dv, 0f);
            return;
        }
        Parallel.forRange(l.b() * l.h(), grain(l), (from, to) -> {
            float[] p = scratch(0, rows * tk), dp = scratch(1, rows * tk);
            for (int task = from; task < to; task++) {
                int bi = task / l.h(), hi = task % l.h();
                int qo = q.at(bi, hi), ko = k.at(bi, hi), vo = v.at(bi, hi), go = g.at(bi, hi);
                float[] qd = (float[]) q.data(), kd = (float[]) k.data(), gd = (float[]) g.data();
                int dkOff = task * tk * l.d(), dvOff = task * tk * l.dv();
                for (int i0 = 0; i0 < l.tq(); i0 += rows) {
                    int m = Math.min(rows, l.tq() - i0);
                    float beta = i0 == 0 ? 0f : 1f;
                    Gemm.sgemm(false, true, m, tk, l.d(), scale, qd, qo + i0 * q.ld(), q.ld(), kd, ko, k.ld(), 0f,
                            p, 0, tk);
                    if (l.masks()) hide(l, bi, hi, i0, m, p);
                    for (int r = 0; r < m; r++) {
                        // a row that sees no key has lse = LOWEST + log(Tk), which rounds to LOWEST: redo its softmax
                        float rowLse = lse[task * l.tq() + i0 + r];
                        if (rowLse < LOWEST / 2) softmaxRow(p, r * tk, tk);
                        else expShifted(p, r * tk, tk, rowLse);
                    }
                    // dV += P^T dO; dP = dO V^T
                    Gemm.sgemm(true, false, tk, l.dv(), m, 1f, p, 0, tk, gd, go + i0 * g.ld(), g.ld(), beta, dv,
                            dvOff, l.dv());
                    Gemm.sgemm(false, true, m, tk, l.dv(), 1f, gd, go + i0 * g.ld(), g.ld(), (float[]) v.data(), vo,
                            v.ld(), 0f, dp, 0, tk);
                    for (int r = 0; r < m; r++) {
                        int i = i0 + r;
                        scoreGradient(p, dp, r * tk, tk, gl[task * l.tq() + i], scale);
                        if (l.masks()) for (int j = 0; j < tk; j++) if (l.hidden(bi, hi, i, j)) dp[r * tk + j] = 0f;
                    }
                    // dQ = dS K; dK += dS^T Q (dS already holds the scale)
                    Gemm.sgemm(false, false, m, l.d(), tk, 1f, dp, 0, tk, kd, ko, k.ld(), 0f, dq,
                            (task * l.tq() + i0) * l.d(), l.d());
                    Gemm.sgemm(true, false, tk, l.d(), m, 1f, dp, 0, tk, qd, qo + i0 * q.ld(), q.ld(), beta, dk,
                            dkOff, l.d());
                }
            }
        });
    }

    /** p[at, at + n) = exp(p - lse) in place: the probabilities of the forward pass. */
    private static void expShifted(float[] p, int at, int n, float lse) {
        int lanes = F.length(), bound = F.loopBound(n), j;
        FloatVector vl = FloatVector.broadcast(F, lse);
        for (j = 0; j < bound; j += lanes) {
            VectorMath.exp(FloatVector.fromArray(F, p, at + j).sub(vl)).intoArray(p, at + j);
        }
        for (; j < n; j++) p[at + j] = VectorMath.exp(p[at + j] - lse);
    }

    /**
     * dp[at, at + n) = scale * p * (dp - sum(p * dp) + gl): the softmax's backward (and the log-sum-exp's, whose
     * gradient is p), times the score scale, in place of dP.
     */
    private static void scoreGradient(float[] p, float[] dp, int at, int n, float gl, float scale) {
        int lanes = F.length(), bound = F.loopBound(n), j;
        FloatVector acc = FloatVector.zero(F);
        for (j = 0; j < bound; j += lanes) {
            acc = FloatVector.fromArray(F, p, at + j).fma(FloatVector.fromArray(F, dp, at + j), acc);
        }
        float dot = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) dot += p[at + j] * dp[at + j];
        float shift = gl - dot;
        for (j = 0; j < bound; j += lanes) {
            FloatVector pv = FloatVector.fromArray(F, p, at + j);
            FloatVector.fromArray(F, dp, at + j).add(shift).mul(pv).mul(scale).intoArray(dp, at + j);
        }
        for (; j < n; j++) dp[at + j] = (dp[at + j] + shift) * p[at + j] * scale;
    }
}
