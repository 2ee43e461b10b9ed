package org.nabla.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nabla.Tensor;
import org.nabla.onnx.proto.GraphProto;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.ValueInfoProto;

/**
 * Runs ONNX's operator test cases: each case folder holds model.onnx and test_data_set_N/ with input_K.pb and
 * output_K.pb. The model is imported into a graph and run in a Session on every data set; outputs are compared with
 * ONNX's tolerances ({@code |actual - expected| <= atol + rtol * |expected|}, rtol 1e-3, atol 1e-7; integers and booleans
 * exactly). Inputs are fed at run time; inputs an operator needs at import time (Reshape's shape...) are also bound.
 * A case whose model draws random numbers (Bernoulli, RandomNormal...) cannot match ONNX's values, whose streams are
 * implementation-defined: it is compared by distribution ({@link RandomComparison}) and reported as {@code random},
 * not as a pass.
 */
public final class OnnxConformance {
    public static final double RTOL = 1e-3;
    public static final double ATOL = 1e-7;

    /** A case's outcome; RANDOM: a random operator's outputs matched ONNX's in dtype, shape and distribution. */
    public enum Status { PASS, FAIL, SKIP, RANDOM }

    /** One case's outcome; {@code detail} is the largest error for a failure, the reason for a skip. */
    public record Result(String name, Status status, String detail) {
        @Override
        public String toString() {
            return switch (status) {
                case PASS -> "pass " + name;
                case FAIL -> "fail " + name + " (" + detail + ")";
                case SKIP -> "skip " + name + " (" + detail + ")";
                case RANDOM -> "random " + name + " (compared by distribution: " + detail + ")";
            };
        }
    }

    /**
     * Cases whose expected outputs are wrong beyond ONNX's own tolerance, checked against an exact computation;
     * reported as skips with the evidence, never as passes.
     */
    static final Map<String, String> DATA_ISSUES = Map.of("test_dft_inverse_opset19",
            "the expected output carries float32 rounding noise beyond atol 1e-7: element 101 is 1.9e-7 where the "
            + "exact inverse DFT (NumPy's ifft in float64) gives -7e-16; Nabla gives 3e-15");

    private OnnxConformance() {}

