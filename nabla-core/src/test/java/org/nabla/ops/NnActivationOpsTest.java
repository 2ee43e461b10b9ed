package org.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nabla.TensorAssert.assertClose;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** Activations, Softmax and LogSoftmax against plain float64 formulas, extreme inputs, views and errors. */
class NnActivationOpsTest {
    /** erf by Simpson's rule on 2/sqrt(pi) * exp(-t^2): independent of the kernel's series/continued fraction. */
    static double erfReference(double z) {
        int steps = 2 * (int) Math.ceil(Math.abs(z) * 400) + 2; // h <= 1/800: error below 1e-13
        double h = z / steps, sum = 0;
        for (int i = 0; i <= steps; i++) {
            double t = i * h, f = Math.exp(-t * t);
            sum += (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return 2 / Math.sqrt(Math.PI) * sum * h / 3;
    }

    private static final double SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;

    private record Act(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator reference) {}

    private static final Act[] ACTS = {
        new Act("relu", Tensor::relu, x -> Math.max(x, 0)),
        new Act("relu6", Tensor::relu6, x -> Math.min(Math.max(x, 0), 6)),
        new Act("leakyRelu", Tensor::leakyRelu, x -> x > 0 ? x : 0.2 * x),
        new Act("leakyRelu(0.01)", t -> t.leakyRelu(0.01), x -> x > 0 ? x : 0.01 * x),
        new Act("elu", Tensor::elu, x -> x > 0 ? x : Math.exp(x) - 1),
        new Act("elu(0.5)", t -> Ops.elu(t, 0.5), x -> x > 0 ? x : 0.5 * (Math.exp(x) - 1)),
        new Act("selu", Tensor::selu, x -> SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1))),
        new Act("gelu", Tensor::gelu, x -> 0.5 * x * (1 + erfReference(x / Math.sqrt(2)))),
        new Act("gelu(tanh)", t -> t.gelu(true),
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        new Act("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x))),
        new Act("softplus", Tensor::softplus, x -> Math.log(1 + Math.exp(x))),
    };

    @Test
    void activationsMatchFloat64FormulasForBothDTypes() {
        Random rnd = new Random(3);
        int n = 33_000; // large enough to split across threads and through the vector loops and their tails
        double[] x = new double[n + 3];
        for (int i = 0; i < x.length; i++) x[i] = (rnd.nextDouble() - 0.5) * 16;
        x[0] = 0;
        x[1] = 6.5;
        x[2] = -1e-3;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] in = NnConvOpsTest.rounded(x, dtype);
            Tensor t = NnConvOpsTest.tensor(in, dtype, 1, x.length);
            for (Act a : ACTS) {
                Tensor y = a.op.apply(t);
                assertEquals(dtype, y.dtype(), a.name);
                assertEquals(t.shape(), y.shape(), a.name);
                double[] actual = y.toDoubleArray();
                // the Simpson erf reference is slow: exact Gelu checks every 8th element (erf has its own grid test)
                int every = a.name.equals("gelu") ? 8 : 1;
                double tol = dtype == DType.FLOAT32 ? 2e-6 : 1e-12;
                for (int i = 0; i < in.length; i += every) {
                    double e = a.reference.applyAsDouble(in[i]);
                    if (!(Math.abs(e - actual[i]) <= tol + tol * Math.abs(e))) {
                        throw new AssertionError(a.name + " " + dtype + " at x = " + in[i] + ": expected " + e
                                + " but was " + actual[i]);
                    }
                }
            }
        }
    }

    @Test
    void handWorkedValues() {
        Tensor x = Tensors.of(new double[] {-2, -0.5, 0, 0.5, 1, 2, 3, 7});
        assertClose(new double[] {0, 0, 0, 0.5, 1, 2, 3, 7}, x.relu(), DType.FLOAT64, new int[] {8}, 0);
        assertClose(new double[] {0, 0, 0, 0.5, 1, 2, 3, 6}, x.relu6(), DType.FLOAT64, new int[] {8}, 0);
        assertClose(new double[] {-0.4, -0.1, 0, 0.5, 1, 2, 3, 7}, x.leakyRelu(), DType.FLOAT64, new int[] {8}, 1e-16);
        // gelu(x) = x * Phi(x), Phi from tables
        Tensor g = Tensors.of(new double[] {-1, -0.5, 0.5, 1, 2, 3}).gelu();
        assertClose(new double[] {-0.15865525393145707, -0.5 * 0.3085375387259869, 0.5 * 0.6914624612740131,
            0.8413447460685429, 2 * 0.9772498680518208, 3 * 0.9986501019683699}, g, DType.FLOAT64, new int[] {6},
                1e-15);
        assertClose(new double[] {0.5, 0.7310585786300049, 0.2689414213699951},
                Tensors.of(new double[] {0, 1, -1}).sigmoid(), DType.FLOAT64, new int[] {3}, 1e-16);
        assertClose(new double[] {Math.log(2)}, Tensors.of(new float[] {0}).softplus(), DType.FLOAT32, new int[] {1},
                1e-7);
    }

