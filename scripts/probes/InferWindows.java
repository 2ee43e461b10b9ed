import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/**
 * Warm-up against steady speed of a traced inference call, as bench-train makes it (four wrapped input batches,
 * cycled; the logits read back): per window of calls, the JVM's uptime, samples/s over the window, and the p10 /
 * median / p90 / mean µs of its calls, with the count of calls above 1.4x the median and the process's minor page
 * faults per call (/proc/self/stat: fresh heap pages the kernel maps on first touch). Args: MODEL BATCH [seconds]
 * [window ms].
 */
public class InferWindows {
    public static void main(String[] a) {
        String which = a.length > 0 ? a[0] : "mlp";
        int b = a.length > 1 ? Integer.parseInt(a[1]) : 1000;
        double seconds = a.length > 2 ? Double.parseDouble(a[2]) : 12;
        long window = (long) ((a.length > 3 ? Double.parseDouble(a[3]) : 1000) * 1e6);
        Sequential m = ReferenceModels.byName(which, 42);
        SplittableRandom r = new SplittableRandom(1);
        Tensor[] xs = new Tensor[4];
        for (int v = 0; v < 4; v++) {
            float[] x = new float[b * 784];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            xs[v] = Tensor.wrap(DType.FLOAT32, Shape.of(b, 28, 28, 1), x);
        }
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        double sink = 0;
        long[] t = new long[1 << 20];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int call = 0;
        while (System.nanoTime() < end) {
            long faults0 = minorFaults();
            long w0 = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - w0 < window) {
                long s = System.nanoTime();
                sink += f.call(xs[call++ & 3])[0].toFloatArray()[0];
                t[n++] = System.nanoTime() - s;
            }
            double secs = (System.nanoTime() - w0) / 1e9;
            long sum = 0;
            for (int i = 0; i < n; i++) sum += t[i];
            long[] s = Arrays.copyOf(t, n);
            Arrays.sort(s);
            int slow = 0;
            for (long x : s) if (x > 1.4 * s[n / 2]) slow++;
            double faults = (minorFaults() - faults0) / (double) n;
            System.out.printf("%6.2f s: %8.0f samples/s  p10 %7.1f  median %7.1f  p90 %7.1f  mean %7.1f us  slow %d of %d"
                    + "  faults/call %.1f%n", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                    n * (double) b / secs, s[n / 10] / 1e3, s[n / 2] / 1e3, s[9 * n / 10] / 1e3, sum / 1e3 / n, slow, n,
                    faults);
        }
        if (sink == 42) System.out.println();
    }

    /** Field 10 of /proc/self/stat (after the command name's closing parenthesis: field 3 is the first). */
    static long minorFaults() {
        try {
            String st = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            return Long.parseLong(st.substring(st.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
