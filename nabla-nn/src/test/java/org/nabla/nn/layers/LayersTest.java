package org.nabla.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.nn.Ref.assertClose;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;
import org.nabla.nn.CallContext;
import org.nabla.nn.Initializers;
import org.nabla.nn.Ref;

/** Every layer's forward pass against a plain-Java float64 reference. */
class LayersTest {
    private static final CallContext TRAIN = CallContext.training(Tensors.scalar(3L), 7);

    @Test
    void denseWithReluMatchesMatrixProduct() {
        int n = 4, in = 5, units = 3;
        double[] x = Ref.random(n * in, 1, -1, 1);
        Dense d = new Dense(units, "relu");
        d.dtype(DType.FLOAT64);
        Tensor y = d.call(Ref.f64(x, n, in));
        assertEquals(Shape.of(n, units), y.shape());
        double[] w = d.kernel().read().toDoubleArray();
        double[] b = {0.1, -0.2, 0.3};
        d.bias().assign(Tensors.of(b));
        y = d.call(Ref.f64(x, n, in));
        double[] ref = new double[n * units];
        for (int r = 0; r < n; r++) for (int j = 0; j < units; j++) {
            double s = b[j];
            for (int i = 0; i < in; i++) s += x[r * in + i] * w[i * units + j];
            ref[r * units + j] = Math.max(0, s);
        }
        assertClose(ref, y, 1e-12);
        assertEquals(in * units + units, d.paramCount());
    }

    @Test
    void denseAppliesAlongTheLastAxisOfRank3() {
        Dense d = new Dense(2).kernelInitializer(Initializers.ones()).useBias(false);
        Tensor y = d.call(Tensors.of(new float[][][] {{{1, 2}, {3, 4}}}));
        assertEquals(Shape.of(1, 2, 2), y.shape());
        assertClose(new double[] {3, 3, 7, 7}, y, 0);
    }

    @Test
    void glorotUniformStaysWithinItsLimitAndIsSeeded() {
        Tensor a = Initializers.glorotUniform().initialize(Shape.of(30, 20), 5);
        double limit = Math.sqrt(6.0 / 50);
        for (double v : a.toDoubleArray()) assertTrue(Math.abs(v) <= limit);
        assertClose(a.toDoubleArray(), Initializers.glorotUniform().initialize(Shape.of(30, 20), 5), 0);
        Tensor h = Initializers.heNormal().initialize(Shape.of(3, 3, 16, 100), 2);
        double sq = 0;
        for (double v : h.toDoubleArray()) sq += v * v;
        double std = Math.sqrt(sq / h.size());
        assertEquals(Math.sqrt(2.0 / (9 * 16)), std, 0.1 * std);
    }

    @Test
    void conv2dValidSameAndStridesMatchReference() {
        int n = 2, h = 7, w = 6, c = 3, co = 4;
        double[] x = Ref.random(n * h * w * c, 2, -1, 1);
        for (String pad : new String[] {"valid", "same"}) {
            for (int stride : new int[] {1, 2}) {
                Conv2D conv = new Conv2D(co, 3, 2, "relu").strides(stride).padding(pad);
                conv.dtype(DType.FLOAT64);
                conv.build(Shape.of(-1, h, w, c));
                conv.bias().assign(Tensors.of(new double[] {0.1, -0.1, 0.2, 0}));
                Tensor y = conv.call(Ref.f64(x, n, h, w, c));
                int[] os = new int[2];
                double[] ref = Ref.conv2d(x, n, h, w, c, conv.kernel().read().toDoubleArray(), 3, 2, co, stride,
                        stride, pad.equals("same"), os);
                for (int i = 0; i < ref.length; i++) ref[i] = Math.max(0, ref[i] + new double[] {0.1, -0.1, 0.2, 0}[i % co]);
                assertEquals(Shape.of(n, os[0], os[1], co), y.shape(), pad + " stride " + stride);
                assertClose(ref, y, 1e-12);
                assertEquals(Shape.of(-1, os[0], os[1], co), conv.outputShape());
            }
        }
    }

    @Test
    void poolingMatchesReference() {
        int n = 2, h = 5, w = 7, c = 2;
        double[] x = Ref.random(n * h * w * c, 3, -1, 1);
        for (boolean same : new boolean[] {false, true}) {
            for (boolean max : new boolean[] {true, false}) {
                String pad = same ? "same" : "valid";
                Pooling p = max ? new MaxPooling2D(2, 3, 2, 2, pad) : new AveragePooling2D(2, 3, 2, 2, pad);
                Tensor y = p.call(Ref.f64(x, n, h, w, c));
                int[] os = new int[2];
                double[] ref = Ref.pool(x, n, h, w, c, 2, 3, 2, 2, same, max, os);
                assertEquals(Shape.of(n, os[0], os[1], c), y.shape());
                assertClose(ref, y, 1e-12);
            }
        }
        assertEquals(Shape.of(1, 2, 2, 1), new MaxPooling2D(2).call(Ref.f64(new double[16], 1, 4, 4, 1)).shape());
    }

