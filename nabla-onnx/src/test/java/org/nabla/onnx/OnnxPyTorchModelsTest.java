package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.io.Npy;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.ModelProto;

/**
 * Models exported by PyTorch's torch.onnx.export (scripts/make-pytorch-onnx-fixtures.py; dynamic batch, so they carry
 * the Shape -> Gather -> Concat -> Reshape idiom evaluated at run time) give PyTorch's outputs in Nabla, for the
 * exported batch and for other batch sizes.
 */
class OnnxPyTorchModelsTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(OnnxPyTorchModelsTest.class.getResource("/pytorch/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_cnn", "tiny_attention", "mobile_unet"})
    void matchesPyTorch(String name) throws IOException, URISyntaxException {
        Tensor x = Npy.read(resource(name + "_x.npy"));
        Tensor want = Npy.read(resource(name + "_y.npy"));
        try (OnnxModel m = OnnxImporter.load(resource(name + ".onnx"))) {
            assertEquals(-1, m.inputs().get(0).spec().shape().dim(0), "dynamic batch: " + m.inputs());
            Tensor got = m.run(x)[0];
            assertEquals(want.shape(), got.shape());
            assertClose(want, got);
            // One sample at a time gives the same rows: the batch size is free.
            int batch = x.shape().dim(0);
            for (int i = 0; i < batch; i++) {
                Tensor row = Ops.slice(x, begin(x.rank(), i), size(x, 1));
                assertClose(Ops.slice(want, begin(want.rank(), i), size(want, 1)), m.run(row)[0]);
            }
            if (name.equals("small_cnn")) { // view(x.size(0), -1) with a dynamic batch
                assertTrue(m.graph().nodes().stream().anyMatch(nd -> nd.op().name().equals("DynamicReshape")),
                        "expected a run-time reshape in " + name);
            }
        }
    }

    /** PyTorch -> ONNX -> Nabla saved model -> ONNX again -> ONNX Runtime: still PyTorch's outputs. */
    @ParameterizedTest
    @ValueSource(strings = {"small_cnn", "tiny_attention", "mobile_unet"})
    void importedThenExportedRunsInOnnxRuntime(String name, @TempDir Path tmp) throws Exception {
        Tensor x = Npy.read(resource(name + "_x.npy"));
        Tensor want = Npy.read(resource(name + "_y.npy"));
        Path dir = tmp.resolve("saved");
        OnnxSavedModels.importToSavedModel(OnnxFiles.readModel(resource(name + ".onnx")), ImportOptions.defaults(),
                dir);
        try (SavedModel saved = SavedModel.load(dir)) {
            assertClose(want, saved.predict(x)[0]);
            ModelProto again = OnnxExporter.export(saved);
            assertClose(want, Ort.run(again, x)[0]);
        }
    }

    private static int[] begin(int rank, int first) {
        int[] b = new int[rank];
        b[0] = first;
        return b;
    }

    private static int[] size(Tensor t, int first) {
        int[] s = t.shape().dims();
        s[0] = first;
        return s;
    }

    private static void assertClose(Tensor want, Tensor got) {
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            assertTrue(Math.abs(w[i] - g[i]) <= 1e-5 + 1e-5 * Math.abs(w[i]),
                    "element " + i + ": PyTorch " + w[i] + ", Nabla " + g[i]);
        }
    }
}
