package org.nabla.profiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nabla.io.Json;

/**
 * The kernel calls one {@link Profiler} recorded: as Chrome trace-event JSON (complete "X" events, one row per
 * thread; calls inside a control-flow op's body nest inside it) and as a table of the ops by self time (a call's
 * time minus the calls nested in it on its thread), like TensorFlow's profiler overview.
 */
public final class Profile {
    private final List<ProfileEvent> events;
    private final long startNanos;
    private final long endNanos;

    Profile(List<ProfileEvent> events, long startNanos, long endNanos) {
        this.events = new ArrayList<>(events);
        this.events.sort(Comparator.comparingLong(ProfileEvent::startNanos));
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    /** The recorded calls, by start time. */
    public List<ProfileEvent> events() { return List.copyOf(events); }

    /** Seconds between start and stop. */
    public double seconds() { return (endNanos - startNanos) / 1e9; }

    /** Each call's self time in nanoseconds: its duration minus that of the calls directly nested in it. */
    public Map<ProfileEvent, Long> selfNanos() {
        Map<ProfileEvent, Long> self = new HashMap<>();
        Map<String, List<ProfileEvent>> byThread = new LinkedHashMap<>();
        for (ProfileEvent e : events) byThread.computeIfAbsent(e.thread(), k -> new ArrayList<>()).add(e);
        for (List<ProfileEvent> list : byThread.values()) {
            // by start, longer first: a parent comes before the calls nested in it
            list.sort(Comparator.comparingLong(ProfileEvent::startNanos)
                    .thenComparing(Comparator.comparingLong(ProfileEvent::durationNanos).reversed()));
            List<ProfileEvent> open = new ArrayList<>();
            for (ProfileEvent e : list) {
                while (!open.isEmpty() && open.getLast().endNanos() <= e.startNanos()) open.removeLast();
                self.put(e, e.durationNanos());
                if (!open.isEmpty()) self.merge(open.getLast(), -e.durationNanos(), Long::sum);
                open.add(e);
            }
        }
        return self;
    }

    /** The ops by total self time: op, calls, self ms, % of the profiled time, mean µs per call. */
    public String summary(int top) {
        Map<String, long[]> byOp = new HashMap<>();
        selfNanos().forEach((e, ns) -> {
            long[] a = byOp.computeIfAbsent(e.op(), k -> new long[2]);
            a[0]++;
            a[1] += ns;
        });
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(byOp.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        double total = Math.max(1, endNanos - startNanos);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-32s %8s %12s %8s %12s%n", "op", "calls",
                "self ms", "% time", "µs / call"));
        for (Map.Entry<String, long[]> r : rows.subList(0, Math.min(top, rows.size()))) {
            long[] v = r.getValue();
            b.append(String.format(Locale.ROOT, "%-32s %8d %12.3f %8.1f %12.2f%n", r.getKey(), v[0], v[1] / 1e6,
                    100 * v[1] / total, v[1] / 1e3 / v[0]));
        }
        b.append(String.format(Locale.ROOT, "%d kernel calls in %.3f s%n", events.size(), seconds()));
        return b.toString();
    }

    /** The trace as Chrome trace-event JSON text (microseconds from the profile's start). */
    public String chromeTrace() {
        Map<String, Integer> tids = new LinkedHashMap<>();
        List<Object> out = new ArrayList<>();
        for (ProfileEvent e : events) {
            int tid = tids.computeIfAbsent(e.thread(), k -> tids.size() + 1);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("name", e.name());
            ev.put("cat", e.node() != null ? "graph" : "eager");
            ev.put("ph", "X");
            ev.put("ts", (e.startNanos() - startNanos) / 1e3);
            ev.put("dur", e.durationNanos() / 1e3);
            ev.put("pid", 1);
            ev.put("tid", tid);
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("op", e.op());
            args.put("device", e.device());
            args.put("inputs", e.inputs());
            args.put("outputs", e.outputs());
            args.put("output_bytes", e.outputBytes());
            ev.put("args", args);
            out.add(ev);
        }
        tids.forEach((name, tid) -> out.add(Map.of("name", "thread_name", "ph", "M", "pid", 1, "tid", tid,
                "args", Map.of("name", name))));
        return Json.write(Map.of("traceEvents", out, "displayTimeUnit", "ms"));
    }

    /** Writes {@link #chromeTrace()} to {@code file} atomically (a temporary file in the same folder, renamed). */
    public void writeChromeTrace(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, chromeTrace(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
