import java.lang.reflect.Method;
import java.util.*;
import org.nabla.ops.NnOps;
import org.nabla.ops.Attrs;
import org.nabla.Shape;

/**
 * The cnn's two fused conv + bias + ReLU + 2x2 max-pool kernels at batch B called directly (no op dispatch):
 * p10 / median µs of ImplicitConvMaxPool.forward for each layer, of ImplicitConv.packPanels of the second filter
 * and of the first layer unpooled (ImplicitConv.forward with bias and ReLU).
 * Reaches the package-private kernels by reflection. Args: [batch] [rounds].
 */
public class ConvPoolB1 {
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
        Method fwd = k.getDeclaredMethod("forward", float[].class, int.class, int.class, int.class, int.class,
                NnOps.Window2D.class, float[].class, int.class, float[].class, boolean.class, int.class, float[].class);
        fwd.setAccessible(true);
        Method plain = Class.forName("org.nabla.kernels.cpu.ImplicitConv").getDeclaredMethod("forward", float[].class,
                int.class, int.class, int.class, int.class, NnOps.Window2D.class, float[].class, int.class, float[].class,
                boolean.class, float[].class);
        plain.setAccessible(true);
        Method pack = Class.forName("org.nabla.kernels.cpu.ImplicitConv").getDeclaredMethod("packPanels",
                float[].class, int.class, int.class);
        pack.setAccessible(true);
        Random r = new Random(1);
        Attrs a = Attrs.of("strides", new int[] {1, 1}, "padding", "VALID", "dataFormat", "NHWC", "dilations", new int[] {1, 1});
        NnOps.Window2D w1 = NnOps.conv2dWindow(Shape.of(b, 28, 28, 1), Shape.of(3, 3, 1, 32), a);
        NnOps.Window2D w2 = NnOps.conv2dWindow(Shape.of(b, 13, 13, 32), Shape.of(3, 3, 32, 64), a);
        float[] x1 = rand(r, b * 784), f1 = rand(r, 9 * 32), b1 = rand(r, 32), y1 = new float[b * 13 * 13 * 32];
        float[] x2 = rand(r, b * 13 * 13 * 32), f2 = rand(r, 288 * 64), b2 = rand(r, 64), y2 = new float[b * 25 * 64];
        Body l1 = () -> fwd.invoke(null, x1, b, 28, 28, 1, w1, f1, 32, b1, true, 2, y1);
        Body l2 = () -> fwd.invoke(null, x2, b, 13, 13, 32, w2, f2, 64, b2, true, 2, y2);
        float[] c1 = new float[b * 26 * 26 * 32];
        Body l1plain = () -> plain.invoke(null, x1, b, 28, 28, 1, w1, f1, 32, b1, true, c1);
        Body p2 = () -> sink += ((float[]) pack.invoke(null, f2, 288, 64))[5];
        int n = b >= 100 ? 400 : 20000;
        if (args.length > 2 && args[2].equals("conv1")) { // only the first fused layer, 20 s (for a profiler)
            for (long end = System.nanoTime() + 20_000_000_000L; System.nanoTime() < end; ) l1.run();
            return;
        }
        for (int i = 0; i < 3 * n; i++) { l1.run(); l2.run(); p2.run(); l1plain.run(); }
        for (int round = 0; round < rounds; round++) {
            System.out.printf("round %d b%d p10/median us: conv1+pool %s  conv2+pool %s  pack f2 %s  conv1 unpooled %s%n",
                    round, b, spread(n, l1), spread(n, l2), spread(n, p2), spread(n, l1plain));
        }
        sink += y1[3] + y2[7];
        if (sink == 42) System.out.println();
    }
}
