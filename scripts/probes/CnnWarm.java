import java.lang.management.ManagementFactory;
import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/**
 * The reference cnn's training step (batch 128, random images) from JVM start: samples/s in every half second of
 * SECONDS (default 10), to see when the step reaches its steady speed and what a 2-s bench window after a 2-s
 * warm-up holds.
 */
public class CnnWarm {
    public static void main(String[] a) {
        double seconds = a.length > 0 ? Double.parseDouble(a[0]) : 10;
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
        Model m = ReferenceModels.cnn(42);
        long start = System.nanoTime(), bucket = start;
        int inBucket = 0, total = 0, window = 0;
        System.out.printf("first step at uptime %d ms%n", uptime());
        for (int s = 0; System.nanoTime() - start < seconds * 1e9; s++) {
            m.trainOnBatch(xs[s % 4], ys[s % 4]);
            inBucket++;
            total++;
            long now = System.nanoTime();
            if (now - start >= 2e9 && now - start < 4e9) window++;
            if (now - bucket >= 500_000_000L) {
                System.out.printf("%5.1f s  %6.0f samples/s  (%d steps, uptime %d ms)%n", (now - start) / 1e9,
                        inBucket * batch / ((now - bucket) / 1e9), inBucket, uptime());
                bucket = now;
                inBucket = 0;
            }
        }
        System.out.printf("total %d steps in %.0f s; %.0f samples/s in seconds 2-4 of stepping%n", total, seconds,
                window * batch / 2.0);
    }

    static long uptime() { return ManagementFactory.getRuntimeMXBean().getUptime(); }
}
