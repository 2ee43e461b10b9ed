import org.nabla.kernels.cpu.Gemm;
import java.util.*;
/**
 * sgemm GFLOP/s per size in one JVM, sizes in the order given (as `nabla bench` runs them): Gemm.sgemmNew (C
 * allocated per call, as Ops.matmul does), best / median of 5 repetitions of >= 0.3 s after 1 s of warm-up, with a
 * spot check of 50 elements against float64 (prints BAD ERROR past 1e-4). Args: SIZES (e.g. 256,512,1024,2048).
 * -Dpad=P: A's row stride n + P; -Dinto=true: into one preallocated C (Gemm.sgemm, beta 0); -Dall: every repetition.
 */
public class SgemmSizes {
    static final boolean INTO = Boolean.getBoolean("into");
    static float[] cc;
    static float[] mul(int n, float[] a, int lda, float[] b) {
        if (!INTO) return Gemm.sgemmNew(false, false, n, n, n, a, 0, lda, b, 0, n);
        if (cc == null || cc.length != n * n) cc = new float[n * n];
        Gemm.sgemm(false, false, n, n, n, 1f, a, 0, lda, b, 0, n, 0f, cc, 0, n);
        return cc;
    }
    public static void main(String[] x) {
        int reps = 5;
        for (String sz : x[0].split(",")) {
            int n = Integer.parseInt(sz);
            Random r = new Random(n);
            int lda = n + Integer.getInteger("pad", 0);
            float[] a = new float[n * lda], b = new float[n * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
            float[] c = mul(n, a, lda, b);
            // spot check against float64
            double maxErr = 0;
            for (int t = 0; t < 50; t++) {
                int i = r.nextInt(n), j = r.nextInt(n); double s = 0;
                for (int p = 0; p < n; p++) s += (double) a[i * lda + p] * b[p * n + j];
                maxErr = Math.max(maxErr, Math.abs(s - c[i * n + j]));
            }
            long warmEnd = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warmEnd) c = mul(n, a, lda, b);
            int calls = Math.max(1, (int) (3e8 / (2.0 * n * n * n / 250e9 * 1e9)));
            double[] g = new double[reps];
            for (int k = 0; k < reps; k++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) c = mul(n, a, lda, b);
                g[k] = 2.0 * n * n * n * calls / (System.nanoTime() - t0);
            }
            double[] s = g.clone(); Arrays.sort(s);
            String all = System.getProperty("all") == null ? ""
                    : " " + Arrays.toString(Arrays.stream(g).mapToLong(Math::round).toArray());
            System.out.printf(Locale.ROOT, "n=%d %.0f/%.0f%s  ", n, s[reps - 1], s[reps / 2], all);
            if (maxErr > 1e-4) System.out.println("BAD ERROR " + maxErr);
        }
        System.out.println();
    }
}
