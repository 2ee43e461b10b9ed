import java.lang.reflect.Method;
import java.util.*;
import org.nabla.ops.NnOps;
import org.nabla.ops.Attrs;
import org.nabla.Shape;

/**
 * The cnn's second fused conv + bias + ReLU + 2x2 max-pool at batch B, direct (ImplicitConvMaxPool.direct) against
 * Winograd F(2x2, 3x3) (WinogradConvMaxPool.forward), alternating in one JVM, and the Winograd filter transform
 * alone: p10 / median µs per round. Reaches the package-private kernels by reflection. Args: [batch] [rounds].
 */
public class WinoConv {
    static double sink;

    interface Body { void run() throws Exception; }

    static String spread(int n, Body body) throws Exception {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) { long s = System.nanoTime(); body.run(); t[i] = System.nanoTime() - s; }
        Arrays.sort(t);
        return String.format("%.1f / %.1f", t[n / 10] / 1e3, t[n / 2] / 1e3);
    }

    static float[] rand(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() - 0.5f;
        return v;
    }

    public static void main(String[] args) throws Exception {
        int b = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Class<?> k = Class.forName("org.nabla.kernels.cpu.ImplicitConvMaxPool");
        Method direct = k.getDeclaredMethod("direct", float[].class, int.class, int.class, int.class, int.class,
                NnOps.Window2D.class, float[].class, int.class, float[].class, boolean.class, int.class, float[].class,
                int[].class);
        direct.setAccessible(true);
        Class<?> wk = Class.forName("org.nabla.kernels.cpu.WinogradConvMaxPool");
        Method wino = wk.getDeclaredMethod("forward", float[].class, int.class, int.class, int.class, int.class,
                NnOps.Window2D.class, float[].class, int.class, float[].class, float[].class);
        wino.setAccessible(true);
        Method tf = wk.getDeclaredMethod("transformFilter", float[].class, int.class, int.class);
        tf.setAccessible(true);
        Random r = new Random(1);
        Attrs a = Attrs.of("strides", new int[] {1, 1}, "padding", "VALID", "dataFormat", "NHWC", "dilations", new int[] {1, 1});
        NnOps.Window2D w2 = NnOps.conv2dWindow(Shape.of(b, 13, 13, 32), Shape.of(3, 3, 32, 64), a);
        float[] x2 = rand(r, b * 13 * 13 * 32), f2 = rand(r, 288 * 64), b2 = rand(r, 64);
        float[] yd = new float[b * 25 * 64], yw = new float[b * 25 * 64];
        Body d = () -> direct.invoke(null, x2, b, 13, 13, 32, w2, f2, 64, b2, true, 2, yd, null);
        Body wg = () -> wino.invoke(null, x2, b, 13, 13, 32, w2, f2, 64, b2, yw);
        Body t = () -> sink += ((float[]) tf.invoke(null, f2, 32, 64))[5];
        int n = b >= 100 ? 200 : 20000;
        for (int i = 0; i < 3 * n; i++) { d.run(); wg.run(); t.run(); }
        double err = 0;
        for (int i = 0; i < yd.length; i++) err = Math.max(err, Math.abs(yd[i] - yw[i]));
        System.out.printf("max |direct - winograd| %.3g%n", err);
        for (int round = 0; round < rounds; round++) {
            System.out.printf("round %d b%d p10/median us: direct %s  winograd %s  filter transform %s%n",
                    round, b, spread(n, d), spread(n, wg), spread(n, t));
        }
        if (sink == 42) System.out.println();
    }
}
