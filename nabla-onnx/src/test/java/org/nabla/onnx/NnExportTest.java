package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.onnx.ExportCheck.check;
import static org.nabla.onnx.ExportCheck.one;
import static org.nabla.onnx.ExportCheck.random;
import static org.nabla.onnx.ExportCheck.specs;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.Conv2dOptions;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.nn.PoolingOps;
import org.nabla.nn.TrainingOps;
import org.nabla.onnx.proto.ModelProto;
import org.nabla.onnx.proto.NodeProto;
import org.nabla.ops.TensorSpec;

/** Activations, softmax, bias, convolution, pooling, batch norm and dropout exported and run in ONNX Runtime. */
class NnExportTest {
    @Test
    void activations() {
        Tensor x = random(DType.FLOAT32, 1, -8, 8, 3, 5);
        List<UnaryOperator<Tensor>> ops = List.of(Ops::relu, Ops::relu6, Ops::leakyRelu, t -> Ops.leakyRelu(t, 0.01),
                Ops::elu, t -> Ops.elu(t, 0.5), Ops::selu, Ops::gelu, t -> Ops.gelu(t, true), Ops::sigmoid,
                Ops::softplus, Ops::tanh);
        for (int i = 0; i < ops.size(); i++) {
            UnaryOperator<Tensor> op = ops.get(i);
            check("activation " + i, in -> one(op.apply(in[0])), x);
        }
        // (ONNX Runtime's CPU provider has no float64 Erf or Elu: those exports are valid ONNX it cannot run)
        check("float64 gelu", in -> new Tensor[] {Ops.gelu(in[0], true), Ops.relu6(in[0]), Ops.sigmoid(in[0])},
                random(DType.FLOAT64, 2, -8, 8, 7));
    }

    @Test
    void softmaxAlongAnyAxis() {
        Tensor x = random(3, 2, 3, 4);
        check("softmax", in -> new Tensor[] {Ops.softmax(in[0]), Ops.softmax(in[0], 1), Ops.logSoftmax(in[0]),
                Ops.logSoftmax(in[0], 0)}, x);
    }

    @Test
    void biasAddInBothLayouts() {
        Tensor bias = random(4, 3);
        check("biasAdd NHWC", in -> one(Ops.biasAdd(in[0], in[1])), random(5, 2, 4, 4, 3), bias);
        check("biasAdd NCHW", in -> one(Ops.biasAdd(in[0], in[1], "NCHW")), random(6, 2, 3, 4, 5), bias);
        check("biasAdd rank 2", in -> one(Ops.biasAdd(in[0], in[1], "NCHW")), random(7, 2, 3), bias);
        check("biasRelu", in -> one(TrainingOps.biasRelu(in[0], in[1])), random(8, 2, 5, 3), bias);
    }

