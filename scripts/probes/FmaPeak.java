import java.util.Locale;
import jdk.incubator.vector.*;

/**
 * The machine's float32 FMA limit: THREADS threads, each running 12 independent chains of 512-bit FMAs (enough to
 * cover the FMA latency on both pipes), 3 rounds; the last round is the warm one. GEMM rates are quoted as a share
 * of this, measured in the same minute (the VM's clock and the host's share vary from minute to minute).
 */
public class FmaPeak {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

    static float run(long iters) {
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0.add(1e-7f), a2 = a0.add(2e-7f), a3 = a0.add(3e-7f);
        FloatVector a4 = a0.add(4e-7f), a5 = a0.add(5e-7f), a6 = a0.add(6e-7f), a7 = a0.add(7e-7f);
        FloatVector a8 = a0.add(8e-7f), a9 = a0.add(9e-7f), a10 = a0.add(1e-6f), a11 = a0.add(1.1e-6f);
        FloatVector m = FloatVector.broadcast(S, 0.9999999f), c = FloatVector.broadcast(S, 1e-8f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] x) throws Exception {
        int threads = Integer.parseInt(x[0]);
        long iters = 200_000_000L;
        for (int round = 0; round < 3; round++) {
            Thread[] t = new Thread[threads];
            long t0 = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                t[i] = new Thread(() -> run(iters));
                t[i].start();
            }
            for (Thread th : t) th.join();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "threads %d: %.1f GFLOP/s%n", threads,
                    threads * iters * 12 * S.length() * 2 / s / 1e9);
        }
    }
}
