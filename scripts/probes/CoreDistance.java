/**
 * The round trip of a cache line between two spinning threads, in ns, per 250 ms window: how far apart the host
 * runs this VM's two vCPUs at the moment (~70 ns close, 300-450 ns far on the 2-vCPU Zen 4 VM).
 */
public class CoreDistance {
    static volatile long ball;

    public static void main(String[] a) {
        Thread echo = new Thread(() -> {
            for (long v = 1; ; v += 2) {
                while (ball != v) Thread.onSpinWait();
                ball = v + 1;
            }
        });
        echo.setDaemon(true);
        echo.start();
        int windows = a.length > 0 ? Integer.parseInt(a[0]) : 40;
        long v = 0;
        StringBuilder line = new StringBuilder();
        for (int w = 0; w < windows; w++) {
            long t = System.nanoTime(), trips = 0;
            while (System.nanoTime() - t < 250_000_000L) {
                for (int i = 0; i < 1000; i++) {
                    ball = v + 1;
                    v += 2;
                    while (ball != v) Thread.onSpinWait();
                }
                trips += 1000;
            }
            line.append(String.format("%.0f ", (System.nanoTime() - t) / (double) trips));
            if (w % 20 == 19 || w == windows - 1) {
                System.out.println("ns per round trip: " + line);
                line.setLength(0);
            }
        }
    }
}