    @Test
    void globalAveragePoolingFlattenReshape() {
        double[] x = Ref.random(2 * 3 * 4 * 5, 4, -1, 1);
        Tensor t = Ref.f64(x, 2, 3, 4, 5);
        double[] ref = new double[10];
        for (int b = 0; b < 2; b++) for (int i = 0; i < 12; i++) for (int ch = 0; ch < 5; ch++) ref[b * 5 + ch] += x[(b * 12 + i) * 5 + ch] / 12;
        assertClose(ref, new GlobalAveragePooling2D().call(t), 1e-12);
        Tensor f = new Flatten().call(t);
        assertEquals(Shape.of(2, 60), f.shape());
        assertClose(x, f, 0);
        Tensor r = new Reshape(-1, 6).call(t);
        assertEquals(Shape.of(2, 10, 6), r.shape());
        assertClose(x, r, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Reshape(7).call(t));
        assertTrue(e.getMessage().contains("cannot reshape"), e.getMessage());
    }

    @Test
    void activationLayer() {
        Tensor y = new Activation("sigmoid").call(Tensors.of(new double[] {0, 2}));
        assertClose(new double[] {0.5, 1 / (1 + Math.exp(-2))}, y, 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Activation("bogus"));
        assertTrue(e.getMessage().contains("unknown activation 'bogus'"));
    }

    @Test
    void dropoutIsIdentityAtInferenceAndSeededInTraining() {
        int n = 20000;
        double[] x = Ref.random(n, 5, 1, 2);
        Tensor t = Ref.f32(x, 1, n);
        Dropout d = new Dropout(0.3);
        assertClose(t.toDoubleArray(), d.call(t), 0);
        Tensor a = d.call(new Tensor[] {t}, TRAIN);
        Tensor b = d.call(new Tensor[] {t}, TRAIN);
        Tensor c = d.call(new Tensor[] {t}, CallContext.training(Tensors.scalar(4L), 7));
        assertClose(a.toDoubleArray(), b, 0);
        assertNotEquals(java.util.Arrays.toString(a.toFloatArray()), java.util.Arrays.toString(c.toFloatArray()));
        int zeros = 0;
        double[] av = a.toDoubleArray(), tv = t.toDoubleArray();
        for (int i = 0; i < n; i++) {
            if (av[i] == 0) zeros++;
            else assertEquals(tv[i] / 0.7, av[i], 1e-5 * av[i]);
        }
        assertEquals(0.3, zeros / (double) n, 0.02);
    }

    @Test
    void batchNormalizationTrainingAndInference() {
        int n = 6, c = 3;
        double[] x = Ref.random(n * c, 6, -2, 3);
        BatchNormalization bn = new BatchNormalization();
        bn.dtype(DType.FLOAT64);
        bn.build(Shape.of(-1, c));
        bn.gamma().assign(Tensors.of(new double[] {1, 2, 0.5}));
        bn.beta().assign(Tensors.of(new double[] {0, 1, -1}));
        Tensor y = bn.call(new Tensor[] {Ref.f64(x, n, c)}, TRAIN);
        double[] mean = new double[c], var = new double[c], ref = new double[n * c];
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) mean[j] += x[i * c + j] / n;
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) var[j] += Math.pow(x[i * c + j] - mean[j], 2) / n;
        double[] g = {1, 2, 0.5}, be = {0, 1, -1};
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) {
            ref[i * c + j] = g[j] * (x[i * c + j] - mean[j]) / Math.sqrt(var[j] + 1e-3) + be[j];
        }
        assertClose(ref, y, 1e-10);
        double[] mm = new double[c], mv = new double[c];
        for (int j = 0; j < c; j++) {
            mm[j] = 0.01 * mean[j];
            mv[j] = 0.99 + 0.01 * var[j];
        }
        assertClose(mm, bn.movingMean().read(), 1e-12);
        assertClose(mv, bn.movingVariance().read(), 1e-12);
        Tensor inf = bn.call(Ref.f64(x, n, c));
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) {
            ref[i * c + j] = g[j] * (x[i * c + j] - mm[j]) / Math.sqrt(mv[j] + 1e-3) + be[j];
        }
        assertClose(ref, inf, 1e-10);
        assertEquals(2, bn.trainableWeights().size());
        assertEquals(2, bn.nonTrainableWeights().size());
        // NHWC inference goes through the fused kernel
        BatchNormalization bn4 = new BatchNormalization();
        Tensor y4 = bn4.call(Ref.f32(x, 1, 2, n / 2, c));
        double[] r4 = new double[x.length];
        for (int i = 0; i < x.length; i++) r4[i] = x[i] / Math.sqrt(1 + 1e-3);
        assertClose(r4, y4, 1e-6);
    }

    @Test
    void badInputsGetClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D(4, 3).call(Tensors.of(new float[][] {{1, 2}})));
        assertTrue(e.getMessage().contains("expects NHWC images") && e.getMessage().contains("(None, 2)"), e.getMessage());
        Dense d = new Dense(2);
        d.call(Tensors.of(new float[][] {{1, 2, 3}}));
        e = assertThrows(IllegalArgumentException.class, () -> d.call(Tensors.of(new float[][] {{1, 2}})));
        assertTrue(e.getMessage().contains("was built for input shape"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, 3).padding("full"));
    }
}
