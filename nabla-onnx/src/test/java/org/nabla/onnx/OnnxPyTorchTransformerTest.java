package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nabla.Tensor;
import org.nabla.io.Npy;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.StringStringEntryProto;
import org.nabla.onnx.proto.TensorProto;

/**
 * Issue 14: a BERT-like encoder built from torch.nn modules (embeddings, LayerNorm, nn.MultiheadAttention with a
 * padding mask, GELU) exported by PyTorch 2.13's TorchScript exporter and by its dynamo exporter, whose initializers
 * sit in an external data file beside the model (scripts/make-pytorch-transformer-onnx.py), imports and gives
 * PyTorch's hidden states and pooled output within 1e-5.
 */
class OnnxPyTorchTransformerTest {
    private static Path resource(String name) throws Exception {
        return Path.of(OnnxPyTorchTransformerTest.class.getResource("/pytorch/" + name).toURI());
    }

    private static void matchesPyTorch(String file) throws Exception {
        Tensor ids = Npy.read(resource("transformer_ids.npy")), padding = Npy.read(resource("transformer_padding.npy"));
        Tensor hidden = Npy.read(resource("transformer_hidden.npy")), pooled = Npy.read(resource("transformer_pooled.npy"));
        try (OnnxModel m = OnnxImporter.load(resource(file))) {
            Map<String, Tensor> out = m.run(Map.of("ids", ids, "padding", padding));
            assertEquals(hidden.shape(), out.get("hidden").shape(), file);
            assertArrayEquals(hidden.toFloatArray(), out.get("hidden").toFloatArray(), 1e-5f, file + " hidden");
            assertArrayEquals(pooled.toFloatArray(), out.get("pooled").toFloatArray(), 1e-5f, file + " pooled");
        }
    }

    @Test
    void theTorchScriptExportMatchesPyTorch() throws Exception {
        matchesPyTorch("transformer_ts.onnx");
    }

    @Test
    void theDynamoExportWithExternalDataMatchesPyTorch() throws Exception {
        ModelProto raw = ModelProto.parseFrom(Files.readAllBytes(resource("transformer_dynamo.onnx")));
        assertTrue(raw.getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL), "the export uses external data");
        matchesPyTorch("transformer_dynamo.onnx");
    }

    @Test
    void externalDataMustStayInTheModelsFolder(@TempDir Path dir) throws Exception {
        ModelProto m = OnnxFiles.readModel(resource("transformer_dynamo.onnx"));
        TensorProto w = m.getGraph().getInitializer(0).toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin"))
                .build();
        ModelProto bad = m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, w)).build();
        Path file = dir.resolve("m.onnx");
        OnnxFiles.writeModel(file, bad);
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxFiles.readModel(file));
        assertTrue(e.getMessage().contains("external data location '../secret.bin' leaves the model's folder"),
                e.getMessage());
    }
}
