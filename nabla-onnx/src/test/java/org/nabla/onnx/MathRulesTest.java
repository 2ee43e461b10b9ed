package org.nabla.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.nabla.DType;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.Tensors;

/** The elementwise rules added on top of Nabla's math ops, against float64 references from their definitions. */
class MathRulesTest {
    private static final double[] X = {-3.5, -1.25, -0.5, 0, 0.25, 0.75, 2, 4};

    private static void check(String op, double[] x, DoubleUnaryOperator ref, double tol) {
        double[] want = new double[x.length];
        for (int i = 0; i < x.length; i++) want[i] = ref.applyAsDouble(x[i]);
        Tensor y64 = OnnxNodeCase.of(op, 17).input(Tensors.of(x, 2, x.length / 2)).run1();
        assertEquals(DType.FLOAT64, y64.dtype());
        assertEquals(Shape.of(2, x.length / 2), y64.shape());
        assertArrayEquals(want, y64.toDoubleArray(), tol, op);
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) xf[i] = (float) x[i];
        Tensor y32 = OnnxNodeCase.of(op, 17).input(Tensors.of(xf, x.length)).run1();
        assertEquals(DType.FLOAT32, y32.dtype());
        double[] got = y32.toDoubleArray();
        for (int i = 0; i < x.length; i++) assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])), op);
    }

    @Test
    void hyperbolicFunctions() {
        check("Sinh", X, x -> (Math.exp(x) - Math.exp(-x)) / 2, 1e-12);
        check("Cosh", X, x -> (Math.exp(x) + Math.exp(-x)) / 2, 1e-12);
        check("Asinh", X, x -> {
            double a = Math.abs(x);
            return Math.signum(x) * Math.log(a + Math.sqrt(a * a + 1));
        }, 1e-12);
        check("Acosh", new double[] {1, 1.5, 2, 3, 10, 100}, x -> Math.log(x + Math.sqrt(x * x - 1)), 1e-12);
        check("Atanh", new double[] {-0.9, -0.5, -0.1, 0, 0.3, 0.99}, x -> 0.5 * Math.log((1 + x) / (1 - x)), 1e-12);
    }

    @Test
    void inverseHyperbolicFunctionsInvertTheirFunctions() {
        double[] y = OnnxNodeCase.of("Asinh", 17).input(Tensors.of(new double[] {Math.sinh(-20), Math.sinh(0.5)}, 2))
                .run1().toDoubleArray();
        assertArrayEquals(new double[] {-20, 0.5}, y, 1e-12);
        double[] z = OnnxNodeCase.of("Atanh", 17).input(Tensors.of(new double[] {Math.tanh(0.75)}, 1)).run1()
                .toDoubleArray();
        assertArrayEquals(new double[] {0.75}, z, 1e-12);
        assertEquals(0.0, OnnxNodeCase.of("Acosh", 17).input(Tensors.of(new double[] {1}, 1)).run1().toDoubleArray()[0]);
    }

    @Test
    void mish() {
        check("Mish", X, x -> x * Math.tanh(Math.log1p(Math.exp(x))), 1e-12);
    }

    @Test
    void shrinkWithDefaultsAndAttributes() {
        Tensor x = Tensors.of(new float[] {-2, -0.5f, -0.25f, 0, 0.5f, 0.75f, 3}, 7);
        // lambd 0.5, bias 0: only |x| > 0.5 passes, unchanged
        assertArrayEquals(new float[] {-2, 0, 0, 0, 0, 0.75f, 3},
                OnnxNodeCase.of("Shrink", 17).input(x).run1().toFloatArray());
        // lambd 0.25, bias 1: x + 1 below -0.25, x - 1 above 0.25
        assertArrayEquals(new float[] {-1, 0.5f, 0, 0, -0.5f, -0.25f, 2},
                OnnxNodeCase.of("Shrink", 17).input(x).attr("lambd", 0.25f).attr("bias", 1f).run1().toFloatArray());
    }

    @Test
    void shrinkOnIntegers() {
        Tensor x = Tensors.of(new int[] {-5, -1, 0, 1, 5}, 5);
        Tensor y = OnnxNodeCase.of("Shrink", 17).input(x).attr("lambd", 1.5f).attr("bias", 2f).run1();
        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(new int[] {-3, 0, 0, 0, 3}, y.toIntArray());
    }

    @Test
    void emptyInputsGiveEmptyOutputs() {
        Tensor y = OnnxNodeCase.of("Sinh", 17).input(Tensors.of(new float[0], 0, 3)).run1();
        assertEquals(Shape.of(0, 3), y.shape());
    }

    @Test
    void scalars() {
        assertEquals(Math.cosh(1.5), OnnxNodeCase.of("Cosh", 17).input(Tensors.scalar(1.5)).run1().doubleValue(),
                1e-12);
        Tensor s = OnnxNodeCase.of("Shrink", 17).input(Tensors.scalar(-2f)).run1();
        assertEquals(Shape.SCALAR, s.shape());
        assertEquals(-2f, s.floatValue());
    }
}
