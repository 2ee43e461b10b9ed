import java.lang.reflect.Method;
import java.util.*;
import org.nabla.*;

/**
 * The mlp's two dense layers at batch B in one JVM, alternating blocks of 400 calls: GemmPair (both layers in one
 * parallel loop, the FusedMatMulPair kernel) against the two sgemmBias products the two FusedMatMul ran (weights
 * kept packed in both). p10 / median / mean µs per block. Args: [batch] [rounds].
 */
public class PairInfer {
    static double sink;

    public static void main(String[] args) throws Exception {
        int b = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Random r = new Random(1);
        float[][] a = new float[4][b * 784];
        for (float[] x : a) for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        float[] w1 = new float[784 * 128], w2 = new float[128 * 10], bias1 = new float[128], bias2 = new float[10];
        for (int i = 0; i < w1.length; i++) w1[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < w2.length; i++) w2[i] = r.nextFloat() - 0.5f;
        Tensor t1 = Tensor.wrap(DType.FLOAT32, Shape.of(784, 128), w1), t2 = Tensor.wrap(DType.FLOAT32, Shape.of(128, 10), w2);
        Class<?> pair = Class.forName("org.nabla.kernels.cpu.GemmPair"), gemm = Class.forName("org.nabla.kernels.cpu.Gemm");
        Method run = pair.getDeclaredMethod("run", boolean.class, int.class, int.class, float[].class, int.class,
                Tensor.class, boolean.class, int.class, float[].class, boolean.class, Tensor.class, boolean.class,
                int.class, float[].class, boolean.class, float[].class);
        Method bias = gemm.getDeclaredMethod("sgemmBias", boolean.class, boolean.class, int.class, int.class, int.class,
                float[].class, int.class, int.class, float[].class, int.class, int.class, float[].class, int.class,
                boolean.class, float[].class, int.class, int.class, Tensor.class);
        run.setAccessible(true);
        bias.setAccessible(true);
        float[] hidden = new float[b * 128], c = new float[b * 10];
        int[] it = {0};
        Runnable fused = () -> {
            try {
                run.invoke(null, false, b, 784, a[it[0]++ & 3], 784, t1, false, 128, bias1, true, t2, false, 10, bias2, false, c);
            } catch (ReflectiveOperationException e) { throw new RuntimeException(e); }
            sink += c[0];
        };
        Runnable two = () -> {
            try {
                bias.invoke(null, false, false, b, 128, 784, a[it[0]++ & 3], 0, 784, w1, 0, 128, bias1, 0, true, hidden, 0, 128, t1);
                bias.invoke(null, false, false, b, 10, 128, hidden, 0, 128, w2, 0, 10, bias2, 0, false, c, 0, 10, t2);
            } catch (ReflectiveOperationException e) { throw new RuntimeException(e); }
            sink += c[0];
        };
        for (int i = 0; i < 1500; i++) { fused.run(); two.run(); }
        for (int round = 0; round < rounds; round++) {
            System.out.println("round " + round + "  pair " + spread(400, fused) + "  | two products " + spread(400, two));
        }
    }

    static String spread(int n, Runnable body) {
        long[] t = new long[n];
        long sum = 0;
        for (int i = 0; i < n; i++) { long s = System.nanoTime(); body.run(); t[i] = System.nanoTime() - s; sum += t[i]; }
        Arrays.sort(t);
        return String.format("%.1f / %.1f / %.1f", t[n / 10] / 1e3, t[n / 2] / 1e3, sum / 1e3 / n);
    }
}
