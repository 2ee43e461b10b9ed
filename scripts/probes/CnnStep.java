import java.lang.reflect.Method;
import java.util.*;
import org.nabla.*;
import org.nabla.nn.Sequential;

/**
 * The reference cnn's training step (batch 128, graph mode, random Fashion-MNIST-shaped data) timed one step at a
 * time: after a warm-up of SECONDS (default 4), STEPS (default 300) steps; prints the best, p10 and median step
 * times and the samples/s they mean. On a shared machine p10 is steadier than bench-train's mean.
 * With -Dcnnstep.profile=N it also prints the ops of N more steps by self time (nabla's profiler).
 */
public class CnnStep {
    public static void main(String[] a) throws Exception {
        double warm = a.length > 0 ? Double.parseDouble(a[0]) : 4;
        int steps = a.length > 1 ? Integer.parseInt(a[1]) : 300;
        Method ref = Class.forName("org.nabla.cli.CliSupport").getDeclaredMethod("referenceModel", String.class,
                long.class);
        ref.setAccessible(true);
        Sequential m = (Sequential) ref.invoke(null, "cnn", 42L);
        SplittableRandom rnd = new SplittableRandom(1);
        int batch = 128;
        Tensor[] xs = new Tensor[4], ys = new Tensor[4];
        for (int v = 0; v < xs.length; v++) {
            float[] x = new float[batch * 28 * 28];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = rnd.nextInt(10);
            xs[v] = Tensor.wrap(DType.FLOAT32, Shape.of(batch, 28, 28, 1), x);
            ys[v] = Tensor.wrap(DType.INT32, Shape.of(batch), y);
        }
        long w0 = System.nanoTime();
        for (int s = 0; System.nanoTime() - w0 < warm * 1e9; s++) m.trainOnBatch(xs[s % 4], ys[s % 4]);
        long[] t = new long[steps];
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            m.trainOnBatch(xs[s % 4], ys[s % 4]);
            t[s] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        int profiled = Integer.getInteger("cnnstep.profile", 0);
        if (profiled > 0) {
            org.nabla.profiler.Profiler.start();
            for (int s = 0; s < profiled; s++) m.trainOnBatch(xs[s % 4], ys[s % 4]);
            System.out.println(org.nabla.profiler.Profiler.stop().summary(25));
        }
        double best = t[0] / 1e6, p10 = t[steps / 10] / 1e6, med = t[steps / 2] / 1e6;
        System.out.printf(Locale.ROOT, "step ms best %.2f p10 %.2f median %.2f; samples/s at p10 %.0f, median %.0f%n",
                best, p10, med, batch * 1e3 / p10, batch * 1e3 / med);
    }
}
