package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
import org.nabla.nn.layers.AveragePooling3D;
import org.nabla.nn.layers.Conv1DTranspose;
import org.nabla.nn.layers.Conv2D;
import org.nabla.nn.layers.Conv2DTranspose;
import org.nabla.nn.layers.Conv3D;
import org.nabla.nn.layers.DepthwiseConv2D;
import org.nabla.nn.layers.MaxPooling3D;
import org.nabla.nn.layers.Normalization;
import org.nabla.nn.layers.RandomCrop;
import org.nabla.nn.layers.RandomRotation;
import org.nabla.nn.layers.SeparableConv2D;
import org.nabla.nn.saving.SavedModel;
import org.nabla.onnx.proto.ModelProto;

/**
 * The convolution layers (random weights) saved, exported to ONNX and run by ONNX Runtime and by Nabla's importer:
 * both compute what the saved model predicts, for a batch size other than the one traced; the expected ONNX operator
 * appears in the export (ConvTranspose for the transposed convolutions, a grouped Conv for the depthwise ones). An
 * adapted Normalization exports too, an augmentation layer as the identity it is at inference, and RandomCrop as its
 * inference path (a centred crop resized by two matrix products).
 */
class ConvLayersExportTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("Conv2D dilation 2 groups 2", (Supplier<Layer>) () -> new Conv2D(4, 3).dilationRate(2)
                        .groups(2).padding("same"), new int[] {7, 6, 4}, "Conv"),
                Arguments.of("Conv2DTranspose same stride 2", (Supplier<Layer>) () -> new Conv2DTranspose(3, 3)
                        .strides(2, 2).padding("same"), new int[] {4, 5, 2}, "ConvTranspose"),
                Arguments.of("Conv2DTranspose valid stride 3 > kernel", (Supplier<Layer>) () ->
                        new Conv2DTranspose(2, 2).strides(3, 3), new int[] {3, 4, 2}, "ConvTranspose"),
                Arguments.of("Conv1DTranspose stride 2", (Supplier<Layer>) () -> new Conv1DTranspose(3, 3)
                        .strides(2).padding("same"), new int[] {6, 2}, "ConvTranspose"),
                Arguments.of("DepthwiseConv2D multiplier 2", (Supplier<Layer>) () -> new DepthwiseConv2D(3)
                        .depthMultiplier(2).padding("same"), new int[] {6, 6, 3}, "Conv"),
                Arguments.of("SeparableConv2D", (Supplier<Layer>) () -> new SeparableConv2D(4, 3),
                        new int[] {6, 7, 3}, "Conv"),
                Arguments.of("Conv3D same", (Supplier<Layer>) () -> new Conv3D(2, 2, 3, 3, "relu").padding("same"),
                        new int[] {4, 5, 5, 2}, "Conv"),
                Arguments.of("MaxPooling3D", (Supplier<Layer>) () -> new MaxPooling3D(2), new int[] {4, 4, 4, 2},
                        "MaxPool"),
                Arguments.of("Normalization adapted", (Supplier<Layer>) () -> new Normalization().adapt(random(3, 16,
                        3, 4, 2)), new int[] {3, 4, 2}, "Sqrt"),
                Arguments.of("RandomRotation: identity at inference", (Supplier<Layer>) () ->
                        new RandomRotation(0.2), new int[] {4, 4, 1}, null),
                Arguments.of("RandomCrop at inference: centred crop and bilinear resize", (Supplier<Layer>) () ->
                        new RandomCrop(3, 4), new int[] {6, 6, 2}, "MatMul"),
                Arguments.of("AveragePooling3D same", (Supplier<Layer>) () -> new AveragePooling3D(
                        new int[] {3, 2, 2}, new int[] {2, 2, 1}, "same"), new int[] {5, 4, 5, 2}, "AveragePool"));
    }

    private static Tensor random(long seed, int... dims) {
        Random r = new Random(seed);
        Shape s = Shape.of(dims);
        float[] v = new float[s.intSize()];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.wrap(DType.FLOAT32, s, v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void onnxRuntimeAndTheImporterComputeWhatTheSavedModelPredicts(String name, Supplier<Layer> make, int[] shape,
                                                                   String onnxOp) throws Exception {
        LayerOutput in = Input.of(shape);
        Model m = Model.functional(in, make.get().apply(in));
        m.seed(5);
        int[] batch3 = new int[shape.length + 1];
        batch3[0] = 3;
        System.arraycopy(shape, 0, batch3, 1, shape.length);
        m.call(random(1, batch3));
        Path dir = tmp.resolve("model"), file = tmp.resolve("model.onnx");
        m.save(dir);
        try (SavedModel saved = SavedModel.load(dir)) {
            ModelProto proto = OnnxExporter.export(saved);
            List<String> ops = proto.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList();
            assertTrue(onnxOp == null || ops.contains(onnxOp), name + ": " + onnxOp + " not in " + ops);
            OnnxExporter.export(saved, file);
            batch3[0] = 2; // another batch size than the traced call's
            Tensor x = random(2, batch3);
            Tensor expected = saved.predict(x)[0];
            Ort.assertClose(name + " ONNX Runtime", expected, Ort.run(file, x)[0], 1e-5, 1e-5);
            try (OnnxModel imported = OnnxImporter.load(file)) {
                Ort.assertClose(name + " re-imported", expected, imported.run(x)[0], 1e-5, 1e-5);
            }
        }
        assertTrue(Arrays.stream(shape).allMatch(d -> d > 0));
    }
}
