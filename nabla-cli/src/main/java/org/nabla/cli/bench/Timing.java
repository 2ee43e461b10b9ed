package org.nabla.cli.bench;

/** Best-of-N wall-clock timing after warm-up, the measurement rule of every benchmark here (and of reference.py). */
public final class Timing {
    private Timing() {}

    /** How long to measure: repetitions and the minimum duration of one repetition. */
    public record Plan(double warmupSeconds, int reps, double minRepSeconds) {
        public static final Plan FULL = new Plan(1.0, 5, 0.2);
        public static final Plan QUICK = new Plan(0.3, 3, 0.03);
    }

    /**
     * Seconds per call of {@code body}, the best over {@code plan.reps()} repetitions; each repetition runs enough
     * calls to last at least {@code plan.minRepSeconds()}.
     */
    public static double bestSeconds(Plan plan, Runnable body) {
        // Warm up until the JIT has compiled the hot paths: at least two calls and warmupSeconds.
        long warmEnd = System.nanoTime() + (long) (plan.warmupSeconds() * 1e9);
        for (int i = 0; i < 2 || System.nanoTime() < warmEnd; i++) body.run();
        long calls = 1;
        double dt;
        while (true) {
            dt = run(body, calls);
            if (dt >= plan.minRepSeconds() || calls >= 1L << 26) break;
            calls *= dt * 4 > plan.minRepSeconds() ? 2 : 8;
        }
        double best = dt / calls;
        for (int r = 1; r < plan.reps(); r++) best = Math.min(best, run(body, calls) / calls);
        return best;
    }

    private static double run(Runnable body, long calls) {
        long t0 = System.nanoTime();
        for (long i = 0; i < calls; i++) body.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
