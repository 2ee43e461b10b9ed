import java.util.*;
import org.nabla.kernels.cpu.Parallel;

/**
 * Two parallel jobs back to back, as a B packing and its product (a short job, then a long one), through
 * {@link Parallel#forRange} with two chunks each: in how many of the long jobs did the caller run both chunks (the
 * worker not used), and the long job's p10 / median / p90 µs. Args: [rounds] [pairs per round].
 */
public class BackToBack {
    static volatile double sink;

    static double spin(int iters) {
        double x = 1;
        for (int i = 0; i < iters; i++) x = x * 1.0000001 + 1e-9;
        return x;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 4000;
        Thread caller = Thread.currentThread();
        for (int round = 0; round < rounds + 1; round++) {
            long[] t = new long[pairs];
            int alone = 0;
            for (int i = 0; i < pairs; i++) {
                Parallel.forRange(2, 1, (a, b) -> { for (int c = a; c < b; c++) sink += spin(2_000); });
                boolean[] byCaller = new boolean[2];
                long s = System.nanoTime();
                Parallel.forRange(2, 1, (a, b) -> {
                    for (int c = a; c < b; c++) { sink += spin(100_000); byCaller[c] = Thread.currentThread() == caller; }
                });
                t[i] = System.nanoTime() - s;
                if (byCaller[0] && byCaller[1]) alone++;
            }
            Arrays.sort(t);
            if (round > 0) System.out.printf("long job run by the caller alone: %d of %d; p10 / median / p90 %.1f / %.1f / %.1f us%n",
                    alone, pairs, t[pairs / 10] / 1e3, t[pairs / 2] / 1e3, t[9 * pairs / 10] / 1e3);
        }
    }
}
