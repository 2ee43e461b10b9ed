package org.nabla.profiler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.nabla.Tensor;

/**
 * Records every kernel call, eager and in graphs (TensorFlow's profiler): {@link #start()}, run the code to
 * profile, {@link #stop()} gives the {@link Profile} (a Chrome trace, a table of the ops by self time). One
 * profiler is active per JVM at a time; when none is, the eager context and the executor only read one volatile
 * field per call.
 * <pre>{@code
 * Profiler.start();
 * model.fit(x, y, FitOptions.epochs(1));
 * Profile p = Profiler.stop();
 * p.writeChromeTrace(Path.of("trace.json"));   // open in Perfetto or chrome://tracing
 * System.out.println(p.summary(20));
 * }</pre>
 */
public final class Profiler {
    private static volatile Profiler active;

    private final ConcurrentLinkedQueue<ProfileEvent> events = new ConcurrentLinkedQueue<>();
    private final long startNanos = System.nanoTime();

    private Profiler() {}

    /** Starts recording; fails if a profiler is already recording. */
    public static synchronized void start() {
        if (active != null) throw new IllegalStateException("Profiler.start: a profile is already being recorded");
        active = new Profiler();
    }

    /** Stops recording and returns what was recorded; fails if nothing is being recorded. */
    public static synchronized Profile stop() {
        Profiler p = active;
        if (p == null) throw new IllegalStateException("Profiler.stop: no profile is being recorded (call start)");
        active = null;
        return new Profile(new ArrayList<>(p.events), p.startNanos, System.nanoTime());
    }

    /** Whether a profile is being recorded. */
    public static boolean isRecording() { return active != null; }

    /** The clock start of a kernel call, or 0 when nothing is recorded (then {@link #record} does nothing). */
    public static long begin() { return active != null ? System.nanoTime() : 0; }

    /**
     * Records a kernel call that began at {@code begin} (from {@link #begin}); for the eager context and the
     * executor.
     */
    public static void record(long begin, String op, String node, String device, Tensor[] inputs, Tensor[] outputs) {
        Profiler p = active;
        if (p == null || begin == 0) return;
        long end = System.nanoTime();
        long bytes = 0;
        for (Tensor t : outputs) if (t != null && !t.isSymbolic()) bytes += t.size() * t.dtype().byteSize();
        p.events.add(new ProfileEvent(op, node, device, Thread.currentThread().getName(), begin, end - begin, bytes,
                specs(inputs), specs(outputs)));
    }

    private static String specs(Tensor[] ts) {
        List<String> s = new ArrayList<>(ts.length);
        for (Tensor t : ts) s.add(t == null ? "none" : t.dtype() + "" + t.shape());
        return String.join(", ", s);
    }
}
