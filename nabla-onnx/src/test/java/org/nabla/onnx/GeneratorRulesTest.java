package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/**
 * The random generators: dtype and shape, and sample statistics. Every statistical case has a fixed seed, so it is
 * deterministic; the tolerances are about 10 standard errors wide for 20000 samples besides.
 */
class GeneratorRulesTest {
    private static final int N = 20_000;

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }

    @Test
    void randomNormalHasTheMeanAndScale() {
        Tensor y = OnnxNodeCase.of("RandomNormal", 17).ints("shape", 100, N / 100).attr("mean", 3f).attr("scale", 2f)
                .attr("seed", 7f).run1();
        assertEquals(DType.FLOAT32, y.dtype());
        assertEquals(Shape.of(100, N / 100), y.shape());
        double[] v = y.toDoubleArray();
        assertEquals(3, mean(v), 2 * 10 / Math.sqrt(N)); // standard error 2 / sqrt(N)
        assertEquals(2, std(v), 0.15);
    }

    @Test
    void randomUniformStaysInItsRangeAndFillsIt() {
        Tensor y = OnnxNodeCase.of("RandomUniform", 17).ints("shape", N).attr("low", -1f).attr("high", 3f)
                .attr("dtype", 11).attr("seed", 1f).run1();
        assertEquals(DType.FLOAT64, y.dtype());
        double[] v = y.toDoubleArray();
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertTrue(lo >= -1 && hi < 3, lo + " " + hi);
        assertTrue(lo < -0.99 && hi > 2.99, lo + " " + hi); // misses by 0.01 with probability (1 - 1/400)^20000
        assertEquals(1, mean(v), 10 * 4 / Math.sqrt(12 * N));
        assertEquals(4 / Math.sqrt(12), std(v), 0.1);
    }

    @Test
    void likeFormsTakeTheInputsShapeAndDtype() {
        Tensor x = Tensors.of(new double[N], 4, N / 4);
        Tensor n = OnnxNodeCase.of("RandomNormalLike", 17).input(x).attr("seed", 3f).run1();
        assertEquals(DType.FLOAT64, n.dtype());
        assertEquals(Shape.of(4, N / 4), n.shape());
        assertEquals(0, mean(n.toDoubleArray()), 10 / Math.sqrt(N));
        assertEquals(1, std(n.toDoubleArray()), 0.1);
        Tensor u = OnnxNodeCase.of("RandomUniformLike", 17).input(x).attr("dtype", 1).attr("seed", 3f).run1();
        assertEquals(DType.FLOAT32, u.dtype());
        assertEquals(0.5, mean(u.toDoubleArray()), 10 / Math.sqrt(12 * N));
    }

    @Test
    void theSeedFixesTheValuesAndIsNotFoldedAway() {
        OnnxNodeCase seeded = OnnxNodeCase.of("RandomUniform", 17).ints("shape", 8).attr("seed", 5f);
        assertArrayEquals(seeded.run1().toFloatArray(), seeded.run1().toFloatArray());
        OnnxNodeCase other = OnnxNodeCase.of("RandomUniform", 17).ints("shape", 8).attr("seed", 6f);
        assertFalse(java.util.Arrays.equals(seeded.run1().toFloatArray(), other.run1().toFloatArray()));
        try (OnnxModel m = seeded.load()) {
            assertTrue(m.graph().toString().contains("RandomUniform"), m.graph().toString());
        }
    }

    @Test
    void integerSamplesAndMissingShapesAreRefused() {
        var e = assertThrows(UnsupportedOnnxException.class, () -> OnnxNodeCase.of("RandomNormalLike", 17)
                .input(Tensors.of(new int[4], 4)).run());
        assertTrue(e.getMessage().contains("samples of type int32"), e.getMessage());
        var s = assertThrows(OnnxException.class, () -> OnnxNodeCase.of("RandomNormal", 17).run());
        assertTrue(s.getMessage().contains("needs the shape attribute"), s.getMessage());
    }

    @Test
    void bernoulliDrawsOnesWithTheInputsProbability() {
        double[] p = new double[N];
        for (int i = 0; i < N; i++) p[i] = i < N / 2 ? 0.2 : (i % 2 == 0 ? 0 : 1);
        Tensor y = OnnxNodeCase.of("Bernoulli", 15).input(Tensors.of(p, N)).attr("seed", 11f).run1();
        assertEquals(DType.FLOAT64, y.dtype());
        double[] v = y.toDoubleArray();
        double ones = 0;
        for (int i = 0; i < N / 2; i++) ones += v[i];
        assertEquals(0.2, ones / (N / 2), 10 * Math.sqrt(0.16 / (N / 2)));
        for (int i = N / 2; i < N; i++) assertEquals(p[i], v[i]);
        Tensor b = OnnxNodeCase.of("Bernoulli", 15).input(Tensors.of(new float[] {0, 1}, 2)).attr("dtype", 9).run1();
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[] {false, true}, b.toBooleanArray());
    }

    @Test
    void cosineWindowsPeriodicAndSymmetric() {
        int size = 8;
        double[][] coefficients = {{0.5, 0.5, 0}, {25.0 / 46, 21.0 / 46, 0}, {0.42, 0.5, 0.08}};
        String[] ops = {"HannWindow", "HammingWindow", "BlackmanWindow"};
        for (int o = 0; o < ops.length; o++) {
            for (boolean periodic : new boolean[] {true, false}) {
                double period = periodic ? size : size - 1;
                double[] want = new double[size];
                double[] a = coefficients[o];
                for (int k = 0; k < size; k++) {
                    want[k] = a[0] - a[1] * Math.cos(2 * Math.PI * k / period) + a[2] * Math.cos(4 * Math.PI * k / period);
                }
                Tensor w = OnnxNodeCase.of(ops[o], 17).constant(Tensors.scalar((long) size))
                        .attr("periodic", periodic ? 1 : 0).attr("output_datatype", 11).run1();
                assertEquals(DType.FLOAT64, w.dtype());
                assertArrayEquals(want, w.toDoubleArray(), 1e-12, ops[o] + " periodic " + periodic);
            }
        }
        // symmetric Hann: zero at both ends, one in the middle of an odd window
        Tensor hann = OnnxNodeCase.of("HannWindow", 17).constant(Tensors.scalar(5L)).attr("periodic", 0).run1();
        assertEquals(DType.FLOAT32, hann.dtype());
        assertArrayEquals(new float[] {0, 0.5f, 1, 0.5f, 0}, hann.toFloatArray(), 1e-7f);
    }
}
