package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nabla.Ops;
import org.nabla.Tensor;
import org.nabla.io.Npy;

/**
 * Issue 15: an LSTM classifier exported by PyTorch 2.13 (scripts/make-pytorch-lstm-onnx.py: Embedding -> LSTM ->
 * Linear on the last hidden state; ONNX's LSTM operator, int64 ids, dynamic batch) imports and gives PyTorch's logits,
 * for the exported batch and one example at a time.
 */
class OnnxPyTorchLstmTest {
    private static Path resource(String name) throws Exception {
        return Path.of(OnnxPyTorchLstmTest.class.getResource("/pytorch/" + name).toURI());
    }

    @Test
    void anLstmClassifierMatchesPyTorch() throws Exception {
        Tensor ids = Npy.read(resource("lstm_classifier_x.npy"));
        Tensor want = Npy.read(resource("lstm_classifier_y.npy"));
        try (OnnxModel m = OnnxImporter.load(resource("lstm_classifier.onnx"))) {
            assertTrue(m.inputs().get(0).spec().shape().dim(0) < 0, "dynamic batch: " + m.inputs());
            Tensor got = m.run(ids)[0];
            assertEquals(want.shape(), got.shape());
            assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 1e-5f);
            int n = ids.shape().dim(0), t = ids.shape().dim(1), k = want.shape().dim(1);
            for (int i = 0; i < n; i++) {
                Tensor one = m.run(Ops.slice(ids, new int[] {i, 0}, new int[] {1, t}))[0];
                assertArrayEquals(Ops.slice(want, new int[] {i, 0}, new int[] {1, k}).toFloatArray(), one.toFloatArray(),
                        1e-5f, "example " + i);
            }
        }
    }
}
