import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

public class Regime {
    public static void main(String[] a) {
        int n = 60000;
        List<Tensor[]> bs = RandomImages.of(n).batches();
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
