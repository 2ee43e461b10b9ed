package org.nabla.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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

    /**
     * out [B, H, Tq, Dv], stored token-major ({@link #row}), and lse [B, H, Tq], dense. Only the live part of each (batch, head) is multiplied
     * ({@link AttentionLive}: padded rows and keys are skipped); a row that sees no key gets the mean of all values.
     */
    static void forward(AttentionLayout l, AttentionLayout.Rows q, AttentionLayout.Rows k, AttentionLayout.Rows v,
                        float[] out, float[] lse) {
        float scale = (float) l.scale();
        Parallel.forRange(l.b() * l.h(), grain(l), (from, to) -> {
            boolean[] liveRows = new boolean[l.tq()];
            for (int task = from; task < to; task++) {
                int bi = task / l.h(), hi = task % l.h();
                int qo = q.at(bi, hi), ko = k.at(bi, hi), vo = v.at(bi, hi);
                AttentionLive live = AttentionLive.of(l, bi, hi, liveRows);
                int tk = live.keys(), rows = blockRows(live.rows(), tk);
                float[] s = scratch(0, rows * tk), maxes = new float[rows], sums = new float[rows];
                for (int i0 = 0; i0 < live.rows(); i0 += rows) {
                    int m = Math.min(rows, live.rows() - i0);
                    Gemm.sgemm(false, true, m, tk, l.d(), scale, (float[]) q.data(), qo + i0 * q.ld(), q.ld(),
                            (float[]) k.data(), ko, k.ld(), 0f, s, 0, tk);
                    if (l.masks()) hide(l, bi, hi, i0, m, s, tk);
                    int lo = task * l.tq() + i0;
                    for (int r = 0; r < m; r++) {
                        if (liveRows[i0 + r]) {
                            maxes[r] = max(s, r * tk, tk);
                            sums[r] = expRow(s, r * tk, tk, maxes[r]);
                        } else {   // written by deadRows: no part in the product
                            java.util.Arrays.fill(s, r * tk, (r + 1) * tk, 0f);
                        }
                    }
                    // O = exp(S - max) V, then each row divided by its sum: Dv wide instead of Tk wide
                    Gemm.sgemm(false, false, m, l.dv(), tk, 1f, s, 0, tk, (float[]) v.data(), vo, v.ld(),
                            0f, out, row(l, bi, hi, i0, l.tq(), l.dv()), l.h() * l.dv());
                    for (int r = 0; r < m; r++) {
                        if (!liveRows[i0 + r]) continue;
                        scaleRow(out, row(l, bi, hi, i0 + r, l.tq(), l.dv()), l.dv(), 1f / sums[r]);
                        lse[lo + r] = maxes[r] + (float) Math.log(sums[r]);
                    }
                }
                if (live.dead() > 0) deadRows(l, v, bi, hi, task, liveRows, out, lse);
            }
        });
    }

    /**
     * Where row i of (bi, hi) starts in a token-major output [B, T, H, width] (T = {@code t}): the kernels write out,
     * dq, dk and dv so, and hand them on as [B, H, T, width] views, so that a multi-head layer's transpose back to
     * [B, T, H * width] costs no copy.
     */
    static int row(AttentionLayout l, int bi, int hi, int i, int t, int width) {
        return ((bi * t + i) * l.h() + hi) * width;
    }

    /** Rows that see no key: the softmax of equal (lowest) scores is uniform, so each is the mean of all Tk values. */
    private static void deadRows(AttentionLayout l, AttentionLayout.Rows v, int bi, int hi, int task,
                                 boolean[] liveRows, float[] out, float[] lse) {
        float[] vd = (float[]) v.data(), mean = new float[l.dv()];
        for (int j = 0; j < l.tk(); j++) addRow(vd, v.at(bi, hi) + j * v.ld(), mean, 0, l.dv(), 1f);
        scaleRow(mean, 0, l.dv(), 1f / l.tk());
        float deadLse = LOWEST + (float) Math.log(l.tk());
        for (int i = 0; i < l.tq(); i++) {
            if (liveRows[i]) continue;
            System.arraycopy(mean, 0, out, row(l, bi, hi, i, l.tq(), l.dv()), l.dv());
            lse[task * l.tq() + i] = deadLse;
        }
    }

    /** z[zp, zp + n) += by * x[xp, xp + n). */
    private static void addRow(float[] x, int xp, float[] z, int zp, int n, float by) {
        int lanes = F.length(), bound = F.loopBound(n), j;
        for (j = 0; j < bound; j += lanes) {
            FloatVector.fromArray(F, x, xp + j).fma(FloatVector.broadcast(F, by), FloatVector.fromArray(F, z, zp + j))
                    .intoArray(z, zp + j);
        }
        for (; j < n; j++) z[zp + j] += by * x[xp + j];
    }

    /** Sets the hidden scores of block rows [i0, i0 + m) (row width {@code tk}, the live keys) to LOWEST. */
    private static void hide(AttentionLayout l, int bi, int hi, int i0, int m, float[] s, int tk) {
        AttentionLayout.Mask mask = l.mask();
        for (int r = 0; r < m; r++) {
            int i = i0 + r, at = r * tk;
            if (mask != null) {
                byte[] d = mask.data();
                int row = mask.base() + bi * mask.sb() + hi * mask.sh() + i * mask.si(), sj = mask.sj();
                for (int j = 0; j < tk; j++) if (d[row + j * sj] == 0) s[at + j] = LOWEST;
            }
            if (l.causal()) for (int j = i + 1; j < tk; j++) s[at + j] = LOWEST;
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
        if (j < n) {   // the tail as one masked vector: a scalar VectorMath.exp costs a whole vector's
            VectorMask<Float> tail = F.indexInRange(j, n);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, s, at + j, tail).sub(vm));
            e.intoArray(s, at + j, tail);
            vsum = vsum.add(e, tail);
        }
        return VectorMath.sumLanes(vsum);   // fixed order: same bits before and after the JIT
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

    /**
     * dq, dk, dv (shaped like q, k, v, stored token-major) from the forward's lse, the output gradient {@code g} [B, H, Tq, Dv] and
     * the lse gradient {@code gl} [B, H, Tq] (dense). As in the forward pass only the live part is multiplied: a hidden
     * score of a live row has probability exactly 0, so its gradient is 0 too; a dead row passes no gradient to its
     * scores (they are constants) and 1/Tk of its output gradient to every value.
     */
    static void backward(AttentionLayout l, AttentionLayout.Rows q, AttentionLayout.Rows k, AttentionLayout.Rows v,
                         float[] lse, AttentionLayout.Rows g, float[] gl, float[] dq, float[] dk, float[] dv) {
        float scale = (float) l.scale();
        Parallel.forRange(l.b() * l.h(), grain(l), (from, to) -> {
            boolean[] liveRows = new boolean[l.tq()];
            for (int task = from; task < to; task++) {
                int bi = task / l.h(), hi = task % l.h();
                int qo = q.at(bi, hi), ko = k.at(bi, hi), vo = v.at(bi, hi), go = g.at(bi, hi);
                float[] qd = (float[]) q.data(), kd = (float[]) k.data(), gd = (float[]) g.data();
                int dkOff = row(l, bi, hi, 0, l.tk(), l.d()), dvOff = row(l, bi, hi, 0, l.tk(), l.dv());
                int kld = l.h() * l.d(), vld = l.h() * l.dv();
                AttentionLive live = AttentionLive.of(l, bi, hi, liveRows);
                int tk = live.keys(), rows = blockRows(live.rows(), tk);
                // what no block writes: dQ after the last live row, dK and dV of the keys no live row sees
                for (int i = live.rows(); i < l.tq(); i++) {
                    int at = row(l, bi, hi, i, l.tq(), l.d());
                    java.util.Arrays.fill(dq, at, at + l.d(), 0f);
                }
                for (int j = tk; j < l.tk(); j++) {
                    java.util.Arrays.fill(dk, dkOff + j * kld, dkOff + j * kld + l.d(), 0f);
                    java.util.Arrays.fill(dv, dvOff + j * vld, dvOff + j * vld + l.dv(), 0f);
                }
                float[] p = scratch(0, rows * tk), dp = scratch(1, rows * tk);
                for (int i0 = 0; i0 < live.rows(); i0 += rows) {
                    int m = Math.min(rows, live.rows() - i0);
                    float beta = i0 == 0 ? 0f : 1f;
                    Gemm.sgemm(false, true, m, tk, l.d(), scale, qd, qo + i0 * q.ld(), q.ld(), kd, ko, k.ld(), 0f,
                            p, 0, tk);
                    if (l.masks()) hide(l, bi, hi, i0, m, p, tk);
                    for (int r = 0; r < m; r++) {
                        if (liveRows[i0 + r]) expShifted(p, r * tk, tk, lse[task * l.tq() + i0 + r]);
                        else java.util.Arrays.fill(p, r * tk, (r + 1) * tk, 0f);
                    }
                    // dV += P^T dO; dP = dO V^T
                    Gemm.sgemm(true, false, tk, l.dv(), m, 1f, p, 0, tk, gd, go + i0 * g.ld(), g.ld(), beta, dv,
                            dvOff, vld);
                    Gemm.sgemm(false, true, m, tk, l.dv(), 1f, gd, go + i0 * g.ld(), g.ld(), (float[]) v.data(), vo,
                            v.ld(), 0f, dp, 0, tk);
                    for (int r = 0; r < m; r++) {
                        int i = i0 + r;
                        if (liveRows[i]) scoreGradient(p, dp, r * tk, tk, gl[task * l.tq() + i], scale);
                        else java.util.Arrays.fill(dp, r * tk, (r + 1) * tk, 0f);
                    }
                    // dQ = dS K; dK += dS^T Q (dS already holds the scale)
                    Gemm.sgemm(false, false, m, l.d(), tk, 1f, dp, 0, tk, kd, ko, k.ld(), 0f, dq,
                            row(l, bi, hi, i0, l.tq(), l.d()), kld);
                    Gemm.sgemm(true, false, tk, l.d(), m, 1f, dp, 0, tk, qd, qo + i0 * q.ld(), q.ld(), beta, dk,
                            dkOff, kld);
                }
                if (live.dead() > 0) {   // each dead row's dO / Tk to every value
                    float[] sum = new float[l.dv()];
                    for (int i = 0; i < l.tq(); i++) if (!liveRows[i]) addRow(gd, go + i * g.ld(), sum, 0, l.dv(), 1f);
                    for (int j = 0; j < l.tk(); j++) addRow(sum, 0, dv, dvOff + j * vld, l.dv(), 1f / l.tk());
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
        if (j < n) {   // masked tail, as in expRow
            VectorMask<Float> tail = F.indexInRange(j, n);
            VectorMath.exp(FloatVector.fromArray(F, p, at + j, tail).sub(vl)).intoArray(p, at + j, tail);
        }
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
        float dot = VectorMath.sumLanes(acc);
        for (; j < n; j++) dot += p[at + j] * dp[at + j];
        float shift = gl - dot;
        for (j = 0; j < bound; j += lanes) {
            FloatVector pv = FloatVector.fromArray(F, p, at + j);
            FloatVector.fromArray(F, dp, at + j).add(shift).mul(pv).mul(scale).intoArray(dp, at + j);
        }
        for (; j < n; j++) dp[at + j] = (dp[at + j] + shift) * p[at + j] * scale;
    }
}
