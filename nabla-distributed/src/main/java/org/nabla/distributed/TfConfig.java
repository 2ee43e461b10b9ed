package org.nabla.distributed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nabla.device.DeviceSpec;
import org.nabla.io.Json;
import org.nabla.io.TextFiles;

/**
 * TensorFlow's {@code TF_CONFIG}: the cluster and which task of it this process is, as the JSON that TensorFlow's
 * Kubernetes operator (a TFJob) and other launchers set in every task's environment:
 *
 * <pre>
 * {"cluster": {"chief": ["job-chief-0.ns.svc:2222"], "ps": ["job-ps-0.ns.svc:2222"],
 *              "worker": ["job-worker-0.ns.svc:2222", "job-worker-1.ns.svc:2222"]},
 *  "task": {"type": "worker", "index": 1}, "environment": "cloud"}
 * </pre>
 *
 * A sparse cluster ({@code "sparseCluster"}, or a job given as {@code {"1": "host:port"}}) is read too. Other keys
 * (environment, rpc_layer, job, trial...) are ignored, as TensorFlow does. Errors name the source, the key, the value
 * found and what was expected.
 *
 * @param cluster   the tasks and their addresses
 * @param taskType  this process's job ("worker", "chief", "ps"...)
 * @param taskIndex this process's index in its job
 */
public record TfConfig(ClusterSpec cluster, String taskType, int taskIndex) {
    /** The environment variable launchers set. */
    public static final String ENV = "TF_CONFIG";

    public TfConfig {
        if (cluster == null) throw new IllegalArgumentException("TF_CONFIG: cluster is null");
        if (!cluster.has(taskType, taskIndex)) {
            throw new IllegalArgumentException("TF_CONFIG: task {type: \"" + taskType + "\", index: " + taskIndex
                    + "} is not a task of the cluster (" + cluster.describe() + ")");
        }
    }

    /** This task as a device spec: {@code /job:worker/replica:0/task:1}. */
    public DeviceSpec task() { return new DeviceSpec(taskType, 0, taskIndex, null, -1); }

    /** This task's address in the cluster. */
    public String address() { return cluster.address(taskType, taskIndex); }

    /** The TF_CONFIG of this process's environment, or null when the variable is unset or blank. */
    public static TfConfig fromEnvironment() {
        String v = System.getenv(ENV);
        return v == null || v.isBlank() ? null : parse(v, "TF_CONFIG (environment variable)");
    }

    /** Reads a TF_CONFIG JSON file. */
    public static TfConfig read(Path file) throws IOException {
        return parse(TextFiles.readUtf8(file), file.toString());
    }

    /** Parses TF_CONFIG text; {@code source} (the variable or file name) starts every error message. */
    public static TfConfig parse(String json, String source) {
        Map<String, Object> root = object(parseJson(json, source), source, "the TF_CONFIG value");
        Object clusterValue = root.containsKey("cluster") ? root.get("cluster") : root.get("sparseCluster");
        if (clusterValue == null) {
            throw new IllegalArgumentException(source + ": no \"cluster\" key (expected {\"cluster\": {\"worker\": "
                    + "[\"host:port\", ...]}, \"task\": {\"type\": \"worker\", \"index\": 0}}); keys found: "
                    + root.keySet());
        }
        ClusterSpec cluster = cluster(clusterValue, source);
        Object taskValue = root.get("task");
        if (taskValue == null) {
            throw new IllegalArgumentException(source + ": no \"task\" key (expected \"task\": {\"type\": \"worker\", "
                    + "\"index\": 0})");
        }
        Map<String, Object> task = object(taskValue, source, "\"task\"");
        Object type = task.get("type");
        if (!(type instanceof String t) || t.isBlank()) {
            throw new IllegalArgumentException(source + ": \"task\".\"type\" is " + show(type) + ", expected a job "
                    + "name string such as \"worker\"");
        }
        Object index = task.getOrDefault("index", 0L);
        if (!(index instanceof Long i) || i < 0 || i > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(source + ": \"task\".\"index\" is " + show(index) + ", expected a "
                    + "task index (an integer >= 0)");
        }
        try {
            return new TfConfig(cluster, t, (int) (long) i);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + e.getMessage().substring("TF_CONFIG".length()), e);
        }
    }

    /** Parses a cluster alone: {@code {"worker": ["host:port", ...], "ps": [...]}} (a --cluster file's content). */
    public static ClusterSpec parseCluster(String json, String source) {
        Map<String, Object> root = object(parseJson(json, source), source, "the cluster");
        Object inner = root.containsKey("cluster") ? root.get("cluster") : root.get("sparseCluster");
        return cluster(inner != null ? inner : root, source);
    }

    private static Object parseJson(String json, String source) {
        if (json == null) throw new IllegalArgumentException(source + ": no text");
        try {
            return Json.parse(json.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static ClusterSpec cluster(Object value, String source) {
        Map<String, Object> jobs = object(value, source, "\"cluster\"");
        Map<String, Map<Integer, String>> tasks = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : jobs.entrySet()) {
            String where = "\"cluster\".\"" + e.getKey() + "\"";
            Map<Integer, String> byIndex = new TreeMap<>();
            if (e.getValue() instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) byIndex.put(i, address(list.get(i), source, where + "[" + i + "]"));
            } else if (e.getValue() instanceof Map<?, ?> sparse) {
                for (Map.Entry<?, ?> t : sparse.entrySet()) {
                    int i;
                    try {
                        i = Integer.parseInt((String) t.getKey());
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException(source + ": " + where + " has key \"" + t.getKey()
                                + "\", expected a task index such as \"0\"");
                    }
                    if (i < 0) {
                        throw new IllegalArgumentException(source + ": " + where + " has task index " + i
                                + ", expected an index >= 0");
                    }
                    byIndex.put(i, address(t.getValue(), source, where + "[\"" + t.getKey() + "\"]"));
                }
            } else {
                throw new IllegalArgumentException(source + ": " + where + " is " + show(e.getValue())
                        + ", expected a list of \"host:port\" strings");
            }
            tasks.put(e.getKey(), byIndex);
        }
        return ClusterSpec.ofTasks(tasks, source);
    }

    private static String address(Object v, String source, String where) {
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(source + ": " + where + " is " + show(v) + ", expected a \"host:port\" "
                    + "string");
        }
        ClusterSpec.checkAddress(s, source + ": " + where);
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String source, String what) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(source + ": " + what + " is " + show(v) + ", expected a JSON object");
        }
        return (Map<String, Object>) m;
    }

    private static String show(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return Json.quote(s);
        if (v instanceof Map<?, ?>) return "an object";
        if (v instanceof List<?>) return "a list";
        return String.valueOf(v);
    }
}
