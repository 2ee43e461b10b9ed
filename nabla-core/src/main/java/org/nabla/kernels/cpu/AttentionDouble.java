package org.nabla.kernels.cpu;

/**
 * The float64 ScaledDotProductAttention kernels: plain loops, one query row at a time (float64 serves gradient checks
 * and reference work, not speed). Same semantics as {@link AttentionFloat}: masked scores become
 * {@code -0.7 * Double.MAX_VALUE}, and a task per (batch, head) pair writes only its own rows.
 */
final class AttentionDouble {
    private AttentionDouble() {}

    private static final double LOWEST = -0.7 * Double.MAX_VALUE;

    /** The row of scale * q_i k_j^T over j, masked, into {@code s}. */
    private static void scores(AttentionLayout l, AttentionLayout.Rows q, AttentionLayout.Rows k, int bi, int hi,
                               int i, double[] s) {
        double[] qd = (double[]) q.data(), kd = (double[]) k.data();
        int qi = q.at(bi, hi) + i * q.ld();
        for (int j = 0; j < l.tk(); j++) {
            int kj = k.at(bi, hi) + j * k.ld();
            double dot = 0;
            for (int c = 0; c < l.d(); c++) dot += qd[qi + c] * kd[kj + c];
            s[j] = l.hidden(bi, hi, i, j) ? LOWEST : l.scale() * dot;
        }
    }

    /** Softmax of s in place; returns the log-sum-exp. */
    private static double softmax(double[] s, int n) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) max = Math.max(max, s[j]);
        for (int j = 0; j < n; j++) sum += s[j] = Math.exp(s[j] - max);
        for (int j = 0; j < n; j++) s[j] /= sum;
        return max + Math.log(sum);
    }

    static void forward(AttentionLayout l, AttentionLayout.Rows q, AttentionLayout.Rows k, AttentionLayout.Rows v,
                        double[] out, double[] lse) {
        double[] vd = (double[]) v.data();
        Parallel.forRange(l.b() * l.h(), AttentionFloat.grain(l), (from, to) -> {
            double[] s = new double[l.tk()];
            for (int task = from; task < to; task++) {
                int bi = task / l.h(), hi = task % l.h();
                for (int i = 0; i < l.tq(); i++) {
                    scores(l, q, k, bi, hi, i, s);
                    lse[task * l.tq() + i] = softmax(s, l.tk());
                    int o = (task * l.tq() + i) * l.dv();
                    for (int c = 0; c < l.dv(); c++) out[o + c] = 0;
                    for (int j = 0; j < l.tk(); j++) {
                        int vj = v.at(bi, hi) + j * v.ld();
                        for (int c = 0; c < l.dv(); c++) out[o + c] += s[j] * vd[vj + c];
                    }
                }
            }
        });
    }

    static void backward(AttentionLayout l, AttentionLayout.Rows q, AttentionLayout.Rows k, AttentionLayout.Rows v,
                         double[] lse, AttentionLayout.Rows g, double[] gl, double[] dq, double[] dk, double[] dv) {
        double[] qd = (double[]) q.data(), kd = (double[]) k.data(), vd = (double[]) v.data();
        double[] gd = (double[]) g.data();
        Parallel.forRange(l.b() * l.h(), AttentionFloat.grain(l), (from, to) -> {
            double[] p = new double[l.tk()], ds = new double[l.tk()];
            for (int task = from; task < to; task++) {
                int bi = task / l.h(), hi = task % l.h();
                java.util.Arrays.fill(dk, task * l.tk() * l.d(), (task + 1) * l.tk() * l.d(), 0);
                java.util.Arrays.fill(dv, task * l.tk() * l.dv(), (task + 1) * l.tk() * l.dv(), 0);
                for (int i = 0; i < l.tq(); i++) {
                    scores(l, q, k, bi, hi, i, p);
                    double rowLse = lse[task * l.tq() + i];
                    if (rowLse < LOWEST / 2) softmax(p, l.tk());   // sees no key: lse rounded to LOWEST
                    else for (int j = 0; j < l.tk(); j++) p[j] = Math.exp(p[j] - rowLse);
                    int gi = g.at(bi, hi) + i * g.ld(), qi = q.at(bi, hi) + i * q.ld();
                    double dot = 0;
                    for (int j = 0; j < l.tk(); j++) {
                        int vj = v.at(bi, hi) + j * v.ld(), dvj = (task * l.tk() + j) * l.dv();
                        double dpj = 0;
                        for (int c = 0; c < l.dv(); c++) {
                            dpj += gd[gi + c] * vd[vj + c];
                            dv[dvj + c] += p[j] * gd[gi + c];
                        }
                        ds[j] = dpj;
                        dot += p[j] * dpj;
                    }
                    int dqi = (task * l.tq() + i) * l.d();
                    for (int c = 0; c < l.d(); c++) dq[dqi + c] = 0;
                    for (int j = 0; j < l.tk(); j++) {
                        double sj = l.hidden(bi, hi, i, j) ? 0
                                : l.scale() * p[j] * (ds[j] - dot + gl[task * l.tq() + i]);
                        int kj = k.at(bi, hi) + j * k.ld(), dkj = (task * l.tk() + j) * l.d();
                        for (int c = 0; c < l.d(); c++) {
                            dq[dqi + c] += sj * kd[kj + c];
                            dk[dkj + c] += sj * qd[qi + c];
                        }
                    }
                }
            }
        });
    }
}
