import java.lang.reflect.Method;
import java.util.*;
import org.nabla.ops.*;
import org.nabla.Shape;

/**
 * Heap bytes and µs per call of TiledMaxPool.forward and .backward (MaxPool2D 2x2 on [B, 26, 26, 32]) and of
 * ImplicitConvMaxPool.forward without ReLU (the pool that picks first maxima), after 20,000 warm-up calls: a kernel
 * whose vectors are boxed (a helper taking vectors that C2 did not inline) allocates kilobytes per call. Reaches the
 * package-private kernels by reflection. Args: [batch].
 */
public class PoolAlloc {
    interface Body { void run() throws Exception; }
    public static void main(String[] args) throws Exception {
        int b = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        Class<?> t = Class.forName("org.nabla.kernels.cpu.TiledMaxPool");
        Method fwd = t.getDeclaredMethod("forward", float[].class, Shape.class, PoolWindow.class, float[].class); fwd.setAccessible(true);
        Method bwd = t.getDeclaredMethod("backward", float[].class, Shape.class, PoolWindow.class, float[].class, float[].class); bwd.setAccessible(true);
        Method cp = Class.forName("org.nabla.kernels.cpu.ImplicitConvMaxPool").getDeclaredMethod("forward", float[].class, int.class, int.class, int.class, int.class,
                NnOps.Window2D.class, float[].class, int.class, float[].class, boolean.class, int.class, float[].class);
        cp.setAccessible(true);
        Random r = new Random(1);
        Shape in = Shape.of(b, 26, 26, 32);
        Attrs pa = Attrs.of("ksize", new int[] {2, 2}, "strides", new int[] {2, 2}, "padding", "VALID", "dataFormat", "NHWC");
        PoolWindow pw = PoolWindow.of("MaxPool2D", in, pa);
        float[] x = new float[b * 26 * 26 * 32], y = new float[b * 13 * 13 * 32], dx = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        Attrs a = Attrs.of("strides", new int[] {1, 1}, "padding", "VALID", "dataFormat", "NHWC", "dilations", new int[] {1, 1});
        NnOps.Window2D w2 = NnOps.conv2dWindow(Shape.of(b, 13, 13, 32), Shape.of(3, 3, 32, 64), a);
        float[] x2 = new float[b * 13 * 13 * 32], f2 = new float[288 * 64], b2 = new float[64], y2 = new float[b * 25 * 64];
        for (int i = 0; i < x2.length; i++) x2[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < f2.length; i++) f2[i] = r.nextFloat() - 0.5f;
        Body[] bodies = {() -> fwd.invoke(null, x, in, pw, y), () -> bwd.invoke(null, x, in, pw, y, dx),
            () -> cp.invoke(null, x2, b, 13, 13, 32, w2, f2, 64, b2, false, 2, y2)};
        String[] names = {"tiled fwd", "tiled bwd", "convpool norelu"};
        com.sun.management.ThreadMXBean tb = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20000; i++) for (Body x0 : bodies) x0.run();
        for (int k = 0; k < 3; k++) {
            long a0 = tb.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
            for (int i = 0; i < 5000; i++) bodies[k].run();
            System.out.printf("%s: B/call %d  us/call %.1f%n", names[k], (tb.getTotalThreadAllocatedBytes() - a0) / 5000, (System.nanoTime() - t0) / 5e6);
        }
    }
}
