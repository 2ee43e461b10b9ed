package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.io.Npy;
import org.nabla.nn.saving.SavedModel;

/** The README's ONNX lines, run as written (on the PyTorch-exported test model). */
class ReadmeOnnxTourTest {
    @Test
    void tourRuns(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("small_cnn.onnx");
        Files.copy(Path.of(getClass().getResource("/pytorch/small_cnn.onnx").toURI()), model);
        Tensor images = Npy.read(Path.of(getClass().getResource("/pytorch/small_cnn_x.npy").toURI()));

        try (OnnxModel m = OnnxImporter.load(model)) {
            assertEquals("[x: float32(None, 1, 12, 12)]", m.inputs().toString());
            Tensor y = m.run(images)[0];
            assertEquals(Shape.of(3, 5), y.shape());
        }
        Path dir = tmp.resolve("small_cnn_model");
        OnnxSavedModels.importToSavedModel(OnnxFiles.readModel(model), ImportOptions.defaults(), dir);
        try (SavedModel s = SavedModel.load(dir)) {
            OnnxExporter.export(s, tmp.resolve("again.onnx"));
        }
        assertTrue(Files.size(tmp.resolve("again.onnx")) > 1000);
    }
}
