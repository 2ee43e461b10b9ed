import java.nio.file.*;
import java.util.*;
import org.nabla.*;
import org.nabla.nn.*;

/**
 * Regime's quarter epochs with what the OS saw in each: the cache-line round trip between two threads just before it
 * (how far apart the host runs the two vCPUs), and per thread group the CPU time and the run-queue wait (ms) from
 * /proc/self/task/STAR/schedstat (Linux only). Groups: names with digits dropped ("C CompilerThre" is the JIT).
 */
public class RegimeDiag {
    static volatile long ball;
    static volatile boolean pinging;

    public static void main(String[] a) throws Exception {
        int n = 60000;
        List<Tensor[]> bs = RandomImages.of(n).batches();
        Model m = ReferenceModels.mlp(42);
        int epochs = Integer.parseInt(a.length > 0 ? a[0] : "6");
        Thread echo = new Thread(() -> {
            while (true) {
                while (!pinging) sleep1ms();
                for (long v = 1; pinging; ) {
                    if (ball == v) { ball = v + 1; v += 2; } else Thread.onSpinWait();
                }
            }
        }, "echo");
        echo.setDaemon(true);
        echo.start();
        for (int e = 0; e < epochs; e++) {
            for (int q = 0; q < 4; q++) {
                double trip = roundTripNanos();
                Map<String, long[]> before = groups();
                long t = System.nanoTime();
                for (int i = q * bs.size() / 4; i < (q + 1) * bs.size() / 4; i++) m.trainOnBatch(bs.get(i));
                double s = (System.nanoTime() - t) / 1e9;
                StringBuilder line = new StringBuilder();
                groups().forEach((g, after) -> {
                    long[] b = before.getOrDefault(g, new long[2]);
                    double run = (after[0] - b[0]) / 1e6, wait = (after[1] - b[1]) / 1e6;
                    if (run + wait >= 2) line.append(String.format(" | %s run %.0f wait %.0f", g, run, wait));
                });
                System.out.printf("epoch %d.%d %6.0f samples/s, round trip %.0f ns%s%n", e, q, n / 4 / s, trip, line);
            }
        }
    }

    static void sleep1ms() {
        try { Thread.sleep(1); } catch (InterruptedException e) { throw new IllegalStateException(e); }
    }

    /** 20 ms of ping-pong with the echo thread. */
    static double roundTripNanos() {
        ball = 0;
        pinging = true;
        long v = 0, trips = 0, t = System.nanoTime();
        while (System.nanoTime() - t < 20_000_000L) {
            for (int i = 0; i < 200; i++) {
                ball = v + 1;
                v += 2;
                while (ball != v) Thread.onSpinWait();
            }
            trips += 200;
        }
        pinging = false;
        return (System.nanoTime() - t) / (double) trips;
    }

    /** Per thread group: {run ns, run-queue wait ns}. */
    static Map<String, long[]> groups() throws Exception {
        Map<String, long[]> out = new TreeMap<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path p : tasks) {
                try {
                    String name = Files.readString(p.resolve("comm")).trim().replaceAll("[0-9#-]+$", "");
                    String[] f = Files.readString(p.resolve("schedstat")).trim().split(" ");
                    long[] g = out.computeIfAbsent(name, k -> new long[2]);
                    g[0] += Long.parseLong(f[0]);
                    g[1] += Long.parseLong(f[1]);
                } catch (java.io.IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }
}
