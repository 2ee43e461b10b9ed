package org.nabla.nn.saving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nabla.DType;
import org.nabla.TracedFunction;
import org.nabla.ResourceManager;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Variable;
import org.nabla.graph.Effects;
import org.nabla.graph.FuncGraph;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.graph.Node;
import org.nabla.graph.Output;
import org.nabla.io.AtomicFiles;
import org.nabla.io.Json;
import org.nabla.io.TextFiles;
import org.nabla.ops.TensorSpec;
import org.nabla.runtime.Session;
import org.nabla.runtime.SessionOptions;

/**
 * A model saved as data: the traced prediction graph ({@value #GRAPH_FILE}, a graph file), the variables' values
 * ({@value #VARIABLES_FILE}, a checkpoint) and the named input/output signature ({@value #SIGNATURE_FILE}, JSON), in
 * one directory written atomically (docs/saved-model.md). {@link #load} needs none of the Java code that built the
 * model: it runs the graph in a {@link Session} whose resource manager holds the loaded variables, and the session
 * reuses one prepared plan for every {@link #predict} call. Close it to release the session.
 */
public final class SavedModel implements AutoCloseable {
    /** The signature file in a saved model's folder: inputs, outputs and their specs (JSON). */
    public static final String SIGNATURE_FILE = "saved_model.json";
    /** The graph file in a saved model's folder ({@code GraphIO}'s format). */
    public static final String GRAPH_FILE = "graph.nabla";
    /** The checkpoint of the variables in a saved model's folder. */
    public static final String VARIABLES_FILE = "variables" + Checkpoint.EXTENSION;
    static final String FORMAT = "nabla-saved-model";
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    /** One named input or output: its name, dtype and shape (-1 for a dimension of any size, like the batch). */
    public record IOSpec(String name, TensorSpec spec) {
        @Override public String toString() { return name + ": " + spec; }
    }

    private final Path dir;
    private final Graph graph;
    private final List<IOSpec> inputs;
    private final List<IOSpec> outputs;
    private final List<Tensor> placeholders;
    private final List<Tensor> fetches;
    private final List<Node> targets;
    private final Map<String, Tensor> variables;
    private final Map<String, Tensor> variablesByName;
    private final Session session;

    private SavedModel(Path dir, Graph graph, List<IOSpec> inputs, List<IOSpec> outputs, List<Tensor> placeholders,
                       List<Tensor> fetches, Map<String, Tensor> variables, Map<String, Tensor> variablesByName,
                       ResourceManager resources) {
        this.dir = dir;
        this.graph = graph;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.placeholders = List.copyOf(placeholders);
        this.fetches = List.copyOf(fetches);
        this.targets = Effects.effectfulNodes(graph);
        this.variables = variables;
        this.variablesByName = variablesByName;
        this.session = new Session(graph, SessionOptions.defaults(), resources);
    }

    // ---------------------------------------------------------------- saving

