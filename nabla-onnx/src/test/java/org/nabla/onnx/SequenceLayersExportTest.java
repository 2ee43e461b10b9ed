package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.Input;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.TextModels;
import org.nabla.nn.layers.Bidirectional;
import org.nabla.nn.layers.Embedding;
import org.nabla.nn.layers.GRU;
import org.nabla.nn.layers.GlobalAveragePooling1D;
import org.nabla.nn.layers.LSTM;
import org.nabla.nn.layers.LayerNormalization;
import org.nabla.nn.layers.MultiHeadAttention;
import org.nabla.nn.layers.SimpleRNN;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.ModelProto;

/**
 * The sequence layers (random weights) over token ids with padding at the end, saved, exported to ONNX and run by ONNX
 * Runtime and by Nabla's importer: both compute what the saved model predicts, for another batch size than the one
 * traced; the recurrent layers become ONNX's LSTM/GRU/RNN operators.
 */
class SequenceLayersExportTest {
    private static final int VOCAB = 20, TIME = 7;

    @TempDir
    Path tmp;

    private static Arguments model(String name, Function<LayerOutput, LayerOutput> body, String onnxOp) {
        return Arguments.of(name, body, onnxOp);
    }

    static Stream<Arguments> models() {
        return Stream.of(
                model("LSTM last output", x -> new LSTM(5).apply(x), "LSTM"),
                model("LSTM sequences, backwards", x -> new LSTM(4).returnSequences(true).goBackwards(true).apply(x),
                        "LSTM"),
                model("GRU reset_after", x -> new GRU(5).apply(x), "GRU"),
                model("GRU reset_after false (unrolled), sequences", x -> new GRU(3).resetAfter(false)
                        .returnSequences(true).apply(x), null),
                model("SimpleRNN", x -> new SimpleRNN(4).apply(x), "RNN"),
                model("SimpleRNN sequences, backwards", x -> new SimpleRNN(3).returnSequences(true).goBackwards(true)
                        .apply(x), "RNN"),
                model("SimpleRNN relu", x -> new SimpleRNN(3).activation("relu").apply(x), "RNN"),
                model("SimpleRNN elu (unrolled)", x -> new SimpleRNN(3).activation("elu").apply(x), null),
                model("Bidirectional LSTM", x -> new Bidirectional(new LSTM(3)).apply(x), "LSTM"),
                model("Bidirectional GRU sequences", x -> new Bidirectional(new GRU(3).returnSequences(true))
                        .apply(x), "GRU"),
                model("MultiHeadAttention + LayerNormalization + pooling", x -> new GlobalAveragePooling1D().apply(
                        new LayerNormalization().apply(new MultiHeadAttention(2, 3).apply(x, x))), "Softmax"));
    }

    /** Token ids [batch, TIME] with 0 (padding) after each row's length. */
    private static Tensor tokens(long seed, int batch) {
        Random r = new Random(seed);
        int[] v = new int[batch * TIME];
        for (int b = 0; b < batch; b++) {
            int len = 1 + r.nextInt(TIME);
            for (int t = 0; t < len; t++) v[b * TIME + t] = 1 + r.nextInt(VOCAB - 1);
        }
        return Tensor.wrap(DType.INT32, Shape.of(batch, TIME), v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeAndTheImporterComputeWhatTheSavedModelPredicts(String name, Function<LayerOutput, LayerOutput> body,
                                                                   String onnxOp) throws Exception {
        for (boolean masked : new boolean[] {false, true}) {
            LayerOutput ids = Input.of(TIME);
            LayerOutput x = new Embedding(VOCAB, 6).maskZero(masked).apply(ids);
            Model m = Model.functional(ids, body.apply(x));
            m.seed(7);
            check(name + (masked ? ", masked" : ""), m, onnxOp);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textModels")
    void theSpamModelsExport(String name) throws Exception {
        check(name, TextModels.byName(name, VOCAB, TIME, 2, 3), null);
    }

    static Stream<String> textModels() { return Stream.of("lstm", "transformer"); }

    @org.junit.jupiter.api.Test
    void aMaskWithHolesGivesNaNRatherThanOtherNumbers() throws Exception {
        LayerOutput ids = Input.of(TIME);
        Model m = Model.functional(ids, new LSTM(3).apply(new Embedding(VOCAB, 4).maskZero(true).apply(ids)));
        m.seed(3);
        Tensor x = Tensor.wrap(DType.INT32, Shape.of(2, TIME), new int[] {3, 0, 5, 0, 0, 0, 0, 4, 4, 0, 0, 0, 0, 0});
        Tensor expected = m.predict(x);
        Path file = tmp.resolve("holes.onnx");
        m.save(tmp.resolve("holes"));
        try (SavedModel saved = SavedModel.load(tmp.resolve("holes"))) {
            OnnxExporter.export(saved, file);
        }
        float[] got = Ort.run(file, x)[0].toFloatArray(), want = expected.toFloatArray();
        for (int j = 0; j < 3; j++) {
            assertTrue(Float.isNaN(got[j]), "example 0 (a hole at step 1) gives NaN, got " + got[j]);
            assertTrue(Math.abs(got[3 + j] - want[3 + j]) < 1e-5, "example 1 (padding at the end) is exact");
        }
    }

    private void check(String what, Model m, String onnxOp) throws Exception {
        m.call(tokens(1, 3));
        Path dir = tmp.resolve(what.replace(' ', '_')), file = tmp.resolve(what.replace(' ', '_') + ".onnx");
        m.save(dir);
        try (SavedModel saved = SavedModel.load(dir)) {
            ModelProto proto = OnnxExporter.export(saved);
            List<String> ops = proto.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList();
            assertTrue(onnxOp == null || ops.contains(onnxOp), what + ": " + onnxOp + " not in " + ops);
            OnnxExporter.export(saved, file);
            Tensor x = tokens(2, 5);
            Tensor expected = saved.predict(x)[0];
            Ort.assertClose(what + " ONNX Runtime", expected, Ort.run(file, x)[0], 1e-5, 1e-5);
            try (OnnxModel imported = OnnxImporter.load(file)) {
                Ort.assertClose(what + " re-imported", expected, imported.run(x)[0], 1e-5, 1e-5);
            }
        }
    }
}