    @Test
    void conv2dNhwcWithEveryPadding() {
        Tensor x = random(9, 2, 7, 6, 3);
        Tensor filter = random(DType.FLOAT32, 10, -0.5, 0.5, 3, 2, 3, 4);
        for (Conv2dOptions o : List.of(Conv2dOptions.defaults(), Conv2dOptions.defaults().padding("SAME"),
                Conv2dOptions.defaults().padding("SAME").strides(2, 2),
                Conv2dOptions.defaults().strides(2, 1).dilations(1, 2),
                Conv2dOptions.defaults().padding("EXPLICIT").explicitPaddings(1, 2, 0, 3))) {
            // the filter as an input: a Transpose node makes it OIHW
            check("conv2d " + o.padding(), in -> one(Ops.conv2d(in[0], in[1], o)), x, filter);
            // the filter as a constant: transposed into the initializer
            ModelProto m = check("conv2d constant filter " + o.padding(), in -> one(Ops.conv2d(in[0], filter, o)),
                    x);
            assertEquals(List.of(4L, 3L, 3L, 2L), m.getGraph().getInitializer(0).getDimsList());
        }
        // unknown height and width: SAME becomes ONNX's SAME_UPPER
        ModelProto m = check("conv2d SAME unknown size", in -> one(Ops.conv2d(in[0], filter, Conv2dOptions.defaults()
                .padding("SAME").strides(2, 2))), List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, -1, -1, 3))), x);
        assertTrue(m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).findFirst()
                .orElseThrow().getAttributeList().stream().anyMatch(a -> a.getName().equals("auto_pad")));
    }

    @Test
    void conv2dInputGradientExportsAsConvTranspose() {
        // The gradient of a conv over x (2, 7, 6, 3) with a 3x2 filter, in both layouts, strides and paddings whose
        // forward pass skips rows (so ConvTranspose needs output_padding), and groups.
        Tensor filter = random(DType.FLOAT32, 20, -0.5, 0.5, 3, 2, 3, 4);
        Tensor x = random(21, 2, 7, 6, 3);
        for (Conv2dOptions o : List.of(Conv2dOptions.defaults(), Conv2dOptions.defaults().padding("SAME").strides(2, 2),
                Conv2dOptions.defaults().strides(2, 3).dilations(1, 1),
                Conv2dOptions.defaults().padding("EXPLICIT").explicitPaddings(1, 2, 0, 1).strides(2, 2))) {
            Tensor grad = random(22, Ops.conv2d(x, filter, o).shape().dims());
            check("conv2d input gradient " + o.padding(), in -> one(Ops.conv2dBackpropInput(x, in[1], in[0], o)),
                    grad, filter);
        }
        Tensor grouped = random(DType.FLOAT32, 23, -0.5, 0.5, 3, 3, 2, 4);
        Tensor xg = random(24, 1, 4, 5, 4);
        Conv2dOptions g = Conv2dOptions.defaults().groups(2).padding("SAME").strides(2, 2).dataFormat("NHWC");
        check("grouped conv2d input gradient", in -> one(Ops.conv2dBackpropInput(xg, grouped, in[0], g)),
                random(25, Ops.conv2d(xg, grouped, g).shape().dims()));
    }

    @Test
    void conv2dGroupsAndNchw() {
        Tensor x = random(11, 1, 5, 5, 4);
        Tensor filter = random(DType.FLOAT32, 12, -0.5, 0.5, 3, 3, 2, 6);
        check("grouped conv2d", in -> one(Ops.conv2d(in[0], in[1], Conv2dOptions.defaults().groups(2)
                .padding("SAME"))), x, filter);
        Tensor nchwFilter = random(DType.FLOAT32, 13, -0.5, 0.5, 3, 3, 2, 4);
        ModelProto m = check("conv2d NCHW", in -> one(Ops.conv2d(in[0], in[1], Conv2dOptions.defaults()
                .dataFormat("NCHW").padding("SAME"))), random(14, 2, 2, 6, 5), nchwFilter);
        // only the filter is transposed
        assertEquals(1, m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Transpose")).count());
    }

    @Test
    void poolingInBothLayouts() {
        Tensor x = random(15, 2, 7, 5, 3);
        for (String padding : List.of("VALID", "SAME")) {
            int[] k = {3, 2}, s = {2, 2};
            check("pools " + padding, in -> new Tensor[] {Ops.maxPool2d(in[0], k, s, padding),
                    Ops.avgPool2d(in[0], k, s, padding)}, x);
            check("pools NCHW " + padding, in -> new Tensor[] {Ops.maxPool2d(in[0], k, s, padding, "NCHW"),
                    Ops.avgPool2d(in[0], k, s, padding, "NCHW")}, random(16, 2, 3, 7, 5));
        }
        check("maxPoolWithArgmax", in -> one(PoolingOps.maxPoolWithArgmax(in[0], new int[] {2, 2}, new int[] {2, 2},
                "SAME")[0]), x);
        check("pools unknown size", in -> new Tensor[] {Ops.maxPool2d(in[0], new int[] {2, 2}, new int[] {2, 2},
                "SAME"), Ops.avgPool2d(in[0], new int[] {3, 3}, new int[] {1, 1}, "SAME")},
                List.of(TensorSpec.of(DType.FLOAT32, Shape.of(-1, -1, -1, 3))), x);
    }

    @Test
    void nhwcChainsStayInNchwBetweenSpatialOps() {
        Tensor x = random(25, 2, 9, 8, 3);
        Tensor f1 = random(DType.FLOAT32, 26, -0.5, 0.5, 3, 3, 3, 4), f2 = random(DType.FLOAT32, 27, -0.5, 0.5,
                3, 3, 4, 4);
        Tensor bias = random(28, 4), scale = random(29, 4), variance = random(DType.FLOAT32, 30, 0.5, 2, 4);
        Conv2dOptions same = Conv2dOptions.defaults().padding("SAME");
        ModelProto m = check("layout chain", in -> {
            Tensor a = Ops.relu(Ops.biasAdd(Ops.conv2d(in[0], f1, same), bias));
            Tensor b = Ops.leakyRelu(Ops.conv2d(a, f2, same), 0.1);
            Tensor c = Ops.batchNormInference(Ops.add(a, b), scale, bias, bias, variance); // residual, then BN
            Tensor d = Ops.maxPool2d(TrainingOps.biasRelu(c, bias), new int[] {2, 2}, new int[] {2, 2}, "VALID");
            return new Tensor[] {Ops.softmax(d), a}; // softmax over channels needs NHWC; a is an output too
        }, x);
        // one Transpose into NCHW; back to NHWC once for the softmax and once for the output a
        assertEquals(3, m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Transpose")).count(),
                m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList().toString());
    }

    @Test
    void batchNormInBothLayouts() {
        Tensor scale = random(17, 3), offset = random(18, 3), mean = random(19, 3);
        Tensor variance = random(DType.FLOAT32, 20, 0.1, 2, 3);
        check("batchNorm NHWC", in -> one(Ops.batchNormInference(in[0], in[1], in[2], in[3], in[4])),
                random(21, 2, 4, 4, 3), scale, offset, mean, variance);
        check("batchNorm NCHW", in -> one(Ops.batchNormInference(in[0], in[1], in[2], in[3], in[4], 1e-5, "NCHW")),
                random(22, 2, 3, 4, 2), scale, offset, mean, variance);
        check("batchNorm rank 2", in -> one(Ops.batchNormInference(in[0], in[1], in[2], in[3], in[4])),
                random(23, 5, 3), scale, offset, mean, variance);
    }

    @Test
    void dropoutIsTheIdentityAtInference() {
        Tensor x = random(24, 4, 6);
        ModelProto m = check("dropout", in -> one(Ops.relu(Ops.dropout(in[0], 0.5, 3))), in -> one(Ops.relu(in[0])),
                specs(x), x);
        assertEquals(List.of("Identity", "Relu"), m.getGraph().getNodeList().stream().map(NodeProto::getOpType)
                .toList());
    }
}
