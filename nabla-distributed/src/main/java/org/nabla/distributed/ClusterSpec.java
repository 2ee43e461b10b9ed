package org.nabla.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nabla.device.DeviceSpec;

/**
 * The tasks of a cluster and their addresses, as TensorFlow's {@code tf.train.ClusterSpec}: job name -> task index ->
 * {@code host:port}. Jobs are usually dense lists ({@code "worker": ["w0:2222", "w1:2222"]}); a sparse job (only some
 * indices, as a TFJob with dynamic workers writes) is an index -> address map. Immutable; jobs keep their order.
 */
public final class ClusterSpec {
    private final Map<String, Map<Integer, String>> jobs;

    private ClusterSpec(Map<String, Map<Integer, String>> jobs) { this.jobs = jobs; }

    /** A cluster of dense jobs: {@code of(Map.of("worker", List.of("localhost:2222", "localhost:2223")))}. */
    public static ClusterSpec of(Map<String, List<String>> jobs) {
        Map<String, Map<Integer, String>> sparse = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : jobs.entrySet()) {
            Map<Integer, String> tasks = new TreeMap<>();
            for (int i = 0; i < e.getValue().size(); i++) tasks.put(i, e.getValue().get(i));
            sparse.put(e.getKey(), tasks);
        }
        return ofTasks(sparse, "cluster");
    }

    /** A cluster whose jobs may be sparse (task index -> address). {@code source} prefixes error messages. */
    static ClusterSpec ofTasks(Map<String, Map<Integer, String>> jobs, String source) {
        if (jobs.isEmpty()) throw new IllegalArgumentException(source + ": the cluster has no jobs");
        Map<String, Map<Integer, String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Integer, String>> e : jobs.entrySet()) {
            String job = e.getKey();
            if (job == null || !job.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException(source + ": job name '" + job + "' is not valid (expected "
                        + "letters, digits, '_', '.', '-', e.g. \"worker\")");
            }
            Map<Integer, String> tasks = new TreeMap<>();
            for (Map.Entry<Integer, String> t : e.getValue().entrySet()) {
                checkAddress(t.getValue(), source + ": \"" + job + "\"[" + t.getKey() + "]");
                if (t.getKey() < 0) throw new IllegalArgumentException(source + ": job \"" + job
                        + "\" has negative task index " + t.getKey());
                tasks.put(t.getKey(), t.getValue());
            }
            copy.put(job, Collections.unmodifiableMap(tasks));
        }
        return new ClusterSpec(Collections.unmodifiableMap(copy));
    }

    /** Checks that {@code address} reads {@code host:port} (a bracketed IPv6 host allowed); {@code where} names it. */
    public static void checkAddress(String address, String where) {
        String expected = ", expected \"host:port\" such as \"localhost:2222\" or \"w-0.ns.svc:2222\"";
        if (address == null) throw new IllegalArgumentException(where + " is null" + expected);
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "" : address.substring(0, colon);
        if (colon <= 0 || host.isBlank() || host.contains(" ") || host.contains("/")
                || host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException(where + " is \"" + address + "\"" + expected);
        }
        String port = address.substring(colon + 1);
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " is \"" + address + "\": port '" + port + "' is not a number"
                    + expected);
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(where + " is \"" + address + "\": port " + p + " is not in 1..65535");
        }
    }

    /** The job names, in order. */
    public List<String> jobs() { return List.copyOf(jobs.keySet()); }

    /** Task index -> address of {@code job} (empty when the cluster has no such job). */
    public Map<Integer, String> tasks(String job) { return jobs.getOrDefault(job, Map.of()); }

    /** Every task as {@code /job:J/replica:0/task:I}, jobs in order, tasks by index. */
    public List<DeviceSpec> allTasks() {
        List<DeviceSpec> out = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, String>> e : jobs.entrySet()) {
            for (int t : e.getValue().keySet()) out.add(new DeviceSpec(e.getKey(), 0, t, null, -1));
        }
        return out;
    }

    /** Whether the cluster has task {@code index} of {@code job}. */
    public boolean has(String job, int index) { return tasks(job).containsKey(index); }

    /** The address of task {@code index} of {@code job}; an error lists the cluster's tasks when it has none. */
    public String address(String job, int index) {
        String a = tasks(job).get(index);
        if (a == null) {
            throw new IllegalArgumentException("the cluster has no task " + index + " of job \"" + job + "\" ("
                    + describe() + ")");
        }
        return a;
    }

    /** The address of a task given as a device spec's job and task. */
    public String address(DeviceSpec task) { return address(task.job(), task.task()); }

    /** {@code chief: [0], worker: [0, 1]}: the jobs and their task indices, for messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder("jobs: ");
        boolean first = true;
        for (Map.Entry<String, Map<Integer, String>> e : jobs.entrySet()) {
            sb.append(first ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().keySet());
            first = false;
        }
        return sb.toString();
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterSpec c && c.jobs.equals(jobs); }

    @Override public int hashCode() { return jobs.hashCode(); }

    @Override public String toString() { return jobs.toString(); }
}
