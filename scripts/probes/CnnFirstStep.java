import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/**
 * The reference cnn's first STEPS training steps (default 1) from JVM start under nabla's profiler: which kernels
 * the cold start spends its seconds in (the Vector API's Java fallback runs until C2 compiles a kernel).
 */
public class CnnFirstStep {
    public static void main(String[] a) {
        int steps = a.length > 0 ? Integer.parseInt(a[0]) : 1;
        SplittableRandom rnd = new SplittableRandom(1);
        int batch = 128;
        float[] x = new float[batch * 28 * 28];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) y[i] = rnd.nextInt(10);
        Tensor xs = Tensor.wrap(DType.FLOAT32, Shape.of(batch, 28, 28, 1), x);
        Tensor ys = Tensor.wrap(DType.INT32, Shape.of(batch), y);
        Model m = ReferenceModels.cnn(42);
        long t0 = System.nanoTime();
        org.nabla.profiler.Profiler.start();
        for (int s = 0; s < steps; s++) m.trainOnBatch(xs, ys);
        System.out.println(org.nabla.profiler.Profiler.stop().summary(30));
        System.out.printf("%d steps %.0f ms%n", steps, (System.nanoTime() - t0) / 1e6);
    }
}
