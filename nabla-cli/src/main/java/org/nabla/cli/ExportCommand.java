package org.nabla.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.OnnxExporter;
import org.nabla.onnx.OnnxFiles;
import org.nabla.onnx.proto.ModelProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nabla export}: a saved model as an ONNX model file (opset 17), for ONNX Runtime and other tools. */
@Command(name = "export", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Export a saved model (or a training run's folder) as an ONNX model file (opset "
                + OnnxExporter.OPSET + ") with a dynamic batch size.")
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "A saved model directory, or a run folder written by nabla train.")
    String model;

    @Option(names = "--onnx", paramLabel = "FILE", required = true,
            description = "The .onnx file to write (replaced atomically if it exists).")
    Path onnx;

    @Override
    public Integer call() throws IOException {
        Path dir = Classifier.savedModelDir(model);
        Path parent = onnx.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException(onnx + ": the folder " + parent + " does not exist");
        }
        if (Files.isDirectory(onnx)) throw new IOException(onnx + ": is a directory; give the .onnx file to write");
        ModelProto m;
        try (SavedModel saved = SavedModel.load(dir)) {
            m = OnnxExporter.export(saved);
            OnnxFiles.writeModel(onnx, m);
            System.out.printf("exported %s to %s: ONNX opset %d, %d nodes, %d initializers; inputs %s, outputs %s%n",
                    dir, onnx, OnnxExporter.OPSET, m.getGraph().getNodeCount(), m.getGraph().getInitializerCount(),
                    saved.inputs(), saved.outputs());
        }
        return 0;
    }
}