    /**
     * Traces {@code predictFn} on {@code inputSpecs} into a graph (variables read inside it become variable reads
     * resolved when the saved model runs; other Java values become constants) and writes the saved model to
     * {@code dir} atomically, replacing an existing saved model (but never a non-empty directory that is not one).
     * Every variable the function reads must be in
     * {@code variables}, whose keys name them in the checkpoint.
     */
    public static void save(Path dir, java.util.function.Function<Tensor[], Tensor[]> predictFn,
                            List<TensorSpec> inputSpecs, List<String> inputNames, List<String> outputNames,
                            Map<String, Variable> variables) throws IOException {
        if (predictFn == null) throw new IllegalArgumentException("SavedModel.save: predictFn is null");
        checkNames("input", inputNames);
        checkNames("output", outputNames);
        if (inputSpecs == null || inputSpecs.size() != inputNames.size()) {
            throw new IllegalArgumentException("SavedModel.save: " + inputNames.size() + " input names " + inputNames
                    + " but " + (inputSpecs == null ? "no" : String.valueOf(inputSpecs.size())) + " input specs");
        }
        FuncGraph f = TracedFunction.of("predict", predictFn).withInputSignature(inputSpecs.toArray(TensorSpec[]::new))
                .concreteFunction(inputSpecs.toArray(TensorSpec[]::new)).graph();
        if (f.results().size() != outputNames.size()) {
            throw new IllegalArgumentException("SavedModel.save: the function returns " + f.results().size()
                    + " values but " + outputNames.size() + " output names were given " + outputNames);
        }
        // Which variables the graph reads, by their graph names; each must be saved.
        Map<String, String> keyByGraphName = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : variables.entrySet()) {
            if (e.getValue() == null) throw new IllegalArgumentException("SavedModel.save: variable '" + e.getKey()
                    + "' is null");
            if (keyByGraphName.put(e.getValue().name(), e.getKey()) != null) {
                throw new IllegalArgumentException("SavedModel.save: variable " + e.getValue().name()
                        + " is given twice");
            }
        }
        TreeSet<String> unsaved = new TreeSet<>();
        for (String name : variablesRead(f.graph())) if (!keyByGraphName.containsKey(name)) unsaved.add(name);
        if (!unsaved.isEmpty()) {
            throw new IllegalArgumentException("SavedModel.save: the function reads variables " + unsaved
                    + " that are not in the variables map; add them so their values are saved");
        }
        Map<String, Tensor> values = Checkpoint.values(variables);
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("format", FORMAT);
        sig.put("version", VERSION);
        sig.put("graph", GRAPH_FILE);
        sig.put("variables_file", VARIABLES_FILE);
        List<Object> ins = new ArrayList<>();
        for (int i = 0; i < inputNames.size(); i++) ins.add(ioJson(inputNames.get(i), f.params().get(i)));
        sig.put("inputs", ins);
        List<Object> outs = new ArrayList<>();
        for (int i = 0; i < outputNames.size(); i++) outs.add(ioJson(outputNames.get(i), f.results().get(i)));
        sig.put("outputs", outs);
        List<Object> vars = new ArrayList<>();
        for (Map.Entry<String, Variable> e : variables.entrySet()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("key", e.getKey());
            v.put("name", e.getValue().name());
            Tensor t = values.get(e.getKey());
            v.put("dtype", t.dtype().toString());
            v.put("shape", dims(t.shape()));
            vars.add(v);
        }
        sig.put("variables", vars);
        byte[] graphBytes = GraphIO.toBytes(f.graph());
        byte[] checkpoint = Checkpoint.toBytes(values);
        byte[] json = Json.write(sig).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeDirectory(dir, SIGNATURE_FILE, tmp -> {
            Files.write(tmp.resolve(GRAPH_FILE), graphBytes);
            Files.write(tmp.resolve(VARIABLES_FILE), checkpoint);
            Files.write(tmp.resolve(SIGNATURE_FILE), json);
        });
    }

    private static void checkNames(String what, List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("SavedModel.save: no " + what + " names");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n == null || n.isEmpty()) throw new IllegalArgumentException("SavedModel.save: an " + what
                    + " name is empty");
            if (!seen.add(n)) throw new IllegalArgumentException("SavedModel.save: " + what + " name '" + n
                    + "' is used twice");
        }
    }

    private static Set<String> variablesRead(Graph g) {
        Set<String> names = new HashSet<>();
        for (Node n : g.nodes()) {
            for (String r : Effects.resources(n.op(), n.attrs())) {
                if (r.startsWith("variable:")) names.add(r.substring("variable:".length()));
            }
        }
        return names;
    }

    private static Map<String, Object> ioJson(String name, Output o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("dtype", o.spec().dtype().toString());
        m.put("shape", dims(o.spec().shape()));
        m.put("tensor", o.toString());
        return m;
    }

    private static List<Object> dims(Shape s) {
        List<Object> l = new ArrayList<>();
        for (int d : s.dims()) l.add(d);
        return l;
    }

    // ---------------------------------------------------------------- loading

    /** Loads the saved model in {@code dir}; every problem is an {@link IOException} naming the file at fault. */
    public static SavedModel load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": no such saved model directory");
        Path sigFile = dir.resolve(SIGNATURE_FILE);
        if (!Files.isRegularFile(sigFile)) {
            throw new IOException(dir + ": not a saved model directory (no " + SIGNATURE_FILE + " in it)");
        }
        Map<String, Object> sig;
        try {
            Object parsed = Json.parse(TextFiles.readUtf8(sigFile));
            if (!(parsed instanceof Map<?, ?>)) throw new IllegalArgumentException("not a JSON object");
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) parsed;
            sig = m;
        } catch (IllegalArgumentException e) {
            throw new IOException(sigFile + ": corrupted signature file: " + e.getMessage());
        }
        Fields f = new Fields(sigFile);
        if (!FORMAT.equals(sig.get("format"))) {
            throw new IOException(sigFile + ": not a Nabla saved model signature (\"format\" is not \"" + FORMAT + "\")");
        }
        long version = f.integer(sig, "version");
        if (version != VERSION) {
            throw new IOException(sigFile + ": unsupported saved model version " + version + " (this build reads "
                    + "version " + VERSION + ")");
        }
        Path graphFile = dir.resolve(f.fileName(sig, "graph"));
        Path varFile = dir.resolve(f.fileName(sig, "variables_file"));
        if (!Files.isRegularFile(graphFile)) throw new IOException(graphFile + ": missing graph file of the saved model");
        if (!Files.isRegularFile(varFile)) {
            throw new IOException(varFile + ": missing variables file of the saved model");
        }
        Graph graph = GraphIO.read(graphFile);
        Map<String, Tensor> stored = Checkpoint.load(varFile);

        List<IOSpec> inputs = new ArrayList<>();
        List<IOSpec> outputs = new ArrayList<>();
        List<Tensor> placeholders = new ArrayList<>();
        List<Tensor> fetches = new ArrayList<>();
        for (Map<String, Object> io : f.objects(sig, "inputs")) {
            inputs.add(f.ioSpec(io));
            placeholders.add(f.tensorIn(graph, graphFile, io, inputs.getLast()));
        }
        for (Map<String, Object> io : f.objects(sig, "outputs")) {
            outputs.add(f.ioSpec(io));
            fetches.add(f.tensorIn(graph, graphFile, io, outputs.getLast()));
        }
        if (inputs.isEmpty() || outputs.isEmpty()) throw new IOException(sigFile + ": no inputs or no outputs");

        ResourceManager resources = new ResourceManager();
        Map<String, Tensor> byKey = new LinkedHashMap<>();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Map<String, Object> v : f.objects(sig, "variables")) {
            String key = f.string(v, "key");
            String name = f.string(v, "name");
            TensorSpec spec = f.spec(v);
            Tensor t = stored.get(key);
            if (t == null) throw new IOException(varFile + ": variable '" + key + "' of the signature is missing");
            if (t.dtype() != spec.dtype() || !t.shape().equals(spec.shape())) {
                throw new IOException(varFile + ": variable '" + key + "' is " + t.spec() + " but the signature says "
                        + spec);
            }
            resources.assign(name, t);
            byKey.put(key, t);
            byName.put(name, t);
        }
        TreeSet<String> unset = new TreeSet<>();
        for (String name : variablesRead(graph)) if (!resources.contains(name)) unset.add(name);
        if (!unset.isEmpty()) {
            throw new IOException(sigFile + ": the graph reads variables " + unset + " that the saved model lacks");
        }
        return new SavedModel(dir, graph, inputs, outputs, placeholders, fetches, java.util.Collections
                .unmodifiableMap(byKey), java.util.Collections.unmodifiableMap(byName), resources);
    }

    /** Typed access to the signature's fields; errors name the file and the field. */
    private record Fields(Path file) {
        Object get(Map<String, Object> m, String key) throws IOException {
            if (!m.containsKey(key)) throw new IOException(file + ": field \"" + key + "\" is missing");
            return m.get(key);
        }

        long integer(Map<String, Object> m, String key) throws IOException {
            if (get(m, key) instanceof Long l) return l;
            throw new IOException(file + ": field \"" + key + "\" is not an integer");
        }

        String string(Map<String, Object> m, String key) throws IOException {
            if (get(m, key) instanceof String s && !s.isEmpty()) return s;
            throw new IOException(file + ": field \"" + key + "\" is not a non-empty string");
        }

        String fileName(Map<String, Object> m, String key) throws IOException {
            String s = string(m, key);
            if (s.contains("/") || s.contains("\\") || s.startsWith(".")) {
                throw new IOException(file + ": field \"" + key + "\" must name a file in the model directory, "
                        + "not \"" + s + "\"");
            }
            return s;
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> objects(Map<String, Object> m, String key) throws IOException {
            if (get(m, key) instanceof List<?> l && l.stream().allMatch(x -> x instanceof Map<?, ?>)) {
                return (List<Map<String, Object>>) (List<?>) l;
            }
            throw new IOException(file + ": field \"" + key + "\" is not a list of objects");
        }

        TensorSpec spec(Map<String, Object> m) throws IOException {
            DType dtype;
            try {
                dtype = DType.of(string(m, "dtype"));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage());
            }
            if (!(get(m, "shape") instanceof List<?> l) || l.size() > 64) {
                throw new IOException(file + ": field \"shape\" is not a list of dimensions");
            }
            int[] dims = new int[l.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!(l.get(i) instanceof Long d) || d < -1 || d > Integer.MAX_VALUE) {
                    throw new IOException(file + ": shape " + l + " has a bad dimension");
                }
                dims[i] = (int) (long) d;
            }
            return TensorSpec.of(dtype, Shape.of(dims));
        }

        IOSpec ioSpec(Map<String, Object> m) throws IOException { return new IOSpec(string(m, "name"), spec(m)); }

        Tensor tensorIn(Graph g, Path graphFile, Map<String, Object> m, IOSpec io) throws IOException {
            String name = string(m, "tensor");
            Tensor t;
            try {
                t = g.tensor(name);
            } catch (IllegalArgumentException e) {
                throw new IOException(graphFile + ": tensor '" + name + "' of '" + io.name() + "' is not in the "
                        + "graph: " + e.getMessage());
            }
            if (!t.spec().equals(io.spec())) {
                throw new IOException(file + ": '" + io.name() + "' is " + io.spec() + " but the graph's tensor "
                        + name + " is " + t.spec());
            }
            return t;
        }
    }

    // ---------------------------------------------------------------- predicting

    /** The folder it was loaded from. */
    public Path directory() { return dir; }

    /** The named inputs, in order. */
    public List<IOSpec> inputs() { return inputs; }

    /** The named outputs, in order. */
    public List<IOSpec> outputs() { return outputs; }

    /** The prediction graph (for printing or drawing). */
    public Graph graph() { return graph; }

    /** The loaded variable values by checkpoint key. */
    public Map<String, Tensor> variables() { return variables; }

    /** The variable values by the names the graph's ReadVariable nodes use (for exporters such as ONNX's). */
    public Map<String, Tensor> variablesByName() { return variablesByName; }

    /** The graph's placeholders fed with the inputs, in signature order. */
    public List<Tensor> inputTensors() { return placeholders; }

    /** The graph tensors fetched as the outputs, in signature order. */
    public List<Tensor> outputTensors() { return fetches; }

    /** Runs the model on inputs given in signature order; returns the outputs in signature order. */
    public Tensor[] predict(Tensor... args) {
        if (args.length != inputs.size()) {
            throw new IllegalArgumentException("saved model " + dir + " takes " + inputs.size() + " inputs " + inputs
                    + ", got " + args.length);
        }
        Map<Tensor, Object> feeds = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) feeds.put(placeholders.get(i), check(inputs.get(i), args[i]));
        return session.run(fetches, feeds, targets).toArray(Tensor[]::new);
    }

    /** Runs the model on inputs given by name; returns the outputs by name, in signature order. */
    public Map<String, Tensor> predict(Map<String, Tensor> named) {
        Tensor[] args = new Tensor[inputs.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = named.get(inputs.get(i).name());
            if (args[i] == null) throw new IllegalArgumentException("saved model " + dir + ": input '"
                    + inputs.get(i).name() + "' (" + inputs.get(i).spec() + ") is not given");
        }
        for (String k : named.keySet()) {
            if (inputs.stream().noneMatch(io -> io.name().equals(k))) {
                throw new IllegalArgumentException("saved model " + dir + " has no input '" + k + "'; its inputs are "
                        + inputs);
            }
        }
        Tensor[] out = predict(args);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) result.put(outputs.get(i).name(), out[i]);
        return result;
    }

    private Tensor check(IOSpec io, Tensor t) {
        if (t == null) throw new IllegalArgumentException("saved model input '" + io.name() + "' is null");
        if (t.isSymbolic()) throw new IllegalArgumentException("saved model input '" + io.name() + "' is a graph "
                + "tensor; pass a value");
        if (t.dtype() != io.spec().dtype() || !t.shape().isCompatibleWith(io.spec().shape())) {
            throw new IllegalArgumentException("saved model input '" + io.name() + "' expects " + io.spec()
                    + " (None: any size), got " + t.spec());
        }
        return t;
    }

    /** How many execution plans the session prepared (one, however many predict calls). */
    public int cachedPlans() { return session.cachedPlans(); }

    @Override
    public void close() { session.close(); }

    @Override
    public String toString() { return "SavedModel " + dir + " " + inputs + " -> " + outputs; }
}
