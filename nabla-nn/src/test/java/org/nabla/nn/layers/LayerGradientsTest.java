package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.Variable;
import org.nabla.autodiff.GradientChecker;
import org.nabla.autodiff.GradientTape;
import org.nabla.nn.CallContext;
import org.nabla.nn.Layer;
import org.nabla.nn.Ref;

/**
 * Gradients through layers (float64 weights): input gradients with GradientChecker (tape and graph), weight
 * gradients from the tape against central differences of the variables.
 */
class LayerGradientsTest {
    private static final CallContext TRAIN = CallContext.training(Tensors.scalar(1L), 3);

    private static void check(Layer layer, CallContext ctx, double lo, double hi, int... inputShape) {
        layer.dtype(DType.FLOAT64);
        int n = 1;
        for (int d : inputShape) n *= d;
        Tensor x = Ref.f64(Ref.random(n, 11, lo, hi), inputShape);
        for (GradientChecker.Mode mode : new GradientChecker.Mode[] {GradientChecker.Mode.EAGER,
                GradientChecker.Mode.GRAPH}) {
            GradientChecker.check(layer.getClass().getSimpleName(),
                    in -> new Tensor[] {layer.call(new Tensor[] {in[0]}, ctx)}, mode, x).assertOk(1e-6);
        }
        // weights: dL/dw with L = sum(r * layer(x)), r fixed
        Tensor y0 = layer.call(new Tensor[] {x}, ctx);
        Tensor r = Ref.f64(Ref.random((int) y0.size(), 12, -1, 1), y0.shape().dims());
        for (Variable v : layer.trainableWeights()) {
            List<Tensor> g;
            try (GradientTape tape = new GradientTape()) {
                Tensor loss = Ops.sum(Ops.mul(layer.call(new Tensor[] {x}, ctx), r));
                g = tape.gradient(loss, List.of(v));
            }
            double[] analytic = g.get(0).toDoubleArray();
            double[] w = v.read().toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                double h = 1e-6 * Math.max(1, Math.abs(w[i]));
                double[] p = w.clone();
                p[i] += h;
                v.assign(Tensor.wrap(DType.FLOAT64, v.shape(), p));
                double plus = Ops.sum(Ops.mul(layer.call(new Tensor[] {x}, ctx), r)).doubleValue();
                p[i] -= 2 * h;
                v.assign(Tensor.wrap(DType.FLOAT64, v.shape(), p));
                double minus = Ops.sum(Ops.mul(layer.call(new Tensor[] {x}, ctx), r)).doubleValue();
                v.assign(Tensor.wrap(DType.FLOAT64, v.shape(), w));
                double numeric = (plus - minus) / (2 * h);
                assertTrue(Math.abs(numeric - analytic[i]) <= 1e-6 * Math.max(1, Math.abs(numeric)),
                        layer + " weight " + v.name() + "[" + i + "]: tape " + analytic[i] + ", numeric " + numeric);
            }
        }
    }

    @Test
    void recurrent() {
        check(new LSTM(3).returnSequences(true), CallContext.INFERENCE, -1, 1, 2, 4, 3);
        check(new GRU(2).resetAfter(false).goBackwards(true), CallContext.INFERENCE, -1, 1, 2, 3, 3);
        check(new Bidirectional(new SimpleRNN(2).returnSequences(true)), CallContext.INFERENCE, -1, 1, 2, 3, 2);
    }

    /**
     * Issue 15's everyday layers not checked above, each by central differences (input: eager and graph; weights:
     * tape) in float64; their values are checked against Keras elsewhere.
     */
    @Test
    void issue15Layers() {
        check(new Conv1D(2, 3).padding("causal").dilationRate(2), CallContext.INFERENCE, -1, 1, 2, 5, 3);
        check(new LayerNormalization(), CallContext.INFERENCE, -1, 1, 3, 4);
        check(new GroupNormalization(2), CallContext.INFERENCE, -1, 1, 2, 3, 4);
        check(new TimeDistributed(new Dense(2, "tanh")), CallContext.INFERENCE, -1, 1, 2, 3, 4);
        check(new RepeatVector(3), CallContext.INFERENCE, -1, 1, 2, 4);
        check(new Permute(2, 1), CallContext.INFERENCE, -1, 1, 2, 3, 4);
        check(new UpSampling2D(2, 3), CallContext.INFERENCE, -1, 1, 1, 2, 3, 2);
        check(new ZeroPadding2D(1, 0, 2, 1), CallContext.INFERENCE, -1, 1, 1, 2, 3, 2);
        check(new Cropping2D(1, 0, 0, 1), CallContext.INFERENCE, -1, 1, 1, 3, 4, 2);
        check(new GlobalMaxPooling2D(), CallContext.INFERENCE, -1, 1, 2, 3, 3, 2);   // random values: no ties
        check(new GlobalMaxPooling1D(), CallContext.INFERENCE, -1, 1, 2, 4, 3);
        check(new MaxPooling1D(2), CallContext.INFERENCE, -1, 1, 2, 4, 3);
        check(new AveragePooling1D(2, 1, "same"), CallContext.INFERENCE, -1, 1, 2, 4, 3);
        check(new GlobalAveragePooling1D(), CallContext.INFERENCE, -1, 1, 2, 4, 3);
        check(new Rescaling(0.5, 0.1), CallContext.INFERENCE, -1, 1, 2, 3);
        check(new Masking(), CallContext.INFERENCE, -1, 1, 2, 3, 2);
        check(new PositionEmbedding(5), CallContext.INFERENCE, -1, 1, 2, 4, 3);
        check(new Activation("gelu"), CallContext.INFERENCE, -1, 1, 2, 3);
        check(new Lambda(x -> Ops.mul(Ops.tanh(x), x)), CallContext.INFERENCE, -1, 1, 2, 3);
        check(new SpatialDropout1D(0.5), TRAIN, -1, 1, 2, 3, 4);
        check(new AlphaDropout(0.3), TRAIN, -1, 1, 3, 4);
        check(new SimpleRNN(3).returnSequences(true).goBackwards(true), CallContext.INFERENCE, -1, 1, 2, 4, 3);
    }

    @Test
    void dense() { check(new Dense(3, "tanh"), CallContext.INFERENCE, -1, 1, 4, 5); }

    @Test
    void conv2dSameStride2() {
        check(new Conv2D(2, 3, 2, "sigmoid").strides(2).padding("same"), CallContext.INFERENCE, -1, 1, 2, 5, 4, 2);
    }

    @Test
    void conv2dValid() { check(new Conv2D(3, 2), CallContext.INFERENCE, -1, 1, 1, 4, 4, 2); }

    @Test
    void convolutionFamily() {
        check(new Conv2D(4, 2, 3, "tanh").dilationRate(2, 1).groups(2).padding("same"), CallContext.INFERENCE, -1, 1,
                1, 5, 4, 2);
        check(new Conv2DTranspose(2, 3, 2, null).strides(2, 3).outputPadding(1, 0), CallContext.INFERENCE, -1, 1,
                2, 3, 2, 2);
        check(new Conv1DTranspose(2, 3).strides(2).padding("same"), CallContext.INFERENCE, -1, 1, 2, 4, 3);
        check(new DepthwiseConv2D(3, 2, null).depthMultiplier(2).strides(2, 1), CallContext.INFERENCE, -1, 1,
                1, 5, 4, 2);
        check(new SeparableConv2D(3, 2).padding("same"), CallContext.INFERENCE, -1, 1, 2, 3, 4, 2);
        check(new Conv3D(2, 2, 2, 3, null).padding("same").strides(2, 1, 2), CallContext.INFERENCE, -1, 1,
                1, 3, 3, 4, 2);
        check(new Conv3D(4, 2).groups(2), CallContext.INFERENCE, -1, 1, 1, 3, 3, 3, 2);
        check(new AveragePooling3D(new int[] {2, 2, 2}, new int[] {1, 2, 1}, "same"), CallContext.INFERENCE, -1, 1,
                1, 3, 3, 3, 2);
    }

    @Test
    void noiseLayersInTraining() { // the noise is fixed by (seed, step): the gradient is the one of a fixed map
        check(new GaussianNoise(0.3), TRAIN, -1, 1, 3, 4);
        check(new GaussianDropout(0.3), TRAIN, -1, 1, 3, 4);
        check(new SpatialDropout2D(0.5), TRAIN, -1, 1, 2, 2, 2, 3);
        check(new Normalization().mean(0.5, -1).variance(2, 0.25), CallContext.INFERENCE, -1, 1, 3, 2);
    }

    @Test
    void pooling() {
        check(new AveragePooling2D(2, 2, 1, 1, "same"), CallContext.INFERENCE, -1, 1, 1, 3, 4, 2);
        // distinct values keep max pooling away from ties
        Layer max = new MaxPooling2D(2);
        double[] v = new double[32];
        for (int i = 0; i < v.length; i++) v[i] = ((i * 7) % 32) * 0.1;
        GradientChecker.check("MaxPooling2D", in -> new Tensor[] {max.call(in[0])}, GradientChecker.Mode.EAGER,
                Ref.f64(v, 1, 4, 4, 2)).assertOk(1e-6);
    }

    @Test
    void globalAveragePoolingFlattenReshape() {
        check(new GlobalAveragePooling2D(), CallContext.INFERENCE, -1, 1, 2, 3, 3, 2);
        check(new Flatten(), CallContext.INFERENCE, -1, 1, 2, 3, 2);
        check(new Reshape(3, 2), CallContext.INFERENCE, -1, 1, 2, 6);
    }

    @Test
    void batchNormalizationTraining() { check(new BatchNormalization(), TRAIN, -2, 2, 5, 3); }

    @Test
    void batchNormalizationInferenceNhwc() {
        check(new BatchNormalization(), CallContext.INFERENCE, -2, 2, 2, 2, 2, 3);
    }

    @Test
    void dropoutTraining() { check(new Dropout(0.4), TRAIN, -1, 1, 3, 7); }

    @Test
    void denseOnFloat32MatchesShapes() {
        Dense d = new Dense(2);
        d.build(Shape.of(-1, 3));
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Ops.sum(d.call(Tensors.of(new float[][] {{1, 2, 3}})));
            List<Tensor> g = tape.gradient(loss, d.trainableWeights());
            Ref.assertClose(new double[] {1, 1, 2, 2, 3, 3}, g.get(0), 0);
            Ref.assertClose(new double[] {1, 1}, g.get(1), 0);
        }
    }
}
