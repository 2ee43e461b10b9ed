import java.lang.management.ManagementFactory;
import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/** The mlp's first training steps from JVM start: step 0 (trace + first run), steps 1-5, then ms per 250 steps. */
public class FirstSteps {
    public static void main(String[] a) {
        int steps = a.length > 0 ? Integer.parseInt(a[0]) : 3000;
        long t0 = System.nanoTime();
        RandomImages data = RandomImages.of(4000);
        long t1 = System.nanoTime();
        Model m = ReferenceModels.mlp(42);
        long t2 = System.nanoTime();
        List<Tensor[]> bs = data.batches();
        System.out.printf("uptime %d ms; data %.0f ms, model %.0f ms%n", uptime(), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        long block = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            long s = System.nanoTime();
            m.trainOnBatch(bs.get(i % bs.size()));
            long e = System.nanoTime();
            if (i < 6) System.out.printf("step %d %.1f ms%n", i, (e - s) / 1e6);
            if ((i + 1) % 250 == 0) {
                System.out.printf("steps %d-%d %.3f ms/step (uptime %d ms)%n", i - 249, i, (e - block) / 250e6, uptime());
                block = e;
            }
        }
    }

    static long uptime() { return ManagementFactory.getRuntimeMXBean().getUptime(); }
}
