/**
 * How much CPU time spinning threads lose to other threads on this VM: N threads each read System.nanoTime in a
 * loop for S seconds and count the gaps over 300 us (time the thread was not running). Prints per thread the number
 * of gaps, their total, and ms lost per 500 ms window. On the 2-core VM one thread loses almost nothing; two lose
 * whole 4 ms scheduler ticks whenever any third thread (a JIT compiler thread, another process) runs. Args: N S.
 */
public class Gaps {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        double secs = Double.parseDouble(a[1]);
        int windows = (int) Math.ceil(secs * 2);
        Thread[] threads = new Thread[n];
        String[] out = new String[n];
        long t0 = System.nanoTime(), end = t0 + (long) (secs * 1e9);
        for (int i = 0; i < n; i++) {
            int id = i;
            threads[i] = new Thread(() -> {
                long last = System.nanoTime(), total = 0;
                int count = 0;
                long[] lostMicros = new long[windows + 1];
                while (last < end) {
                    long now = System.nanoTime();
                    long gap = now - last;
                    if (gap > 300_000) {
                        count++;
                        total += gap;
                        lostMicros[(int) Math.min(windows, (last - t0) / 500_000_000L)] += gap / 1000;
                    }
                    last = now;
                }
                StringBuilder perWindow = new StringBuilder();
                for (int w = 0; w < windows; w++) perWindow.append(' ').append(lostMicros[w] / 1000);
                out[id] = String.format("thread %d: %d gaps, %.1f ms of %.0f ms; ms lost per 500 ms:%s", id, count,
                        total / 1e6, secs * 1e3, perWindow);
            });
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        for (String s : out) System.out.println(s);
    }
}
