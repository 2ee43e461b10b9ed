import java.lang.management.*;
import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/**
 * A traced inference call in bench-train's order: batch PRE for PRESECS seconds first (0: none), then batch B per
 * window of WINMS ms: p10 / median / p90 / p99 / max / mean µs, young collections and their ms, heap bytes allocated
 * per call, involuntary context switches of the process's threads and its minor page faults. Shows whether a slow
 * mean comes from GC, preemption or fresh heap pages. Args: MODEL PRE PRESECS B SECONDS WINMS.
 */
public class InferAfter {
    static Tensor[] xs(int b) {
        SplittableRandom r = new SplittableRandom(1);
        Tensor[] xs = new Tensor[4];
        for (int v = 0; v < 4; v++) {
            float[] x = new float[b * 784];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            xs[v] = Tensor.wrap(DType.FLOAT32, Shape.of(b, 28, 28, 1), x);
        }
        return xs;
    }
    static long gcCount() { long c = 0; for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) c += g.getCollectionCount(); return c; }
    static long gcMs() { long c = 0; for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) c += g.getCollectionTime(); return c; }
    static long alloc() { return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes(); }
    static long minorFaults() {
        try {
            String st = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            return Long.parseLong(st.substring(st.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
    static long nvcsw() {
        long c = 0;
        java.io.File[] ts = new java.io.File("/proc/self/task").listFiles();
        if (ts == null) return -1;
        for (java.io.File t : ts) {
            try {
                for (String l : java.nio.file.Files.readAllLines(new java.io.File(t, "status").toPath()))
                    if (l.startsWith("nonvoluntary_ctxt_switches")) c += Long.parseLong(l.split("\\s+")[1]);
            } catch (Exception e) { }
        }
        return c;
    }
    public static void main(String[] a) {
        String which = a[0];
        int pre = Integer.parseInt(a[1]);
        double preSecs = Double.parseDouble(a[2]);
        int b = Integer.parseInt(a[3]);
        double seconds = Double.parseDouble(a[4]);
        long window = (long) (Double.parseDouble(a[5]) * 1e6);
        Sequential m = ReferenceModels.byName(which, 42);
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        double sink = 0;
        if (pre > 0) {
            Tensor[] p = xs(pre);
            long e = System.nanoTime() + (long) (preSecs * 1e9);
            int i = 0;
            while (System.nanoTime() < e) sink += f.call(p[i++ & 3])[0].toFloatArray()[0];
            System.out.printf("pre b%d: %d calls%n", pre, i);
        }
        Tensor[] x = xs(b);
        long[] t = new long[1 << 20];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int call = 0;
        while (System.nanoTime() < end) {
            long cs0 = nvcsw(), f0 = minorFaults(); long g0 = gcCount(), gm0 = gcMs(), a0 = alloc();
            long w0 = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - w0 < window) {
                long s = System.nanoTime();
                sink += f.call(x[call++ & 3])[0].toFloatArray()[0];
                t[n++] = System.nanoTime() - s;
            }
            long sum = 0; for (int i = 0; i < n; i++) sum += t[i];
            long[] s = Arrays.copyOf(t, n); Arrays.sort(s);
            System.out.printf("%6.2f s: p10 %6.1f med %6.1f p90 %6.1f p99 %7.1f max %8.1f mean %6.1f us n %d gc %d (%d ms) B/call %d nvcsw %d flt %d%n",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, s[n / 10] / 1e3, s[n / 2] / 1e3, s[9 * n / 10] / 1e3,
                s[99 * n / 100] / 1e3, s[n - 1] / 1e3, sum / 1e3 / n, n, gcCount() - g0, gcMs() - gm0, (alloc() - a0) / n, nvcsw() - cs0, minorFaults() - f0);
        }
        if (sink == 42) System.out.println();
    }
}
