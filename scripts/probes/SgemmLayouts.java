package org.nabla.kernels.cpu;

import java.util.*;

/**
 * The private-B path (GemmFloat.gemm; run with -Dnabla.gemm.shared=false) against the shared-panel path
 * (GemmFloatSharedPanels.run, on any thread count, one included) on an n x n x n product into a preallocated C:
 * rounds of >= 0.3 s each, best / median GFLOP/s and every round. Args: n threads rounds. -Donly=base|new runs one
 * side only (compare sides in separate JVMs: both in one JVM ran at 2/3 speed); -Dlda=0 / -Dldc=0 alias A's / C's
 * rows on the base side (timing only: wrong results) to show what A's or C's memory traffic costs. In the package
 * of the classes it calls, so compile it with javac (the source launcher's class loader cannot reach them).
 */
public class SgemmLayouts {
    public static void main(String[] x) {
        int n = Integer.parseInt(x[0]), threads = Integer.parseInt(x[1]), rounds = Integer.parseInt(x[2]);
        Random r = new Random(n);
        float[] a = new float[n * n], b = new float[n * n], c1 = new float[n * n], c2 = new float[n * n];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextFloat() - 0.5f; b[i] = r.nextFloat() - 0.5f; }
        int ldc = Integer.getInteger("ldc", n), lda = Integer.getInteger("lda", n);
        Runnable base0 = () -> GemmFloat.gemm(false, false, n, n, n, 1f, a, 0, lda, b, 0, n, 0f, c1, 0, ldc, threads, null);
        Runnable neu0 = () -> GemmFloatSharedPanels.run(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f,
                new float[][] {c2}, null, 0, n, threads, null);
        Runnable base = base0, neu = neu0;
        String only = System.getProperty("only", "");
        if (only.equals("base")) neu = base;
        if (only.equals("new")) base = neu;
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) { base.run(); neu.run(); }
        if (only.isEmpty() && !Arrays.equals(c1, c2)) System.out.println("BITS DIFFER");
        int calls = Math.max(1, (int) (3e8 / (2.0 * n * n * n / (threads * 170e9) * 1e9)));
        double[] gb = new double[rounds], gn = new double[rounds];
        for (int k = 0; k < rounds; k++) {
            gb[k] = time(base, calls, n);
            gn[k] = time(neu, calls, n);
        }
        System.out.printf(Locale.ROOT, "n=%d t=%d base %s new %s%n", n, threads, fmt(gb), fmt(gn));
    }
    static double time(Runnable f, int calls, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) f.run();
        return 2.0 * n * n * n * calls / (System.nanoTime() - t0);
    }
    static String fmt(double[] g) {
        double[] s = g.clone(); Arrays.sort(s);
        return String.format(Locale.ROOT, "%.0f/%.0f %s", s[s.length - 1], s[s.length / 2],
                Arrays.toString(Arrays.stream(g).mapToLong(Math::round).toArray()));
    }
}
