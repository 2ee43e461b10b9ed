import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

public class FitAB {
    public static void main(String[] a) {
        int n = 60000;
        RandomImages data = RandomImages.of(n);
        Tensor X = data.x(), Y = data.y();
        List<Tensor[]> bs = data.batches();
        Model m = ReferenceModels.mlp(42);
        Map<String, List<Double>> res = new TreeMap<>();
        String[] modes = a.length > 0 ? a[0].split(",") : new String[] {"loop", "fit", "fit0"};
        for (int round = 0; round < 8; round++) {
            for (String mode : modes) {
                long t = System.nanoTime();
                if (mode.equals("loop")) { for (Tensor[] b : bs) m.trainOnBatch(b); }
                else if (mode.equals("loop4")) { for (int i = 0; i < bs.size(); i++) m.trainOnBatch(bs.get(i % 4)); }
                else {
                    FitOptions o = FitOptions.epochs(1).batchSize(32).seed(42 + round).verbose(mode.equals("fitv") ? 2 : 0);
                    if (mode.equals("fit0")) o.prefetch(0);
                    m.fit(X, Y, o);
                }
                double s = (System.nanoTime() - t) / 1e9;
                if (round >= 2) res.computeIfAbsent(mode, k -> new ArrayList<>()).add(n / s / 1000);
            }
        }
        res.forEach((k, v) -> { List<Double> s = new ArrayList<>(v); Collections.sort(s);
            System.out.printf("%-5s median %.1fk  %s%n", k, s.get(s.size() / 2), v.stream().map(d -> String.format("%.0f", d)).toList()); });
    }
}
