package org.nabla.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nabla.Tensor;
import org.nabla.nn.saving.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla summary}: a reference model's Keras-like summary, or a saved model's signature and weights. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Print a model's layers, output shapes and parameter counts (a saved model: "
        + "its signature and weights).")
public final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME|DIR", defaultValue = "cnn",
            description = "mlp, cnn, or a saved model directory (default: ${DEFAULT-VALUE}).")
    String model;

    @Override
    public Integer call() throws IOException {
        if (Classifier.isReferenceName(model)) {
            System.out.print(CliSupport.referenceModel(model, 42).summary());
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
