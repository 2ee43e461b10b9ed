package org.nabla.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.nabla.nn.saving.SavedModel;

/**
 * The loaded versions of one served model. A base path that is a model itself is version 1, loaded once. A base path
 * of numbered folders is {@linkplain #poll polled}: a new version the policy wants is loaded first and only then
 * serves, and the versions it replaces are retired (they finish the requests they hold), as TensorFlow Serving's
 * "availability preserving" reload does, so clients see no downtime. A version that fails to load is reported in the
 * status with its error and retried only when its files change. Version labels ({@code stable -> 2}) name versions
 * for requests; as in TensorFlow Serving a label must name a loaded version when the server starts, unless
 * {@link ServingOptions#allowLabelsForUnavailableVersions} lets it wait for that version to load.
 */
final class ModelVersions implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.nabla.serving");

    /** A version's state for the status answer: AVAILABLE, or END with the reason (unloaded, or the load error). */
    record State(long version, boolean available, String error) { }

    private final String name;
    private final ModelConfig config;
    private final Map<String, Long> labels;
    private final ServingOptions options;
    private final ServingMetrics metrics;
    private final ConcurrentSkipListMap<Long, ServedVersion> loaded = new ConcurrentSkipListMap<>();
    /** Every version seen, by number: what the status endpoint reports. */
    private final Map<Long, State> states = new TreeMap<>();
    /** Versions that failed to load, with a fingerprint of their files then: retried only when it changes. */
    private final Map<Long, String> failed = new TreeMap<>();

    private ModelVersions(String name, ModelConfig config, Map<String, Long> labels, ServingOptions options,
                          ServingMetrics metrics) {
        this.name = name;
        this.config = config;
        this.labels = labels;
        this.options = options;
        this.metrics = metrics;
    }

    /** An already open model as the fixed version 1 (the caller keeps owning it). */
    static ModelVersions fixed(ServedModel model, ServingOptions options, ServingMetrics metrics) {
        ModelVersions v = new ModelVersions(model.name(), null, Map.of(), options, metrics);
        v.add(new ServedVersion(1, model, options, metrics, false));
        return v;
    }

    /** Opens the model of {@code config}: its one model, or the versions its policy wants. */
    static ModelVersions open(ModelConfig config, ServingOptions options, ServingMetrics metrics) throws IOException {
        Path base = config.basePath();
        if (!Files.exists(base)) throw new IOException(base + ": no such saved model directory or ONNX file, nor a "
                + "folder of numbered versions (model '" + config.name() + "')");
        if (isModel(base)) {
            ModelVersions v = new ModelVersions(config.name(), null, config.versionLabels(), options, metrics);
            v.add(new ServedVersion(1, ServedModel.open(config.name(), base), options, metrics, true));
            return v.checkLabels();
        }
        if (!Files.isDirectory(base)) throw new IOException("model '" + config.name() + "': " + base
                + " is neither a saved model, an .onnx file, nor a folder of numbered versions");
        ModelVersions v = new ModelVersions(config.name(), config, config.versionLabels(), options, metrics);
        v.poll();
        if (v.loaded.isEmpty()) {
            String why = v.failed.isEmpty() ? "no numbered version folders (1/, 2/, ...) under " + base
                    : "every version failed to load: " + v.states.values().stream().map(State::error).toList();
            LOG.log(System.Logger.Level.WARNING, "model ''{0}'' serves nothing yet: {1}", config.name(), why);
        }
        return v.checkLabels();
    }

    /** Refuses (and closes) the model when a label names a version that is not loaded and the options forbid it. */
    private ModelVersions checkLabels() {
        if (options.allowLabelsForUnavailableVersions()) return this;
        for (Map.Entry<String, Long> e : labels.entrySet()) {
            if (loaded.containsKey(e.getValue())) continue;
            String why = "model '" + name + "': version label '" + e.getKey() + "' names version " + e.getValue()
                    + ", which is not available (loaded: " + loaded.keySet() + "); a label may only name a loaded "
                    + "version, unless --allow-version-labels-for-unavailable-models";
            close();
            throw new IllegalArgumentException(why);
        }
        return this;
    }

    /** The version {@code label} names; 400 for an unknown label, as TensorFlow Serving answers. */
    long labelled(String label) {
        Long v = labels.get(label);
        if (v == null) throw ServingException.badRequest("Unrecognized servable version label: " + label
                + " (model " + name + " has labels " + labels.keySet() + ")");
        return v;
    }

    /** The name clients use. */
    String name() { return name; }

    /** Whether the base path holds numbered versions that {@link #poll} watches. */
    boolean versioned() { return config != null; }

    /** Loads the versions the policy now wants and retires the others. Returns what changed, for the log. */
    synchronized List<String> poll() {
        if (config == null) return List.of();
        List<String> events = new ArrayList<>();
        NavigableSet<Long> onDisk = versionsOnDisk(config.basePath());
        Set<Long> wanted = config.policy().select(onDisk);
        for (long v : new TreeSet<>(wanted).descendingSet()) {
            if (loaded.containsKey(v)) continue;
            Path dir = config.basePath().resolve(Long.toString(v));
            String print = fingerprint(dir);
            if (print.equals(failed.get(v))) continue;
            try {
                add(new ServedVersion(v, ServedModel.open(name, modelIn(dir)), options, metrics, true));
                failed.remove(v);
                events.add("loaded " + name + " version " + v + " from " + dir);
            } catch (IOException | RuntimeException e) {
                failed.put(v, print);
                states.put(v, new State(v, false, "cannot load " + dir + ": " + e.getMessage()));
                events.add("failed to load " + name + " version " + v + ": " + e.getMessage());
            }
        }
        for (long v : new ArrayList<>(loaded.keySet())) {
            if (wanted.contains(v)) continue;
            ServedVersion gone = loaded.remove(v);
            states.put(v, new State(v, false, "unloaded: " + (onDisk.contains(v) ? "replaced by a newer version"
                    : "its folder is gone")));
            gone.retire();
            events.add("unloaded " + name + " version " + v);
        }
        for (String e : events) LOG.log(System.Logger.Level.INFO, e);
        return events;
    }

    /**
     * Holds the newest available version ({@code version} null) or the given one for a request; the caller must
     * {@link ServedVersion#release} it. 404 when there is no such version.
     */
    ServedVersion acquire(Long version) {
        while (true) {
            ServedVersion v;
            if (version == null) {
                Map.Entry<Long, ServedVersion> newest = loaded.lastEntry();
                if (newest == null) throw ServingException.notFound("Servable not found for request: Latest(" + name
                        + "); no version of it is loaded" + failures());
                v = newest.getValue();
            } else {
                v = loaded.get(version);
                if (v == null) throw ServingException.notFound("Servable not found for request: Specific(" + name
                        + ", " + version + "); available versions: " + loaded.keySet() + failures());
            }
            if (v.acquire()) return v;
            // Retired between the lookup and the hold: look again, the map no longer has it.
        }
    }

    /** The versions to report: all known ones, or only {@code version}; 404 for an unknown version. */
    synchronized List<State> states(Long version) {
        if (version == null) {
            if (states.isEmpty()) throw ServingException.notFound("Could not find any versions of model " + name);
            return List.copyOf(states.values());
        }
        State s = states.get(version);
        if (s == null) throw ServingException.notFound("Servable not found for request: Specific(" + name + ", "
                + version + "); known versions: " + states.keySet());
        return List.of(s);
    }

    /** The newest loaded version and its signature, for a start-up message. */
    String describe() {
        Map.Entry<Long, ServedVersion> newest = loaded.lastEntry();
        return newest == null ? "no version loaded yet" : "version " + newest.getKey() + ", " + newest.getValue().model;
    }

    /** Whether the newest loaded version batches requests. */
    boolean batching() {
        Map.Entry<Long, ServedVersion> newest = loaded.lastEntry();
        return newest != null && newest.getValue().batcher != null;
    }

    /** Retires every version (each closes once its requests are answered). */
    @Override
    public synchronized void close() {
        for (ServedVersion v : loaded.values()) v.retire();
        loaded.clear();
    }

    private void add(ServedVersion v) {
        loaded.put(v.version, v);
        states.put(v.version, new State(v.version, true, ""));
    }

    private String failures() {
        return failed.isEmpty() ? "" : " (failed to load: " + failed.keySet() + ")";
    }

    /** A saved model directory, a run folder holding one, or an ONNX file. */
    static boolean isModel(Path p) {
        if (Files.isRegularFile(p)) return true;
        return Files.isRegularFile(p.resolve(SavedModel.SIGNATURE_FILE))
                || Files.isRegularFile(p.resolve("model").resolve(SavedModel.SIGNATURE_FILE));
    }

    /** The model inside version folder {@code dir}: the folder itself, or the one .onnx file it holds. */
    private static Path modelIn(Path dir) throws IOException {
        if (isModel(dir)) return dir;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> onnx = files.filter(f -> f.getFileName().toString().endsWith(".onnx")).toList();
            if (onnx.size() == 1) return onnx.get(0);
            throw new IOException(dir + " holds no saved model (" + SavedModel.SIGNATURE_FILE + ") and "
                    + (onnx.isEmpty() ? "no .onnx file" : onnx.size() + " .onnx files (expected one)"));
        }
    }

    private static NavigableSet<Long> versionsOnDisk(Path base) {
        NavigableSet<Long> out = new TreeSet<>();
        try (Stream<Path> entries = Files.list(base)) {
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d{1,18}")).forEach(n -> out.add(Long.parseLong(n)));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list " + base + ": " + e.getMessage());
        }
        return out;
    }

    /** The files' count, total size and newest modification time: changes when a copy completes. */
    private static String fingerprint(Path dir) {
        long[] acc = new long[3];
        try (Stream<Path> files = Files.walk(dir, 4)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    acc[0]++;
                    acc[1] += Files.size(f);
                    acc[2] = Math.max(acc[2], Files.getLastModifiedTime(f).toMillis());
                } catch (IOException e) {
                    acc[0] = -1;
                }
            });
        } catch (IOException e) {
            return "unreadable";
        }
        return acc[0] + "/" + acc[1] + "/" + acc[2];
    }
}
