import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.util.*;

/** What drawing nabla train's curves.png costs, cold and then warm: five drawings of a growing 4-metric history. */
public class ChartCost {
    public static void main(String[] a) throws Exception {
        Path png = Files.createTempFile("curves", ".png");
        for (int e = 1; e <= 5; e++) {
            double[] v = new double[e];
            for (int i = 0; i < e; i++) v[i] = 1.0 / (i + 1);
            Map<String, double[]> h = new LinkedHashMap<>();
            for (String k : List.of("loss", "accuracy", "val_loss", "val_accuracy")) h.put(k, v);
            long s = System.nanoTime();
            org.nabla.charts.TrainingCharts.writePng(png, h);
            System.out.printf("drawing %d: %.1f ms (uptime %d ms)%n", e, (System.nanoTime() - s) / 1e6,
                    ManagementFactory.getRuntimeMXBean().getUptime());
        }
        Files.delete(png);
    }
}
