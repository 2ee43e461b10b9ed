import java.util.*;
import jdk.incubator.vector.*;

/**
 * The mlp's first product, C[1000x128] = A[1000x784] x B[784x128], with GemmFloatKernel's 8 x 32 register tile
 * (written out here: the kernel is package-private) outside the framework: how close one core and two come to the
 * FMA peak, and which blocking is faster. B is packed in 32-wide slivers per K block; A is read in place. Args:
 * THREADS (1; 2: column halves on a spinning worker; 3: row halves) then configurations ORDER:KC:MC, ORDER "bi" (each
 * B sliver over the A slivers of an MC-row block, as GemmFloat) or "ai" (each A sliver over the B slivers); K blocks
 * after the first start their accumulators from C (the same bits as one chain). p10 / median us per product per
 * round; (DIFF) where C differs from the first configuration's.
 */
public class KernelShape {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = 16, MR = 8, NR = 32;
    static volatile Runnable WORK;
    static final java.util.concurrent.atomic.AtomicInteger GO = new java.util.concurrent.atomic.AtomicInteger(), DONE = new java.util.concurrent.atomic.AtomicInteger();
    static {
        Thread w = new Thread(() -> { int seen = 0; while (true) { if (GO.get() != seen) { seen++; WORK.run(); DONE.incrementAndGet(); } else Thread.onSpinWait(); } });
        w.setDaemon(true); w.start();
    }
    static int M = 1000, N = 128, K = 784;

    // acc from zero (beta=0) or from C (load): one tile over kc steps.
    static void tile(int kc, float[] a, int ai, int stepR, int stepP, float[] b, int bi, int ldb,
                     boolean load, float[] c, int ci, int ldc) {
        int r1 = stepR, r2 = 2 * stepR, r3 = 3 * stepR, r4 = 4 * stepR, r5 = 5 * stepR, r6 = 6 * stepR, r7 = 7 * stepR;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (load) {
            c00 = FloatVector.fromArray(S, c, ci); c01 = FloatVector.fromArray(S, c, ci + V);
            c10 = FloatVector.fromArray(S, c, ci + ldc); c11 = FloatVector.fromArray(S, c, ci + ldc + V);
            c20 = FloatVector.fromArray(S, c, ci + 2 * ldc); c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + V);
            c30 = FloatVector.fromArray(S, c, ci + 3 * ldc); c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + V);
            c40 = FloatVector.fromArray(S, c, ci + 4 * ldc); c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + V);
            c50 = FloatVector.fromArray(S, c, ci + 5 * ldc); c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + V);
            c60 = FloatVector.fromArray(S, c, ci + 6 * ldc); c61 = FloatVector.fromArray(S, c, ci + 6 * ldc + V);
            c70 = FloatVector.fromArray(S, c, ci + 7 * ldc); c71 = FloatVector.fromArray(S, c, ci + 7 * ldc + V);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z;
            c40 = z; c41 = z; c50 = z; c51 = z; c60 = z; c61 = z; c70 = z; c71 = z;
        }
        for (int p = 0; p < kc; p++, ai += stepP, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + r1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + r2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + r3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + r4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + r5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ai + r6]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ai + r7]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + V);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + V);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + V);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + V);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + V);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + V);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + V);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + V);
    }

    // packed B: K blocks of kcb; within a block, sliver s at off(kb) + s*kc*NR, rows of NR.
    static float[] pack(float[] b, int kcb) {
        float[] p = new float[K * N];
        int o = 0;
        for (int pc = 0; pc < K; pc += kcb) {
            int kc = Math.min(kcb, K - pc);
            for (int s = 0; s < N / NR; s++)
                for (int q = 0; q < kc; q++)
                    for (int j = 0; j < NR; j++) p[o++] = b[(pc + q) * N + s * NR + j];
        }
        return p;
    }

    /** rows [r0, r1) x slivers [s0, s1): order "bi" = B sliver outer, A slivers inner (current); "ai" = A sliver outer. */
    static void run(String order, int kcb, float[] a, float[] bp, float[] c, int r0, int r1, int s0, int s1, int mc) {
        for (int ic = r0; ic < r1; ic += mc) {
            int me = Math.min(r1, ic + mc);
            for (int pc = 0, off = 0; pc < K; off += Math.min(kcb, K - pc) * N, pc += kcb) {
                int kc = Math.min(kcb, K - pc);
                boolean load = pc > 0;
                if (order.equals("bi")) {
                    for (int s = s0; s < s1; s++)
                        for (int i = ic; i < me; i += MR)
                            tile(kc, a, i * K + pc, K, 1, bp, off + s * kc * NR, NR, load, c, i * N + s * NR, N);
                } else {
                    for (int i = ic; i < me; i += MR)
                        for (int s = s0; s < s1; s++)
                            tile(kc, a, i * K + pc, K, 1, bp, off + s * kc * NR, NR, load, c, i * N + s * NR, N);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Random r = new Random(1);
        float[] a = new float[M * K], b = new float[K * N];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        String[] cfg = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"bi:784:128", "ai:784:128", "bi:196:1000", "ai:196:1000", "bi:392:1000", "bi:262:1000", "bi:196:128"};
        float[] ref = null;
        for (int round = 0; round < 4; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (String cf : cfg) {
                String[] f = cf.split(":");
                String order = f[0]; int kcb = Integer.parseInt(f[1]), mc = Integer.parseInt(f[2]);
                float[] bp = pack(b, kcb);
                float[] c = new float[M * N];
                Runnable call;
                if (threads == 1) call = () -> run(order, kcb, a, bp, c, 0, M, 0, N / NR, mc);
                else if (threads == 2) call = () -> {
                    WORK = () -> run(order, kcb, a, bp, c, 0, M, 2, 4, mc);
                    GO.incrementAndGet();
                    run(order, kcb, a, bp, c, 0, M, 0, 2, mc);
                    while (DONE.get() != GO.get()) Thread.onSpinWait();
                };
                else call = () -> { // rows split in halves, all slivers
                    WORK = () -> run(order, kcb, a, bp, c, 504, M, 0, 4, mc);
                    GO.incrementAndGet();
                    run(order, kcb, a, bp, c, 0, 504, 0, 4, mc);
                    while (DONE.get() != GO.get()) Thread.onSpinWait();
                };
                for (int i = 0; i < 200; i++) call.run();
                long[] t = new long[300];
                for (int i = 0; i < t.length; i++) { long s = System.nanoTime(); call.run(); t[i] = System.nanoTime() - s; }
                Arrays.sort(t);
                if (ref == null) ref = c.clone();
                boolean same = Arrays.equals(ref, c);
                line.append(String.format("  %s %.0f/%.0f%s", cf, t[30] / 1e3, t[150] / 1e3, same ? "" : "(DIFF)"));
            }
            System.out.println(line);
        }
    }
}
