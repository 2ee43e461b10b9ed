import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

public class Regime {
    public static void main(String[] a) {
        int n = 60000;
        Random r = new Random(1);
        float[] x = new float[n * 784]; for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        int[] y = new int[n]; for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
        Tensor X = Tensors.of(x, n, 28, 28, 1), Y = Tensors.of(y, n);
        List<Tensor[]> bs = new ArrayList<>();
        for (Tensor[] b : Batches.make(32, true, 42, false, X, Y)) bs.add(b);
        Model m = ReferenceModels.mlp(42);
        var rt = java.lang.management.ManagementFactory.getRuntimeMXBean();
        int epochs = Integer.parseInt(a.length > 0 ? a[0] : "12");
        for (int e = 0; e < epochs; e++) {
            // quarter epochs, to see when the speed changes
            for (int q = 0; q < 4; q++) {
                long t = System.nanoTime();
                for (int i = q * bs.size() / 4; i < (q + 1) * bs.size() / 4; i++) m.trainOnBatch(bs.get(i));
                double s = (System.nanoTime() - t) / 1e9;
                System.out.printf("uptime %d ms: epoch %d.%d %.0f samples/s%n", rt.getUptime(), e, q, n / 4 / s);
            }
        }
    }
}
