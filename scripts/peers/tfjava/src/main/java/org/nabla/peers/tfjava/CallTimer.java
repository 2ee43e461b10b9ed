package org.nabla.peers.tfjava;

import java.util.function.IntConsumer;

/** common.py's time_calls: a warm-up of at least --warmup calls and --seconds, then the same for the timed calls. */
final class CallTimer {
    private CallTimer() {}

    /** Calls and seconds of the timed part. TensorFlow's Session.run is synchronous, so no final sync is needed. */
    record Timing(long calls, double seconds) {}

    static Timing time(IntConsumer call, PeerOptions o) {
        long w0 = System.nanoTime();
        for (int i = 0; i < o.warmup() || elapsed(w0) < o.seconds(); i++) call.accept(i);
        long t0 = System.nanoTime();
        int n = 0;
        while (n < o.steps() || elapsed(t0) < o.seconds()) call.accept(n++);
        return new Timing(n, elapsed(t0));
    }

    private static double elapsed(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