    /** The case folders under {@code suite} (folders holding a model.onnx), sorted; or {@code suite} itself. */
    public static List<Path> cases(Path suite) throws IOException {
        if (Files.isRegularFile(suite.resolve("model.onnx"))) return List.of(suite);
        try (Stream<Path> s = Files.list(suite)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
    }

    /** Runs every case under {@code suite}, reporting each result as it is known. */
    public static List<Result> runAll(Path suite, Consumer<Result> onResult) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Path dir : cases(suite)) {
            Result r = run(dir);
            results.add(r);
            onResult.accept(r);
        }
        return results;
    }

    /**
     * The closing line: {@code N passed, M failed, K skipped}, and {@code , R random (compared by distribution)} when
     * there are such cases.
     */
    public static String summary(List<Result> results) {
        long pass = count(results, Status.PASS), fail = count(results, Status.FAIL);
        long skip = count(results, Status.SKIP), random = count(results, Status.RANDOM);
        return pass + " passed, " + fail + " failed, " + skip + " skipped"
                + (random == 0 ? "" : ", " + random + " random (compared by distribution)");
    }

    private static long count(List<Result> results, Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    /** Runs one case folder. */
    public static Result run(Path dir) {
        String name = dir.getFileName().toString();
        if (DATA_ISSUES.containsKey(name)) return new Result(name, Status.SKIP, DATA_ISSUES.get(name));
        try {
            ModelProto model = OnnxFiles.readModel(dir.resolve("model.onnx"));
            List<Path> sets;
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            }
            if (hasStructuredValues(model.getGraph())) return runWithValues(name, model, sets);
            // Import once to learn the inputs (and fail early on unsupported operators) before reading data.
            List<OnnxSignature.Value> inputs = OnnxSignature.inputs(model.getGraph(), Map.of());
            new OnnxGraphTranslator(model).checkOperatorsSupported();
            boolean random = RandomComparison.isRandom(model.getGraph());
            String worst = null, distribution = null;
            for (Path set : sets) {
                List<Tensor> in = readNumbered(set, "input_");
                List<Tensor> expected = readNumbered(set, "output_");
                if (in.size() != inputs.size()) {
                    return new Result(name, Status.FAIL, set.getFileName() + " has " + in.size() + " inputs, the model "
                            + "takes " + inputs.size());
                }
                Map<String, Tensor> feeds = new HashMap<>();
                for (int i = 0; i < in.size(); i++) feeds.put(inputs.get(i).name(), in.get(i));
                Map<String, Tensor> actual;
                try (OnnxModel m = OnnxImporter.load(model, ImportOptions.defaults().withBindings(feeds))) {
                    actual = m.run(feeds);
                }
                List<Tensor> outs = new ArrayList<>(actual.values());
                if (outs.size() != expected.size()) {
                    return new Result(name, Status.FAIL, "the model gave " + outs.size() + " outputs, expected "
                            + expected.size());
                }
                for (int k = 0; k < expected.size(); k++) {
                    String err = random ? RandomComparison.compare(expected.get(k), outs.get(k))
                            : compare(expected.get(k), outs.get(k));
                    if (random && err == null) distribution = RandomComparison.describe(expected.get(k), outs.get(k));
                    if (err != null) worst = set.getFileName() + " output " + k + ": " + err;
                }
                if (worst != null) return new Result(name, Status.FAIL, worst);
            }
            return random ? new Result(name, Status.RANDOM, distribution) : new Result(name, Status.PASS, "");
        } catch (UnsupportedOnnxException e) {
            return new Result(name, Status.SKIP, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Result(name, Status.FAIL, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Whether a graph input or output is a sequence or optional (run eagerly with {@link OnnxImporter#evaluate}). */
    private static boolean hasStructuredValues(GraphProto g) {
        for (ValueInfoProto v : g.getInputList()) if (!v.getType().hasTensorType()) return true;
        for (ValueInfoProto v : g.getOutputList()) if (!v.getType().hasTensorType()) return true;
        return false;
    }

    private static Result runWithValues(String name, ModelProto model, List<Path> sets) throws IOException {
        new OnnxGraphTranslator(model).checkOperatorsSupported();
        GraphProto g = model.getGraph();
        java.util.Set<String> initialized = new java.util.HashSet<>();
        g.getInitializerList().forEach(t -> initialized.add(t.getName()));
        List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !initialized.contains(v.getName())).toList();
        for (Path set : sets) {
            Map<String, OnnxValue> feeds = new HashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                Path p = set.resolve("input_" + i + ".pb");
                if (!Files.exists(p)) return new Result(name, Status.FAIL, set.getFileName() + " lacks " + p.getFileName());
                feeds.put(inputs.get(i).getName(), OnnxFiles.readValue(p, inputs.get(i).getType()));
            }
            List<OnnxValue> actual = new ArrayList<>(OnnxImporter.evaluate(model, feeds).values());
            for (int k = 0; k < g.getOutputCount(); k++) {
                OnnxValue expected = OnnxFiles.readValue(set.resolve("output_" + k + ".pb"), g.getOutput(k).getType());
                String err = compareValues(expected, actual.get(k));
                if (err != null) return new Result(name, Status.FAIL, set.getFileName() + " output " + k + ": " + err);
            }
        }
        return new Result(name, Status.PASS, "");
    }

    /** Null when {@code actual} matches {@code expected} in kind, length or presence, and every tensor. */
    static String compareValues(OnnxValue expected, OnnxValue actual) {
        if (expected.getClass() != actual.getClass()) return actual.kind() + ", expected " + expected.kind();
        return switch (expected) {
            case OnnxValue.TensorValue t -> compare(t.tensor(), ((OnnxValue.TensorValue) actual).tensor());
            case OnnxValue.SequenceValue s -> {
                List<Tensor> a = ((OnnxValue.SequenceValue) actual).elements();
                if (a.size() != s.elements().size()) yield "a sequence of " + a.size() + ", expected " + s.elements().size();
                for (int i = 0; i < a.size(); i++) {
                    String err = compare(s.elements().get(i), a.get(i));
                    if (err != null) yield "element " + i + ": " + err;
                }
                yield null;
            }
            case OnnxValue.OptionalValue o -> {
                OnnxValue.OptionalValue b = (OnnxValue.OptionalValue) actual;
                if (o.hasElement() != b.hasElement()) yield b.hasElement() ? "a value, expected none" : "none, expected a value";
                yield o.hasElement() ? compareValues(o.element(), b.element()) : null;
            }
        };
    }

    private static List<Tensor> readNumbered(Path set, String prefix) throws IOException {
        List<Tensor> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            Path p = set.resolve(prefix + k + ".pb");
            if (!Files.exists(p)) return out;
            out.add(OnnxFiles.readTensor(p));
        }
    }

    /** Null when {@code actual} matches, else what differs (dtype, shape, or the largest error and where). */
    static String compare(Tensor expected, Tensor actual) {
        if (actual.dtype() != expected.dtype()) return "dtype " + actual.dtype() + ", expected " + expected.dtype();
        if (!actual.shape().equals(expected.shape())) {
            return "shape " + actual.shape() + ", expected " + expected.shape();
        }
        if (expected.dtype().isFloating() || expected.dtype().isLowPrecisionFloat()) {
            double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
            double worst = -1;
            int at = -1;
            for (int i = 0; i < e.length; i++) {
                if (e[i] == a[i] || Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
                double err = Math.abs(e[i] - a[i]);
                if (!(err <= ATOL + RTOL * Math.abs(e[i])) && (Double.isNaN(err) || err > worst)) {
                    worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    at = i;
                }
            }
            return at < 0 ? null : "largest error " + worst + " at element " + at + " (expected " + e[at] + ", got "
                    + a[at] + ")";
        }
        if (expected.dtype() == org.nabla.DType.STRING) {
            byte[][] e = expected.toBytesArray(), a = actual.toBytesArray();
            for (int i = 0; i < e.length; i++) {
                if (!java.util.Arrays.equals(e[i], a[i])) {
                    return "element " + i + " is '" + new String(a[i], java.nio.charset.StandardCharsets.UTF_8)
                            + "', expected '" + new String(e[i], java.nio.charset.StandardCharsets.UTF_8) + "'";
                }
            }
            return null;
        }
        long[] e = expected.toLongArray(), a = actual.toLongArray();
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) return "element " + i + " is " + a[i] + ", expected " + e[i];
        }
        return null;
    }
}
