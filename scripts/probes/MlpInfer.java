import java.util.*;
import org.nabla.*;
import org.nabla.kernels.cpu.Gemm;
import org.nabla.nn.*;
import org.nabla.profiler.*;

/**
 * Where the mlp's batch-B inference call spends its time: median µs of the whole traced call, of its two products
 * alone (Gemm.sgemm into an existing C, and sgemmNew as the MatMul kernel calls it), and the per-op self times of
 * the call from the Profiler. Args: [batch] [rounds] [gemm|gemm4|call|parts|prepack|slow: only that, p10 / median / p90 / mean].
 */
public class MlpInfer {
    static double sink;

    interface Body { void run(); }

    static double medianMicros(int n, Body body) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) { long s = System.nanoTime(); body.run(); t[i] = System.nanoTime() - s; }
        Arrays.sort(t);
        return t[n / 2] / 1e3;
    }

    /** "p10 / median / p90 / mean" in µs of n calls (bench-train and the peers report the mean). */
    static String spread(int n, Body body) {
        long[] t = new long[n];
        long sum = 0;
        for (int i = 0; i < n; i++) { long s = System.nanoTime(); body.run(); t[i] = System.nanoTime() - s; sum += t[i]; }
        Arrays.sort(t);
        return String.format("%.1f / %.1f / %.1f / %.1f", t[n / 10] / 1e3, t[n / 2] / 1e3, t[9 * n / 10] / 1e3,
                sum / 1e3 / n);
    }

    public static void main(String[] args) throws Exception {
        int b = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Sequential m = ReferenceModels.byName("mlp", 42);
        Random r = new Random(1);
        Tensor[] xs = new Tensor[4];
        for (int v = 0; v < 4; v++) { float[] x = new float[b * 784]; for (int i = 0; i < x.length; i++) x[i] = r.nextFloat(); xs[v] = Tensors.of(x, b, 28, 28, 1); }
        TracedFunction f = TracedFunction.of("infer", in -> new Tensor[] {m.call(in[0])});
        float[] a1 = new float[b * 784], w1 = new float[784 * 128], c1 = new float[b * 128];
        float[] w2 = new float[128 * 10], c2 = new float[b * 10];
        for (int i = 0; i < a1.length; i++) a1[i] = r.nextFloat();
        for (int i = 0; i < w1.length; i++) w1[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < w2.length; i++) w2[i] = r.nextFloat() - 0.5f;
        int[] it = {0};
        Body call = () -> sink += f.call(xs[it[0]++ & 3])[0].toFloatArray()[0];
        Body g1 = () -> { Gemm.sgemm(false, false, b, 128, 784, 1f, a1, 0, 784, w1, 0, 128, 0f, c1, 0, 128); sink += c1[0]; };
        Body g1new = () -> sink += Gemm.sgemmNew(false, false, b, 128, 784, a1, 0, 784, w1, 0, 128)[0];
        Body g2 = () -> { Gemm.sgemm(false, false, b, 10, 128, 1f, c1, 0, 128, w2, 0, 10, 0f, c2, 0, 10); sink += c2[0]; };
        int n = b >= 100 ? 400 : 20000;
        if (args.length > 2 && args[2].equals("gemm")) { // the first product alone: p10 / median per round
            for (int i = 0; i < 3 * n; i++) g1.run();
            for (int round = 0; round < rounds; round++) System.out.println("gemm1 p10/median/p90/mean us " + spread(n, g1));
            return;
        }
        if (args.length > 2 && args[2].equals("gemm4")) { // the first product on the call's four inputs in turn
            float[][] inputs = new float[4][];
            for (int v = 0; v < 4; v++) inputs[v] = xs[v].toFloatArray();
            Body g4 = () -> {
                float[] x = inputs[it[0]++ & 3];
                Gemm.sgemm(false, false, b, 128, 784, 1f, x, 0, 784, w1, 0, 128, 0f, c1, 0, 128);
                sink += c1[0];
            };
            for (int i = 0; i < 3 * n; i++) g4.run();
            for (int round = 0; round < rounds; round++) {
                System.out.println("gemm1 p10/median/p90/mean us " + spread(n, g1) + ", on 4 inputs " + spread(n, g4));
            }
            return;
        }
        if (args.length > 2 && args[2].equals("parts")) { // the call against its two fused products alone
            float[][] inputs = new float[4][];
            for (int v = 0; v < 4; v++) inputs[v] = xs[v].toFloatArray();
            float[] bias1 = new float[128], bias2 = new float[10];
            Body l1 = () -> Gemm.sgemmBias(false, false, b, 128, 784, inputs[it[0]++ & 3], 0, 784, w1, 0, 128, bias1, 0,
                    true, c1, 0, 128);
            Body l2 = () -> Gemm.sgemmBias(false, false, b, 10, 128, c1, 0, 128, w2, 0, 10, bias2, 0, false, c2, 0, 10);
            Body both = () -> { l1.run(); l2.run(); sink += c2[0]; };
            for (int i = 0; i < 2 * n; i++) { call.run(); both.run(); }
            for (int round = 0; round < rounds; round++) {
                System.out.println("call " + spread(n, call) + " | layer1 " + spread(n, l1) + " | layer2 "
                        + spread(n, l2) + " | both " + spread(n, both));
            }
            return;
        }
        if (args.length > 2 && args[2].equals("prepack")) { // the call with weights packed once vs per call, alternating
            java.lang.reflect.Field on = Class.forName("org.nabla.kernels.cpu.PackedWeights").getDeclaredField("enabled");
            on.setAccessible(true);
            for (int i = 0; i < 3 * n; i++) call.run();
            for (int round = 0; round < rounds; round++) {
                for (boolean packed : new boolean[] {false, true}) {
                    on.setBoolean(null, packed);
                    for (int i = 0; i < 20; i++) call.run();
                    System.out.println((packed ? "packed once " : "packed per call ") + spread(n, call));
                }
            }
            return;
        }
        if (args.length > 2 && args[2].equals("slow")) { // which calls are slow: runs of calls above 1.4x the median
            for (int i = 0; i < 3 * n; i++) call.run();
            int calls = 5 * n;
            long[] t = new long[calls];
            System.out.println("timed calls start");
            for (int i = 0; i < calls; i++) { long s = System.nanoTime(); call.run(); t[i] = System.nanoTime() - s; }
            long[] sorted = t.clone();
            Arrays.sort(sorted);
            long med = sorted[calls / 2];
            StringBuilder runs = new StringBuilder();
            int slow = 0;
            for (int i = 0; i < calls; ) {
                if (t[i] <= med * 1.4) { i++; continue; }
                int j = i;
                while (j < calls && t[j] > med * 1.4) j++;
                slow += j - i;
                runs.append(" ").append(i).append("+").append(j - i).append("@").append(t[i] / 1000);
                i = j;
            }
            System.out.printf("median %d us, %d of %d calls above 1.4x (first call+run length@us):%s%n", med / 1000,
                    slow, calls, runs);
            return;
        }
        if (args.length > 2 && args[2].equals("call")) { // the whole call alone: p10 / median per round
            for (int i = 0; i < 3 * n; i++) call.run();
            for (int round = 0; round < rounds; round++) System.out.println("call p10/median/p90/mean us " + spread(n, call));
            return;
        }
        for (int i = 0; i < 3 * n; i++) { call.run(); g1.run(); g1new.run(); g2.run(); }
        for (int round = 0; round < rounds; round++) {
            System.out.printf("round %d b%d: call %.1f us  gemm1 %.1f  gemm1New %.1f  gemm2 %.1f%n", round, b,
                    medianMicros(n, call), medianMicros(n, g1), medianMicros(n, g1new), medianMicros(n, g2));
        }
        Profiler.start();
        for (int i = 0; i < n; i++) call.run();
        Profile p = Profiler.stop();
        System.out.println(p.summary(15));
        Map<String, Long> byThread = new TreeMap<>();
        for (ProfileEvent e : p.events()) byThread.merge(e.op() + " on " + e.thread(), 1L, Long::sum);
        System.out.println(byThread);
        if (sink == 42) System.out.println();
    }
}