    @Test
    void extremeInputsStayFiniteAndAccurate() {
        Tensor big = Tensors.of(new double[] {-1000, -100, -40, 40, 100, 1000});
        assertClose(new double[] {0, 3.720075976020836e-44, 4.248354255291589e-18, 1, 1, 1}, big.sigmoid(),
                DType.FLOAT64, new int[] {6}, 1e-15);
        assertClose(new double[] {0, 3.720075976020836e-44, 4.248354255291589e-18, 40, 100, 1000}, big.softplus(),
                DType.FLOAT64, new int[] {6}, 1e-15);
        // gelu far in the negative tail: x * Phi(x) ~ -7.6e-23 at -10, not the 0 that 1 + erf would give
        assertClose(new double[] {-7.619853024160527e-23, 0, 1000}, Tensors.of(new double[] {-10, -1000, 1000})
                .gelu(), DType.FLOAT64, new int[] {3}, 1e-12);
        Tensor f = Tensors.of(new float[] {-100, 100, -1e30f, 1e30f, Float.NEGATIVE_INFINITY});
        assertClose(new double[] {3.720076e-44, 1, 0, 1, 0}, f.sigmoid(), DType.FLOAT32, new int[] {5}, 1e-6);
        assertClose(new double[] {0, 100, 0, 1e30, 0}, f.softplus(), DType.FLOAT32, new int[] {5}, 1e-6);
        assertClose(new double[] {-1, 100, -1, 1e30, -1}, f.elu(), DType.FLOAT32, new int[] {5}, 1e-6);
        assertTrue(Double.isNaN(Tensors.of(new float[] {Float.NaN}).relu().doubleValue()));
    }

    @Test
    void handlesEmptyScalarAndTransposedInputs() {
        assertEquals(Shape.of(0, 4), Tensors.of(new float[0], 0, 4).sigmoid().shape());
        assertClose(new double[] {0.2 * -3}, Ops.leakyRelu(Tensors.scalar(-3.0)), DType.FLOAT64, new int[0], 1e-16);
        Tensor m = Tensors.of(new double[] {-1, 2, -3, 4, -5, 6}, 2, 3).transpose(); // [[-1 4] [2 -5] [-3 6]]
        assertClose(new double[] {0, 4, 2, 0, 0, 6}, m.relu(), DType.FLOAT64, new int[] {3, 2}, 0);
    }

    @Test
    void rejectsNonFloatInputs() {
        OpException e = assertThrows(OpException.class, () -> Tensors.of(new int[] {1, 2}).relu());
        assertEquals("Relu: input 'x' must be float16, bfloat16, float32 or float64, got int32(2,)", e.getMessage());
    }

    // ---------------------------------------------------------------- softmax

    static double[] softmaxReference(double[] x, int[] shape, int axis, boolean log) {
        int len = shape[axis], inner = 1, outer = 1;
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        for (int i = 0; i < axis; i++) outer *= shape[i];
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < len; j++) max = Math.max(max, x[(o * len + j) * inner + in]);
                for (int j = 0; j < len; j++) sum += Math.exp(x[(o * len + j) * inner + in] - max);
                for (int j = 0; j < len; j++) {
                    double v = x[(o * len + j) * inner + in] - max;
                    y[(o * len + j) * inner + in] = log ? v - Math.log(sum) : Math.exp(v) / sum;
                }
            }
        }
        return y;
    }

    @Test
    void softmaxAndLogSoftmaxMatchReferenceOnEveryAxis() {
        Random rnd = new Random(5);
        int[] shape = {3, 4, 5};
        double[] x = NnConvOpsTest.random(rnd, 60);
        for (int i = 0; i < x.length; i++) x[i] *= 10;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] in = NnConvOpsTest.rounded(x, dtype);
            Tensor t = NnConvOpsTest.tensor(in, dtype, shape);
            double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-14;
            for (int axis = -3; axis < 3; axis++) {
                int a = axis < 0 ? axis + 3 : axis;
                assertClose(softmaxReference(in, shape, a, false), t.softmax(axis), dtype, shape, tol);
                assertClose(softmaxReference(in, shape, a, true), t.logSoftmax(axis), dtype, shape, tol);
            }
        }
        Tensor big = NnConvOpsTest.tensor(NnConvOpsTest.random(rnd, 300 * 100), DType.FLOAT32, 300, 100);
        assertClose(softmaxReference(NnConvOpsTest.rounded(big.toDoubleArray(), DType.FLOAT32), new int[] {300, 100},
                1, false), Ops.softmax(big), DType.FLOAT32, new int[] {300, 100}, 1e-6);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Tensor x = Tensors.of(new float[][] {{1000, -1000, 0}, {1000, 1000, 1000}});
        assertClose(new double[] {1, 0, 0, 1 / 3.0, 1 / 3.0, 1 / 3.0}, x.softmax(), DType.FLOAT32,
                new int[] {2, 3}, 1e-7);
        assertClose(new double[] {0, -2000, -1000, -Math.log(3), -Math.log(3), -Math.log(3)}, x.logSoftmax(),
                DType.FLOAT32, new int[] {2, 3}, 1e-7);
        double l = Math.log1p(Math.exp(-1));
        assertClose(new double[] {-l, -1 - l}, Tensors.of(new double[] {1000, 999}).logSoftmax(), DType.FLOAT64,
                new int[] {2}, 1e-15);
    }

    @Test
    void softmaxHandlesEmptyAndTransposedInputsAndRejectsBadAxes() {
        assertEquals(Shape.of(0, 3), Tensors.of(new float[0], 0, 3).softmax().shape());
        assertEquals(Shape.of(3, 0), Tensors.of(new float[0], 3, 0).softmax().shape());
        Tensor m = Tensors.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(); // rows [1 4] [2 5] [3 6]
        double p = 1 / (1 + Math.exp(-3));
        assertClose(new double[] {1 - p, p, 1 - p, p, 1 - p, p}, m.softmax(), DType.FLOAT64, new int[] {3, 2}, 1e-15);
        OpException a = assertThrows(OpException.class, () -> Tensors.of(new float[] {1, 2}).softmax(1));
        assertEquals("Softmax: axis 1 is out of range for logits float32(2,)", a.getMessage());
        OpException s = assertThrows(OpException.class, () -> Tensors.scalar(1f).logSoftmax());
        assertTrue(s.getMessage().startsWith("LogSoftmax: logits must have rank >= 1"), s.getMessage());
    }
}
