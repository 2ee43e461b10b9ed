package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nabla.Shape;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.ImportOptions;
import org.nabla.onnx.OnnxFiles;
import org.nabla.onnx.OnnxSavedModels;
import org.nabla.onnx.OnnxSignature;
import org.nabla.onnx.UnsupportedOnnxException;
import org.nabla.onnx.proto.ModelProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nabla import model.onnx --out DIR}: converts an ONNX model into a Nabla saved model. */
@Command(name = "import", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Import an ONNX model as a Nabla saved model (graph, weights, named inputs and outputs) that "
                + "nabla predict/evaluate and SavedModel.load use.")
public final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The saved model directory to write.")
    Path out;

    @Option(names = "--input-shape", paramLabel = "NAME=D1,D2,...",
            description = "Replace an input's declared shape (-1 for any size), e.g. input=-1,1,28,28. Repeatable.")
    Map<String, String> inputShapes = Map.of();

    @Override
    public Integer call() throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder; give an ONNX model file (model.onnx)");
        }
        ModelProto model = OnnxFiles.readModel(file);
        ImportOptions options = ImportOptions.defaults();
        java.util.Set<String> initialized = new java.util.HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> initialized.add(t.getName()));
        List<String> inputNames = model.getGraph().getInputList().stream().map(v -> v.getName())
                .filter(n -> !initialized.contains(n)).toList();
        for (Map.Entry<String, String> e : inputShapes.entrySet()) {
            if (!inputNames.contains(e.getKey())) {
                throw new IllegalArgumentException("--input-shape " + e.getKey() + "=" + e.getValue() + ": the model "
                        + "has no input '" + e.getKey() + "'; its inputs are " + inputNames);
            }
            options = options.withInputShape(e.getKey(), parseShape(e.getKey(), e.getValue()));
        }
        try {
            OnnxSavedModels.importToSavedModel(model, options, out);
        } catch (UnsupportedOnnxException e) {
            throw new IOException(file + ": " + Main.message(e) + symbolicInputHint(model, options), e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": " + Main.message(e), e);
        }
        try (SavedModel m = SavedModel.load(out)) {
            System.out.println("imported " + file + " -> " + out);
            System.out.println("  inputs:  " + m.inputs());
            System.out.println("  outputs: " + m.outputs());
            System.out.println("  " + m.graph().size() + " graph nodes, " + m.variables().size() + " weight tensors");
        }
        return 0;
    }

    /** When inputs have symbolic dims, how to fix them: a saved model is one graph for every size it accepts. */
    static String symbolicInputHint(ModelProto model, ImportOptions options) {
        List<OnnxSignature.Value> open = OnnxSignature.inputs(model.getGraph(), options.inputShapes()).stream()
                .filter(v -> !v.spec().shape().isFullyDefined()).toList();
        if (open.isEmpty()) return "";
        OnnxSignature.Value first = open.get(0);
        String example = java.util.Arrays.stream(first.spec().shape().dims()).mapToObj(d -> d < 0 ? "1" : "" + d)
                .collect(java.util.stream.Collectors.joining(","));
        return " (inputs with symbolic dimensions: " + open + "; if the model needs them known, fix them with "
                + "--input-shape, e.g. --input-shape " + first.name() + "=" + example + ")";
    }

    private static Shape parseShape(String name, String dims) {
        List<String> parts = List.of(dims.split(","));
        int[] d = new int[parts.size()];
        try {
            for (int i = 0; i < d.length; i++) d[i] = Integer.parseInt(parts.get(i).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input-shape " + name + "=" + dims + ": expected integers separated "
                    + "by commas, e.g. " + name + "=-1,1,28,28");
        }
        return Shape.of(d);
    }
}
