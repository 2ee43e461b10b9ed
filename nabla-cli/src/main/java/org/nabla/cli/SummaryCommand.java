package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nabla.Tensor;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.ImportOptions;
import org.nabla.onnx.OnnxFiles;
import org.nabla.onnx.OnnxOperators;
import org.nabla.onnx.OnnxSavedModels;
import org.nabla.onnx.OnnxSignature;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.onnx.proto.OperatorSetIdProto;
import org.nabla.onnx.proto.TensorProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla summary}: a reference model's Keras-like summary, or a saved model's signature and weights. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Print a model's layers, output shapes and parameter counts (a saved model: "
        + "its signature and weights; an ONNX file: its signature, operators and initializers).")
public final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME|DIR", defaultValue = "cnn",
            description = "mlp, cnn, a saved model directory or an ONNX file (default: ${DEFAULT-VALUE}).")
    String model;

    @Override
    public Integer call() throws IOException {
        if (Classifier.isReferenceName(model)) {
            System.out.print(CliSupport.referenceModel(model, 42).summary());
            return 0;
        }
        if (model.endsWith(".onnx") || Files.isRegularFile(Path.of(model))) {
            System.out.print(onnxSummary(Path.of(model), OnnxFiles.readModel(Path.of(model))));
            return 0;
        }
        try (SavedModel s = SavedModel.load(Classifier.savedModelDir(model))) {
            System.out.print(savedSummary(s));
        }
        return 0;
    }

    /** Keras-like table of a saved model: its weights grouped by layer (the part of the key before the last '/'). */
    static String savedSummary(SavedModel s) {
        String rule = "_".repeat(65);
        String dbl = "=".repeat(65);
        StringBuilder b = new StringBuilder();
        b.append("Saved model: ").append(s.directory()).append('\n');
        for (SavedModel.IOSpec in : s.inputs()) b.append("  input  ").append(in).append('\n');
        for (SavedModel.IOSpec out : s.outputs()) b.append("  output ").append(out).append('\n');
        b.append(rule).append('\n');
        b.append(row("Layer", "Weights", "Param #")).append('\n').append(dbl).append('\n');
        Map<String, StringBuilder> shapes = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, Tensor> e : s.variables().entrySet()) {
            String key = e.getKey();
            int slash = key.lastIndexOf('/');
            String layer = slash < 0 ? key : key.substring(0, slash);
            String weight = slash < 0 ? key : key.substring(slash + 1);
            long n = e.getValue().shape().size();
            total += n;
            StringBuilder sb = shapes.computeIfAbsent(layer, k -> new StringBuilder());
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(weight).append(shapeText(e.getValue().shape().dims()));
            counts.merge(layer, n, Long::sum);
        }
        int i = 0;
        for (String layer : shapes.keySet()) {
            if (i++ > 0) b.append('\n');
            b.append(row(layer, shapes.get(layer).toString(), String.format(Locale.ROOT, "%,d", counts.get(layer))))
                    .append('\n');
        }
        b.append(dbl).append('\n');
        b.append(String.format(Locale.ROOT, "Total params: %,d%n", total).replace(System.lineSeparator(), "\n"));
        b.append(rule).append('\n');
        return b.toString();
    }

    /** An ONNX model at a glance: producer and opsets, inputs and outputs, operator counts, initializer sizes. */
    static String onnxSummary(Path file, ModelProto m) {
        StringBuilder b = new StringBuilder();
        b.append("ONNX model: ").append(file).append('\n');
        b.append("  producer ").append(m.getProducerName().isEmpty() ? "?" : m.getProducerName())
                .append(m.getProducerVersion().isEmpty() ? "" : " " + m.getProducerVersion())
                .append(", IR version ").append(m.getIrVersion()).append(", opsets");
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            b.append(' ').append(o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain()).append(':').append(o.getVersion());
        }
        b.append('\n');
        for (OnnxSignature.Value in : OnnxSignature.inputs(m.getGraph(), Map.of())) {
            b.append("  input  ").append(in).append('\n');
        }
        for (OnnxSignature.Value out : OnnxSignature.outputs(m.getGraph())) {
            b.append("  output ").append(out).append('\n');
        }
        Map<String, Integer> ops = new java.util.TreeMap<>();
        for (NodeProto n : m.getGraph().getNodeList()) ops.merge(n.getOpType(), 1, Integer::sum);
        b.append("  ").append(m.getGraph().getNodeCount()).append(" nodes:");
        ops.forEach((op, count) -> b.append(' ').append(op).append(count > 1 ? " x" + count : ""));
        b.append('\n');
        long params = 0;
        for (TensorProto t : m.getGraph().getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) n *= d;
            params += n;
        }
        b.append(String.format(Locale.ROOT, "  %d initializers, %,d values%n", m.getGraph().getInitializerCount(),
                params).replace(System.lineSeparator(), "\n"));
        b.append("  importable: ").append(importability(m, ops.keySet())).append('\n');
        return b.toString();
    }

    /**
     * Whether `nabla import` takes the model as it is: the operators must have rules, and then the import itself is
     * tried (into a temporary folder, deleted after), so the answer is the one `import` would give.
     */
    private static String importability(ModelProto m, java.util.Set<String> ops) {
        List<String> unsupported = ops.stream().filter(op -> !OnnxOperators.supports(op)).toList();
        if (!unsupported.isEmpty()) return "no, no Nabla rule for " + unsupported;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("nabla-summary-");
            OnnxSavedModels.importToSavedModel(m, ImportOptions.defaults(), dir.resolve("model"));
            return "yes (every operator has a Nabla rule and the graph imports as it is)";
        } catch (IOException | RuntimeException e) {
            return "not as it is: " + Main.message(e) + ImportCommand.symbolicInputHint(m, ImportOptions.defaults());
        } finally {
            if (dir != null) RunFolder.deleteQuietly(dir);
        }
    }

    private static String shapeText(int[] dims) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) b.append(i > 0 ? "," : "").append(dims[i]);
        return b.append(')').toString();
    }

    private static String row(String a, String s, String p) {
        String left = " " + a;
        left = left.length() >= 29 ? left + " " : left + " ".repeat(29 - left.length());
        String mid = s.length() >= 26 ? s + " " : s + " ".repeat(26 - s.length());
        return (left + mid + p).stripTrailing();
    }
}
