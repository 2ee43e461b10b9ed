package org.nabla.half;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nabla.DType;
import org.nabla.Ops;
import org.nabla.Shape;
import org.nabla.Tensor;
import org.nabla.TracedFunction;
import org.nabla.autodiff.GradientTape;
import org.nabla.graph.Graph;
import org.nabla.graph.GraphIO;
import org.nabla.io.Npy;
import org.nabla.kernels.KernelRegistry;
import org.nabla.ops.MathOps;
import org.nabla.ops.OpException;

/**
 * float16 and bfloat16 as dtypes: creation and read-back, casts from and to every dtype, ops of every family running
 * their float32 kernels (the result equals the float32 result rounded once), gradients against central finite
 * differences of the float32 function, graph mode, and the file formats.
 */
class HalfPrecisionOpsTest {
    private static Tensor random(DType dtype, long seed, int... shape) {
        return Ops.cast(Ops.randomNormal(shape, DType.FLOAT32, 0, 1, seed), dtype);
    }

    /** {@code f} on the 16-bit tensor equals {@code f} on its float32 widening, rounded to the 16-bit dtype. */
    private static void computesInFloat32(DType dtype, Tensor x, UnaryOperator<Tensor> f, String what) {
        Tensor half = f.apply(x);
        assertEquals(dtype, half.dtype(), what + " keeps " + dtype);
        Tensor expected = Ops.cast(f.apply(Ops.cast(x, DType.FLOAT32)), dtype);
        assertEquals(expected.shape(), half.shape(), what);
        assertArrayEquals(expected.toShortArray(), half.toShortArray(), what + " in " + dtype);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void createAndReadBack(DType dtype) {
        assertEquals(2, dtype.byteSize());
        assertEquals(DType.Storage.SHORT, dtype.storage());
        assertTrue(dtype.isFloating() && dtype.isNumeric() && !dtype.isInteger() && dtype.isHalfPrecision());
        assertEquals(dtype, DType.of(dtype.pythonName()));
        assertEquals(dtype, DType.fromFileCode(dtype == DType.FLOAT16 ? 12 : 13));
        Tensor t = Ops.convertToTensor(new float[][] {{1.5f, -2}, {0.25f, 1024}}, dtype);
        assertEquals(dtype, t.dtype());
        assertArrayEquals(new float[] {1.5f, -2, 0.25f, 1024}, t.toFloatArray());
        assertArrayEquals(new double[] {1.5, -2, 0.25, 1024}, t.toDoubleArray());
        assertArrayEquals(new int[] {1, -2, 0, 1024}, t.toIntArray());
        float[][] nested = (float[][]) t.toArray();
        assertEquals(0.25f, nested[1][0]);
        assertEquals(-2.0, t.getDouble(0, 1));
        assertEquals(1024f, Ops.reshape(t, 4).getDouble(-1));
        assertEquals(3f, Ops.fill(Ops.convertToTensor(3, dtype), 2).toFloatArray()[1]);
        assertEquals(0f, Ops.zeros(dtype, 3).toFloatArray()[2]);
        assertEquals(1f, Ops.ones(dtype, 1).floatValue());
        assertArrayEquals(new float[] {1, 0, 0, 1}, Ops.eye(2, 2, dtype).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1.25f, 2}, Ops.range(0.5, 2.5, 0.75, dtype).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1, 0.5f, 0.5f}, Ops.oneHot(new int[] {1, -1}, 2, 1, 0.5, -1, dtype)
                .toFloatArray());
        assertEquals(dtype, random(dtype, 1, 3).dtype());
        Tensor r = Ops.randomNormal(new int[] {1000}, dtype, 0, 1, 3);
        assertEquals(dtype, r.dtype());
        assertEquals(0, Ops.mean(Ops.cast(r, DType.FLOAT32)).floatValue(), 0.1);
        // 0.1 is not a 16-bit float: it reads back as the nearest one
        float tenth = Ops.convertToTensor(0.1, dtype).floatValue();
        assertEquals(dtype == DType.FLOAT16 ? 0.0999755859375f : 0.10009765625f, tenth);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void castsFromAndToEveryDType(DType dtype) {
        for (DType other : DType.values()) {
            if (other == DType.STRING) continue;   // numbers and strings convert with Strings.asString/toNumber
            if (other.isLowPrecision()) continue;  // 100 does not fit them; LowPrecisionReferenceTest
            if (other.isComplex()) {   // tf.cast: imaginary part 0 on the way in, real part on the way out
                Tensor z = Ops.cast(Ops.cast(Ops.constant(new double[] {0, 1, 2, 100}), dtype), other);
                assertArrayEquals(new double[] {0, 0, 1, 0, 2, 0, 100, 0}, z.toComplexArray(), dtype + " to " + other);
                assertArrayEquals(new double[] {0, 1, 2, 100}, Ops.cast(z, dtype).toDoubleArray(), other + " to "
                        + dtype);
                continue;
            }
            Tensor values = Ops.cast(Ops.constant(new double[] {0, 1, 2, 100}), other);
            Tensor half = Ops.cast(values, dtype);
            assertEquals(dtype, half.dtype());
            double[] expected = other == DType.BOOL ? new double[] {0, 1, 1, 1} : new double[] {0, 1, 2, 100};
            assertArrayEquals(expected, half.toDoubleArray(), other + " to " + dtype);
            assertArrayEquals(values.toDoubleArray(), Ops.cast(half, other).toDoubleArray(), dtype + " to " + other);
        }
        Tensor special = Ops.cast(Ops.constant(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -2.75f, 1e9f}), dtype);
        assertArrayEquals(new int[] {0, Integer.MAX_VALUE, -2, dtype == DType.FLOAT16 ? Integer.MAX_VALUE : 998244352},
                Ops.cast(special, DType.INT32).toIntArray(), "NaN to 0, infinity saturates, truncation toward zero");
        assertArrayEquals(new boolean[] {true, true, true, true}, Ops.cast(special, DType.BOOL).toBooleanArray());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void everyFamilyRunsItsFloat32KernelAndRoundsOnce(DType dtype) {
        Tensor x = random(dtype, 7, 2, 5, 5, 3);
        Tensor v = random(dtype, 8, 4, 6);
        Tensor w = random(dtype, 9, 6, 3);
        Tensor filter = random(dtype, 10, 3, 3, 3, 4);
        // one op each: a chain of 16-bit ops rounds after every op
        computesInFloat32(dtype, v, t -> Ops.mul(t, t), "mul");
        computesInFloat32(dtype, v, Ops::exp, "exp");
        computesInFloat32(dtype, v, t -> Ops.sort(t, -1, true), "sort");
        computesInFloat32(dtype, v, t -> Ops.pad(t, new int[][] {{1, 0}, {0, 2}}, "CONSTANT", 0.1), "pad");
        computesInFloat32(dtype, v, t -> Ops.matmul(t, Ops.cast(w, t.dtype())), "matmul");
        computesInFloat32(dtype, v, t -> Ops.sum(t, 1), "sum");
        computesInFloat32(dtype, v, t -> Ops.max(t, 0), "max");
        computesInFloat32(dtype, v, Ops::softmax, "softmax");
        computesInFloat32(dtype, v, Ops::relu, "relu");
        computesInFloat32(dtype, v, t -> Ops.transpose(t, 1, 0), "transpose");
        computesInFloat32(dtype, v, t -> Ops.concat(0, t, t), "concat");
        computesInFloat32(dtype, v, t -> Ops.gather(t, new int[] {3, 0}), "gather");
        computesInFloat32(dtype, x, t -> Ops.conv2d(t, Ops.cast(filter, t.dtype()), 1, "SAME"), "conv2d");
        computesInFloat32(dtype, x, t -> Ops.maxPool2d(t, new int[] {2, 2}, new int[] {2, 2}, "VALID"), "maxPool2d");
        computesInFloat32(dtype, x, t -> Ops.avgPool2d(t, new int[] {2, 2}, new int[] {1, 1}, "SAME"), "avgPool2d");
        computesInFloat32(dtype, v, t -> Ops.sparseSoftmaxCrossEntropyWithLogits(t, Ops.constant(new int[] {0, 5, 2,
            1})), "sparse softmax cross-entropy");
        Tensor cmp = Ops.greater(v, Ops.zerosLike(v));
        assertArrayEquals(Ops.greater(Ops.cast(v, DType.FLOAT32), 0f).toBooleanArray(), cmp.toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, Ops.equal(Ops.convertToTensor(new float[] {0, Float.NaN}, dtype),
                Ops.convertToTensor(new float[] {-0f, Float.NaN}, dtype)).toBooleanArray(), "values, not bits, compare");
        assertEquals(2L, Ops.argmax(Ops.convertToTensor(new float[] {1, 2, 3, -1}, dtype), 0).longValue());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void sparseAndRaggedValuesComputeInFloat32(DType dtype) {
        Tensor dense = Ops.convertToTensor(new float[][] {{0, 1.5f, 0}, {-0.25f, 0, 3}}, dtype);
        org.nabla.sparse.SparseTensor sp = org.nabla.sparse.Sparse.fromDense(dense);
        assertEquals(3, sp.values().shape().dim(0), "three non-zeros");
        assertEquals(dtype, sp.values().dtype());
        assertEquals(4.25f, org.nabla.sparse.Sparse.reduceSum(sp).floatValue());
        assertArrayEquals(new float[] {7, 1.5f, 7, -0.25f, 7, 3},
                org.nabla.sparse.Sparse.toDense(sp, 7).toFloatArray());
        org.nabla.ragged.RaggedTensor r = org.nabla.ragged.RaggedTensor.fromRowLengths(
                Ops.convertToTensor(new float[] {1, 2, 3.5f}, dtype), 2, 0, 1);
        assertArrayEquals(new float[] {3, 0, 3.5f}, r.reduceSum().toFloatArray());
        assertArrayEquals(new float[] {1, 2, -1, -1, 3.5f, -1}, r.toTensor(-1).toFloatArray());
    }

    @Test
    void registryListsTheWidenedKernelsAndLeavesVariableOpsOut() {
        String described = KernelRegistry.global().describe(MathOps.EXP);
        assertTrue(described.contains("float16") && described.contains("bfloat16"), described);
        OpException e = assertThrows(OpException.class, () -> Ops.exp(Ops.constant(new int[] {1})));
        assertTrue(e.getMessage().contains("float16, bfloat16, float32 or float64"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void gradientsMatchFiniteDifferencesOfTheFloat32Function(DType dtype) {
        Tensor x = random(dtype, 11, 3, 4);
        Tensor w = random(dtype, 12, 4, 2);
        UnaryOperator<Tensor> f = t -> Ops.sum(Ops.mul(Ops.tanh(Ops.matmul(t, Ops.cast(w, t.dtype()))),
                Ops.cast(Ops.constant(new float[] {1, -2}), t.dtype())));
        Tensor g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            g = tape.gradient(f.apply(x), x);
        }
        assertEquals(dtype, g.dtype());
        double[] x64 = x.toDoubleArray();
        float[] grad = g.toFloatArray();
        double eps = 1e-3;
        for (int i = 0; i < x64.length; i++) {
            double[] up = x64.clone(), down = x64.clone();
            up[i] += eps;
            down[i] -= eps;
            double fd = (eval(f, up) - eval(f, down)) / (2 * eps);
            // the 16-bit gradient carries the rounding of several 16-bit intermediates: a few ulps of its magnitude
            double tol = (dtype == DType.FLOAT16 ? 4e-3 : 3e-2) * (1 + Math.abs(fd));
            assertEquals(fd, grad[i], tol, dtype + " gradient " + i);
        }
    }

    private static double eval(UnaryOperator<Tensor> f, double[] x) {
        return f.apply(Tensor.wrap(DType.FLOAT64, Shape.of(3, 4), x)).doubleValue();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void tracedGraphsGiveTheEagerValues(DType dtype) {
        Tensor x = random(dtype, 13, 4, 3);
        UnaryOperator<Tensor> f = t -> Ops.softmax(Ops.add(Ops.mul(t, t), Ops.ones(dtype, 3)));
        TracedFunction traced = TracedFunction.unary(f);
        Tensor y = traced.apply(x);
        assertEquals(dtype, y.dtype());
        assertArrayEquals(f.apply(x).toShortArray(), y.toShortArray());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void npyAndGraphFilesKeepTheBits(DType dtype) throws IOException {
        Tensor x = Ops.convertToTensor(new float[] {1, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 3.140625f}, dtype);
        byte[] npy = Npy.toBytes(x);
        String header = new String(npy, 10, 40, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains(dtype == DType.FLOAT16 ? "'<f2'" : "'<V2'"), header);
        Tensor back = Npy.fromBytes(npy);
        assertEquals(dtype, back.dtype());
        assertArrayEquals(x.toShortArray(), back.toShortArray());

        Graph g = new Graph();
        g.constant("c", x);
        Graph read = GraphIO.fromBytes(GraphIO.toBytes(g));
        Tensor c = read.nodes().get(0).attrs().get("value") instanceof Tensor t ? t : null;
        assertInstanceOf(Tensor.class, c);
        assertEquals(dtype, c.dtype());
        assertArrayEquals(x.toShortArray(), c.toShortArray());
    }

    @Test
    void float16OverflowsToInfinityAndBfloat16KeepsTheFloat32Range() {
        Tensor big = Ops.constant(new float[] {60000f, 1e30f});
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY},
                Ops.mul(Ops.cast(big, DType.FLOAT16), Ops.cast(Ops.constant(2f), DType.FLOAT16)).toFloatArray());
        float[] b = Ops.mul(Ops.cast(big, DType.BFLOAT16), Ops.cast(Ops.constant(2f), DType.BFLOAT16)).toFloatArray();
        assertEquals(119808f, b[0]); // 60000 is 59904 in bfloat16's 8 significant bits
        assertEquals(2e30f, b[1], 1e28f);
        Random rnd = new Random(1);
        assertTrue(rnd.nextInt() != 0);
    }
}
