package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.Input;
import org.nabla.nn.Layer;
import org.nabla.nn.LayerOutput;
import org.nabla.nn.Model;
import org.nabla.nn.layers.Activation;
import org.nabla.nn.layers.Add;
import org.nabla.nn.layers.Average;
import org.nabla.nn.layers.AveragePooling1D;
import org.nabla.nn.layers.BatchNormalization;
import org.nabla.nn.layers.Concatenate;
import org.nabla.nn.layers.Conv1D;
import org.nabla.nn.layers.Cropping2D;
import org.nabla.nn.layers.Dense;
import org.nabla.nn.layers.GlobalAveragePooling1D;
import org.nabla.nn.layers.GlobalMaxPooling1D;
import org.nabla.nn.layers.GlobalMaxPooling2D;
import org.nabla.nn.layers.GroupNormalization;
import org.nabla.nn.layers.LayerNormalization;
import org.nabla.nn.layers.MaxPooling1D;
import org.nabla.nn.layers.Maximum;
import org.nabla.nn.layers.Minimum;
import org.nabla.nn.layers.Multiply;
import org.nabla.nn.layers.Permute;
import org.nabla.nn.layers.PositionEmbedding;
import org.nabla.nn.layers.RepeatVector;
import org.nabla.nn.layers.Rescaling;
import org.nabla.nn.layers.Subtract;
import org.nabla.nn.layers.TimeDistributed;
import org.nabla.nn.layers.UpSampling2D;
import org.nabla.nn.layers.ZeroPadding2D;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.ModelProto;

/**
 * Issue 15's everyday layers (random weights; their values are checked against Keras in nabla-nn) saved, loaded,
 * exported to ONNX and run by ONNX Runtime and by Nabla's importer: all compute what the model computes before
 * saving, for a batch size other than the one traced; merges take two inputs.
 */
class EverydayLayersExportTest {
    @TempDir
    Path tmp;

    private static Arguments one(String name, Supplier<Layer> make, int... shape) {
        Function<LayerOutput[], LayerOutput> body = in -> make.get().apply(in[0]);
        return Arguments.of(name, body, new int[][] {shape});
    }

    private static Arguments two(String name, Supplier<Layer> make, int... shape) {
        Function<LayerOutput[], LayerOutput> body = in -> make.get().apply(in[0], in[1]);
        return Arguments.of(name, body, new int[][] {shape, shape});
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                one("Conv1D causal dilation 2", () -> new Conv1D(3, 2).padding("causal").dilationRate(2), 6, 4),
                one("LayerNormalization", LayerNormalization::new, 5, 4),
                one("GroupNormalization", () -> new GroupNormalization(2), 5, 4),
                one("BatchNormalization", BatchNormalization::new, 5, 4),
                one("UpSampling2D", () -> new UpSampling2D(2, 3), 3, 2, 2),
                one("ZeroPadding2D", () -> new ZeroPadding2D(1, 0, 2, 1), 3, 2, 2),
                one("Cropping2D", () -> new Cropping2D(1, 0, 0, 1), 4, 4, 2),
                one("RepeatVector", () -> new RepeatVector(3), 4),
                one("Permute", () -> new Permute(2, 1), 3, 4),
                one("TimeDistributed Dense", () -> new TimeDistributed(new Dense(2, "tanh")), 3, 4),
                one("GlobalMaxPooling2D", GlobalMaxPooling2D::new, 3, 3, 2),
                one("GlobalMaxPooling1D", GlobalMaxPooling1D::new, 5, 3),
                one("MaxPooling1D", () -> new MaxPooling1D(2), 6, 3),
                one("AveragePooling1D same", () -> new AveragePooling1D(3, 2, "same"), 7, 3),
                one("GlobalAveragePooling1D", GlobalAveragePooling1D::new, 5, 3),
                one("Rescaling", () -> new Rescaling(0.5, 0.1), 3, 2),
                one("PositionEmbedding", () -> new PositionEmbedding(6), 5, 3),
                one("Activation gelu", () -> new Activation("gelu"), 4),
                two("Add", Add::new, 3, 2),
                two("Subtract", Subtract::new, 3, 2),
                two("Multiply", Multiply::new, 3, 2),
                two("Average", Average::new, 3, 2),
                two("Maximum", Maximum::new, 3, 2),
                two("Minimum", Minimum::new, 3, 2),
                two("Concatenate", Concatenate::new, 3, 2));
    }

    private static Tensor random(long seed, int batch, int[] dims) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        Random r = new Random(seed);
        Shape s = Shape.of(d);
        float[] v = new float[s.intSize()];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.wrap(DType.FLOAT32, s, v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void savedLoadedAndExportedTheLayerComputesTheSame(String name, Function<LayerOutput[], LayerOutput> body,
                                                       int[][] shapes) throws Exception {
        LayerOutput[] in = new LayerOutput[shapes.length];
        for (int i = 0; i < in.length; i++) in[i] = Input.of(shapes[i]);
        Model m = Model.functional(List.of(in), List.of(body.apply(in)));
        m.seed(5);
        Tensor[] traced = new Tensor[in.length], x = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            traced[i] = random(1 + i, 3, shapes[i]);
            x[i] = random(11 + i, 2, shapes[i]);   // another batch size than the traced call's
        }
        m.call(traced, false);
        Tensor expected = m.call(x, false)[0];
        Path dir = tmp.resolve("model"), file = tmp.resolve("model.onnx");
        m.save(dir);
        try (SavedModel saved = SavedModel.load(dir)) {
            Ort.assertClose(name + " loaded", expected, saved.predict(x)[0], 1e-6, 1e-6);
            ModelProto proto = OnnxExporter.export(saved);
            assertTrue(proto.getGraph().getNodeCount() > 0, name);
            OnnxExporter.export(saved, file);
            Ort.assertClose(name + " ONNX Runtime", expected, Ort.run(file, x)[0], 1e-5, 1e-5);
            try (OnnxModel imported = OnnxImporter.load(file)) {
                Ort.assertClose(name + " re-imported", expected, imported.run(x)[0], 1e-5, 1e-5);
            }
        }
    }
}
